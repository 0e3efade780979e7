import type { TextEdit } from '../core/findings.js';
import { EditIndex } from './edit-index.js';

// Comments that are instructions to a tool, not an introduction: never removed.
const DIRECTIVE =
  /^[ \t]*#(?:!|\s*(?:syntax|escape)\s*=|.*coding[:=]|\s*(?:noqa|type:|pragma|pylint|fmt:|secure-flask:))/;
const COMMENT = /^[ \t]*[#;]/;
const BLANK = /^[ \t]*\r?$/;
// What an introduction of a debug setting talks about; a section heading (`# Settings`) stays.
const ABOUT_DEBUG = /debug|traceback|reload|console|werkzeug|FLASK_ENV|development/i;
// Commented-out code (`# FLASK_DEBUG=1`, `# ENV FLASK_DEBUG 1`, `# app.debug = True`) is not an
// introduction: it stays, and so does what is above it.
const COMMENTED_OUT_CODE =
  /^[ \t]*#\s*(?:(?:FROM|ENV|ARG|RUN|CMD|ENTRYPOINT|COPY|ADD|EXPOSE|WORKDIR|USER|LABEL)\s|(?:export\s+)?[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*[:=])/;

/**
 * Widens each deletion of whole lines to the comment block right above it
 * (`# Enable debug mode.` over a removed `FLASK_DEBUG=1`) when that comment
 * only introduced the removed lines: it speaks of debug mode, and nothing but a
 * blank line or the end of the file follows them. A blank line left doubled is removed with it.
 */
export function withIntroducingComments(text: string, edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  const insertions = new Set<string>();
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (edit.start === edit.end) {
      // Two fixes asking for the same insertion (` gunicorn` on one shared pip line) mean it once.
      const insertion = `${edit.start}:${edit.replacement}`;
      if (insertions.has(insertion)) continue;
      insertions.add(insertion);
    }
    if (last && last.replacement === '' && edit.replacement === '' && edit.start <= last.end)
      last.end = Math.max(last.end, edit.end);
    else merged.push({ ...edit });
  }
  const mergedIndex = indexOf(merged);
  const widened = merged.map((edit) => (isWholeLineDeletion(text, edit) ? widen(text, edit, mergedIndex) : edit));
  const widenedIndex = indexOf(widened);
  return [...widened, ...widened.flatMap((edit) => debugArgumentComment(text, edit, widenedIndex) ?? [])];
}

function indexOf(edits: readonly TextEdit[]): EditIndex {
  const index = new EditIndex();
  for (const edit of edits) index.add(edit);
  return index;
}

// Words of a comment that says nothing but "debug mode on here": `# Enable debug mode.`, `# run with the debugger`.
const DEBUG_WORD = /^debug(?:ger|ging)?$/;
const ONLY_ABOUT_DEBUG = new Set([
  'enable',
  'enables',
  'enabled',
  'enabling',
  'turn',
  'turns',
  'on',
  'activate',
  'set',
  'use',
  'with',
  'the',
  'a',
  'in',
  'for',
  'to',
  'mode',
  'flask',
  'werkzeug',
  'interactive',
  'true',
  'run',
  'runs',
  'app',
  'and',
  'reloader',
  'auto',
  'reload',
  'reloading',
]);

/**
 * When a deletion inside a line takes out a debug argument (`, debug=True` of
 * `app.run(...)`), the comment right above that line goes too if debug mode is
 * all it speaks of: it would describe a call that no longer turns it on.
 */
function debugArgumentComment(text: string, edit: TextEdit, all: EditIndex): TextEdit | undefined {
  if (
    edit.replacement !== '' ||
    edit.end <= edit.start ||
    isWholeLineDeletion(text, edit) ||
    !/debug/i.test(text.slice(edit.start, edit.end))
  )
    return undefined;
  const lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
  let start = lineStart;
  while (start > 0) {
    const previous = previousLineStart(text, start);
    const line = text.slice(previous, start - 1);
    if (!COMMENT.test(line) || DIRECTIVE.test(line) || COMMENTED_OUT_CODE.test(line)) break;
    start = previous;
  }
  if (start === lineStart) return undefined;
  const words =
    text
      .slice(start, lineStart)
      .toLowerCase()
      .match(/[a-z]+/g) ?? [];
  if (
    !words.some((word) => DEBUG_WORD.test(word)) ||
    !words.every((word) => DEBUG_WORD.test(word) || ONLY_ABOUT_DEBUG.has(word))
  )
    return undefined;
  if (all.near(start, lineStart).some((other) => other.start < lineStart && other.end > start)) return undefined;
  return { start, end: lineStart, replacement: '' };
}

function isWholeLineDeletion(text: string, edit: TextEdit): boolean {
  return (
    edit.replacement === '' &&
    edit.end > edit.start &&
    (edit.start === 0 || text[edit.start - 1] === '\n') &&
    (edit.end === text.length || text[edit.end - 1] === '\n')
  );
}

function lineAt(text: string, start: number): { text: string; end: number } {
  const newline = text.indexOf('\n', start);
  const end = newline === -1 ? text.length : newline + 1;
  return { text: text.slice(start, newline === -1 ? text.length : newline), end };
}

function previousLineStart(text: string, lineStart: number): number {
  return text.lastIndexOf('\n', lineStart - 2) + 1;
}

function widen(text: string, edit: TextEdit, all: EditIndex): TextEdit {
  const following = edit.end < text.length ? lineAt(text, edit.end) : undefined;
  if (following && !BLANK.test(following.text)) return edit;
  let start = edit.start;
  while (start > 0) {
    const previous = previousLineStart(text, start);
    const line = text.slice(previous, start - 1);
    if (!COMMENT.test(line) || DIRECTIVE.test(line) || COMMENTED_OUT_CODE.test(line)) break;
    start = previous;
  }
  if (start === edit.start || !ABOUT_DEBUG.test(text.slice(start, edit.start))) return edit;
  // Another edit inside the comment block: leave the block alone rather than overlap it.
  if (all.near(start, edit.start).some((other) => other !== edit && other.start < edit.start && other.end > start))
    return edit;
  const before = start > 0 ? text.slice(previousLineStart(text, start), start - 1) : '';
  const end = following && (start === 0 || BLANK.test(before)) ? following.end : edit.end;
  return { start, end, replacement: '' };
}
