/** LSP positions and text edits applied to a string, as a client applies them (UTF-16 positions). */
export interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/** Applies edits that do not overlap, from the last to the first so offsets stay valid. */
export function applyTextEdits(text: string, edits: readonly LspTextEdit[]): string {
  const located = edits.map((edit) => ({
    start: offsetAt(text, edit.range.start),
    end: offsetAt(text, edit.range.end),
    newText: edit.newText,
  }));
  located.sort((a, b) => b.start - a.start);
  located.forEach((edit, index) => {
    const next = located[index - 1];
    if (next && edit.end > next.start) throw new Error('overlapping edits');
  });
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
