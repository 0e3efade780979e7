import type { Fix, TextEdit } from '../core/findings.js';
import { lineStart, nextLineStart } from '../python/edit-helpers.js';
import type { DevServerCommand } from './dev-server-command.js';
import { GUNICORN_ARGV, planWsgiEntrypoint } from './wsgi-entrypoint.js';

/** Removes the whole lines that `start..end` touches, line breaks included. */
export function removeLines(source: string, start: number, end: number): TextEdit {
  return { start: lineStart(source, start), end: nextLineStart(source, Math.max(start, end - 1)), replacement: '' };
}

/**
 * The fix that swaps a dev-server command for Gunicorn: `render` writes the
 * new command in the file's own syntax; wsgi.py, gunicorn.conf.py and the
 * requirement come along when missing. No fix when the app cannot be found.
 */
export function devServerFix(
  deployFile: string,
  command: DevServerCommand,
  commandText: string,
  range: { start: number; end: number },
  render: (argv: string[]) => string,
): Fix | undefined {
  const entrypoint = planWsgiEntrypoint(deployFile, command, commandText);
  if (!entrypoint) return undefined;
  const extra = entrypoint.summary ? `; ${entrypoint.summary}` : '';
  return {
    title: `serve with Gunicorn instead of Flask's development server${extra}`,
    edits: [{ start: range.start, end: range.end, replacement: render(GUNICORN_ARGV) }],
    ...entrypoint.supportingChanges,
  };
}
