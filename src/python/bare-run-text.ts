import type { TextTest } from '../core/findings.js';

/** The regex BARE_RUN_TEXT stands for (kept for tests and readers). */
export const BARE_RUN_PATTERN = /^(?: {0,4}|\t?)(?!subprocess\.|asyncio\.|trio\.|anyio\.)[A-Za-z_][\w.]*\.run\s*\(/m;

const CALL_AFTER_RUN = /\s*\(/y;
const NOT_AN_APP_RUN = /(?:subprocess|asyncio|trio|anyio)\./y;
const IDENTIFIER_START = /[A-Za-z_]/;

/**
 * A bare `app.run(` at a line start, indented at most a block deep (four spaces or a tab): BARE_RUN_PATTERN,
 * found from each `.run` in the text instead of tried at every line start (on a large module that does not
 * call it, a scan for `.run` costs a fraction of the pattern's).
 */
export const BARE_RUN_TEXT: TextTest = {
  test(text: string): boolean {
    for (let at = text.indexOf('.run'); at >= 0; at = text.indexOf('.run', at + 1)) {
      CALL_AFTER_RUN.lastIndex = at + 4;
      if (!CALL_AFTER_RUN.test(text)) continue;
      let start = at;
      while (start > 0 && isNameOrDot(text.charCodeAt(start - 1))) start--;
      if (!IDENTIFIER_START.test(text[start] ?? '')) continue;
      NOT_AN_APP_RUN.lastIndex = start;
      if (NOT_AN_APP_RUN.test(text)) continue;
      if (startsLine(text, start)) return true;
    }
    return false;
  },
};

/** True when only an allowed indent (up to four spaces, or one tab) stands between a line start and `at`. */
function startsLine(text: string, at: number): boolean {
  let spaces = 0;
  while (spaces < 5 && text[at - spaces - 1] === ' ') spaces++;
  if (spaces <= 4 && isLineStart(text, at - spaces)) return true;
  return text[at - 1] === '\t' && isLineStart(text, at - 1);
}

// Where `^` matches in a multiline pattern: the text's start, or after a line terminator.
function isLineStart(text: string, at: number): boolean {
  if (at === 0) return true;
  const code = text.charCodeAt(at - 1);
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

// [\w.]: ASCII letters, digits, underscore and the dot.
function isNameOrDot(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 46
  );
}
