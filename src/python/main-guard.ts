/** `if __name__ == "__main__":` (either operand order, either quote). */
const MAIN_GUARD =
  /^([ \t]*)if\s*\(?\s*(?:__name__\s*==\s*(['"])__main__\2|(['"])__main__\3\s*==\s*__name__)\s*\)?\s*:/;

/**
 * True when the 1-based `line` sits inside an `if __name__ == "__main__":`
 * block: code that runs only when the file is executed as a script, never when
 * a WSGI server imports it. Read from indentation, which Python's blocks follow.
 */
export function isUnderMainGuard(source: string, line: number): boolean {
  const lines = source.split('\n');
  const indentOf = (text: string) => (/^[ \t]*/.exec(text)?.[0] ?? '').replace(/\t/g, '        ').length;
  let current = lines[line - 1];
  if (current === undefined) return false;
  // `if __name__ == "__main__": app.run(debug=True)` on one line.
  if (MAIN_GUARD.test(current) && /:\s*\S/.test(current.slice(current.indexOf('__main__')))) return true;
  let indent = indentOf(current);
  for (let index = line - 2; index >= 0 && indent > 0; index--) {
    current = lines[index] ?? '';
    if (current.trim() === '' || current.trimStart().startsWith('#')) continue;
    const lineIndent = indentOf(current);
    if (lineIndent >= indent) continue;
    if (MAIN_GUARD.test(current)) return true;
    indent = lineIndent;
  }
  return false;
}
