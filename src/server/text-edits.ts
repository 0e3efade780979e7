import { pathToFileURL } from 'node:url';
import { diffLines } from 'diff';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { ExtraFile } from '../migrate/plan.js';

/** What the client said it can apply (`workspace.workspaceEdit` capabilities). */
export interface EditSupport {
  documentChanges: boolean;
  createFiles: boolean;
}

/**
 * The edits that turn `before` into `after`, as small as the line diff allows:
 * each changed run of lines, less what its start and end share, so the
 * cursor and the rest of the buffer stay where they are.
 */
export function textEditsBetween(before: string, after: string): TextEdit[] {
  const positions = TextDocument.create('file:///', 'plaintext', 0, before);
  const edits: TextEdit[] = [];
  let offset = 0;
  let pending: { start: number; end: number; text: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const removed = before.slice(pending.start, pending.end);
    const shared = sharedEnds(removed, pending.text);
    const start = pending.start + shared.prefix;
    const end = pending.end - shared.suffix;
    edits.push({
      range: { start: positions.positionAt(start), end: positions.positionAt(end) },
      newText: pending.text.slice(shared.prefix, pending.text.length - shared.suffix),
    });
    pending = undefined;
  };
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      continue;
    }
    pending ??= { start: offset, end: offset, text: '' };
    if (part.removed) {
      offset += part.value.length;
      pending.end = offset;
    } else {
      pending.text += part.value;
    }
  }
  flush();
  return edits;
}

/** How many characters two strings share at the start, and then at the end (never overlapping). */
function sharedEnds(a: string, b: string): { prefix: number; suffix: number } {
  const limit = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

/**
 * One change across files: the document's own edits, files to create (wsgi.py,
 * gunicorn.conf.py) and lines appended to others (requirements.txt). Undefined
 * when the client cannot apply it (creating a file needs `documentChanges` and
 * the `create` resource operation).
 */
export function workspaceEditOf(
  document: { uri: string; version: number },
  edits: TextEdit[],
  extras: readonly ExtraFile[],
  support: EditSupport,
): WorkspaceEdit | undefined {
  if (!support.documentChanges) {
    if (extras.some((extra) => extra.created)) return undefined;
    const changes: Record<string, TextEdit[]> = { [document.uri]: edits };
    for (const extra of extras) changes[pathToFileURL(extra.path).href] = textEditsBetween(extra.before, extra.after);
    return { changes };
  }
  if (extras.some((extra) => extra.created) && !support.createFiles) return undefined;
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [
    { textDocument: { uri: document.uri, version: document.version }, edits },
  ];
  for (const extra of extras) {
    const uri = pathToFileURL(extra.path).href;
    if (extra.created) documentChanges.push({ kind: 'create', uri });
    // A file the client may not have open: no version to check against (null).
    documentChanges.push({ textDocument: { uri, version: null }, edits: textEditsBetween(extra.before, extra.after) });
  }
  return { documentChanges };
}
