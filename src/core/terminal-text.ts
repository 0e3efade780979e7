import stringWidth from 'fast-string-width';

/**
 * Columns a string takes in a terminal: CJK and most emoji take two, combining
 * marks none. String length would wrap Japanese evidence at twice the width.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Splits text into lines of at most `width` columns at spaces (a word longer
 * than a line is left whole, never cut); the first line has `firstWidth`.
 */
export function wrapWords(text: string, firstWidth: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of text.split(' ')) {
    const limit = lines.length === 0 ? firstWidth : width;
    const wordWidth = displayWidth(word);
    if (current !== '' && currentWidth + 1 + wordWidth > limit) {
      lines.push(current);
      current = word;
      currentWidth = wordWidth;
    } else {
      current = current === '' ? word : `${current} ${word}`;
      currentWidth = current === word ? wordWidth : currentWidth + 1 + wordWidth;
    }
  }
  lines.push(current);
  return lines;
}

/**
 * The width to lay text out for: the terminal's, or COLUMNS when set (as Ruff
 * and most CLIs read it); unlimited for pipes and files, which do not wrap.
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return Infinity;
}

// Narrower than this, wrapping does more harm than letting the terminal fold lines.
export const MIN_WRAP_WIDTH = 40;

/** `text` wrapped to `width` columns after `prefix`, continuation lines indented under the text. */
export function hangingLines(prefix: string, text: string, width: number): string[] {
  if (!Number.isFinite(width)) return [`${prefix}${text}`];
  const columns = Math.max(width, MIN_WRAP_WIDTH);
  const indent = displayWidth(prefix);
  const lines = wrapWords(text, columns - indent, columns - indent);
  return lines.map((line, index) => (index === 0 ? prefix : ' '.repeat(indent)) + line);
}
