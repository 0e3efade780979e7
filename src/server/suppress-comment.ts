import type { TextEdit } from 'vscode-languageserver/node';
import type { FileKind } from '../rules/rule.js';

/**
 * The edit that silences one finding with `# secure-flask: ignore[rule-id]`.
 * check reads the comment on the finding's first or last line, or on a
 * comment-only line just above it. Every kind of file check reads takes `#` at
 * the start of a line as a comment, while a trailing one would become part of
 * the value in env files, systemd units and Procfiles, so the comment goes on a
 * line of its own above, indented like the line it silences. Where the line
 * above continues onto this one (`\`), a comment line would end the statement
 * in Python and shell (Docker drops comment lines inside an instruction), so the
 * comment trails the finding's last line there, or is not offered.
 */
export function suppressionEdit(
  text: string,
  kind: FileKind,
  ruleId: string,
  firstLine: number,
  lastLine: number,
): TextEdit | undefined {
  const lines = text.split('\n');
  const comment = `# secure-flask: ignore[${ruleId}]`;
  const first = lines[firstLine - 1];
  if (first === undefined) return undefined;
  const above = lines[firstLine - 2];
  const continued = above !== undefined && /\\\r?$/.test(above);
  if (!continued || kind === 'dockerfile') {
    const indent = /^[ \t]*/.exec(first)?.[0] ?? '';
    const newline = first.endsWith('\r') ? '\r\n' : '\n';
    return {
      range: { start: { line: firstLine - 1, character: 0 }, end: { line: firstLine - 1, character: 0 } },
      newText: `${indent}${comment}${newline}`,
    };
  }
  if (kind !== 'python' && kind !== 'script') return undefined;
  const last = (lines[lastLine - 1] ?? '').replace(/\r$/, '');
  if (/\\$/.test(last)) return undefined;
  return {
    range: {
      start: { line: lastLine - 1, character: last.length },
      end: { line: lastLine - 1, character: last.length },
    },
    newText: `  ${comment}`,
  };
}
