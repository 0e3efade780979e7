/** `__name__ == "__main__"` (either operand order, either quote), maybe in parentheses. */
const MAIN_TEST = /^\(?\s*(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*\)?$/;
// [^\n], not `.`: a line of a CRLF file ends in \r, which `.` does not match.
const IF_HEADER = /^[ \t]*if\b([^\n]*)$/;
// A trailing comment with no quote in it: enough to find a block header's colon.
const TRAILING_COMMENT = /\s#[^'"]*$/;

/** `cond` without parentheses that wrap all of it: `(a and b)` -> `a and b`. */
function unwrapped(condition: string): string {
  let text = condition.trim();
  while (text.startsWith('(') && text.endsWith(')')) {
    let depth = 0;
    let closesAtEnd = true;
    for (let index = 0; index < text.length - 1; index++) {
      if (text[index] === '(') depth++;
      else if (text[index] === ')') depth--;
      if (depth === 0) {
        closesAtEnd = false;
        break;
      }
    }
    if (!closesAtEnd) break;
    text = text.slice(1, -1).trim();
  }
  return text;
}

/**
 * True when `condition` holds only when the file runs as a script: the main test itself, or a
 * conjunction that has it as one of its terms (`__name__ == "__main__" and LOCAL_DEVELOPMENT`).
 * Any `or` could hold on import, so a condition with one is a guard only when it is the test alone.
 */
function isMainCondition(condition: string): boolean {
  const text = unwrapped(condition);
  if (MAIN_TEST.test(text)) return true;
  if (/\bor\b/.test(text)) return false;
  return text.split(/\band\b/).some((term) => MAIN_TEST.test(term.trim()));
}

/** Whether the line is an `if` whose condition is a main guard: its block below, or its body on the line. */
function mainGuardOf(line: string): 'block' | 'inline' | undefined {
  const rest = IF_HEADER.exec(line)?.[1]?.replace(TRAILING_COMMENT, '').trimEnd();
  if (rest === undefined) return undefined;
  if (rest.endsWith(':')) return isMainCondition(rest.slice(0, -1)) ? 'block' : undefined;
  // `if __name__ == "__main__": app.run(debug=True)`: the condition ends at one of the colons.
  for (let colon = rest.indexOf(':'); colon >= 0; colon = rest.indexOf(':', colon + 1))
    if (isMainCondition(rest.slice(0, colon))) return 'inline';
  return undefined;
}

/**
 * True when the 1-based `line` sits inside an `if __name__ == "__main__":` block (also one that
 * adds conditions with `and`): code that runs only when the file is executed as a script, never
 * when a WSGI server imports it. Read from indentation, which Python's blocks follow.
 */
export function isUnderMainGuard(source: string, line: number): boolean {
  const lines = source.split('\n');
  const indentOf = (text: string) => (/^[ \t]*/.exec(text)?.[0] ?? '').replace(/\t/g, '        ').length;
  let current = lines[line - 1];
  if (current === undefined) return false;
  if (mainGuardOf(current) === 'inline') return true;
  let indent = indentOf(current);
  for (let index = line - 2; index >= 0 && indent > 0; index--) {
    current = lines[index] ?? '';
    if (current.trim() === '' || current.trimStart().startsWith('#')) continue;
    const lineIndent = indentOf(current);
    if (lineIndent >= indent) continue;
    if (mainGuardOf(current) === 'block') return true;
    indent = lineIndent;
  }
  return false;
}

/**
 * True when the 1-based `line` runs only when the file is executed as a script: under the main guard, or in a
 * top-level function this module calls only from there (`def main(): app.run(debug=True)` with
 * `if __name__ == "__main__": main()`) and names nowhere else. A function it never calls is left as it is.
 */
export function runsOnlyAsScript(source: string, line: number): boolean {
  if (isUnderMainGuard(source, line)) return true;
  const lines = source.split('\n');
  let header = line - 1;
  while (header >= 0 && !/^(?:async[ \t]+)?def[ \t]/.test(lines[header] ?? '')) {
    // Another top-level statement above the line first: the line is not in a top-level function.
    if (header < line - 1 && /^[^\s#]/.test(lines[header] ?? '')) return false;
    header--;
  }
  const name = /^(?:async[ \t]+)?def[ \t]+(\w+)/.exec(lines[header] ?? '')?.[1];
  if (header < 0 || !name) return false;
  let end = header + 1;
  while (end < lines.length && !/^[^\s#]/.test(lines[end] ?? '')) end++;
  const uses = lines.flatMap((text, index) =>
    (index < header || index >= end) && new RegExp(`\\b${name}\\b`).test(text) ? [index] : [],
  );
  const called = (index: number) => new RegExp(`^[ \\t]*${name}\\s*\\(`).test(lines[index] ?? '');
  return uses.length > 0 && uses.every((index) => called(index) && isUnderMainGuard(source, index + 1));
}
