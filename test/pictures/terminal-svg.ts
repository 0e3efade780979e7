import xterm from '@xterm/headless';
import { must } from '../support/must.js';

/**
 * Terminal output as an SVG picture. @xterm/headless (xterm.js, the terminal of VS Code)
 * plays the bytes a program wrote, cursor moves and erases included, onto a screen of
 * cells; each row's runs of same-styled cells become SVG text. What the picture shows is
 * what a terminal of that size showed.
 */

export interface TerminalPictureOptions {
  cols: number;
  rows: number;
  title: string;
}

// A dark palette close to VS Code's: the 16 ANSI colours, normal then bright.
const PALETTE = [
  '#1e1e1e',
  '#f14c4c',
  '#23d18b',
  '#f5f543',
  '#3b8eea',
  '#d670d6',
  '#29b8db',
  '#e5e5e5',
  '#666666',
  '#f14c4c',
  '#23d18b',
  '#f5f543',
  '#3b8eea',
  '#d670d6',
  '#29b8db',
  '#ffffff',
];
const FOREGROUND = '#cccccc';
const BACKGROUND = '#1e1e1e';
const FONT_SIZE = 14;
const CELL_WIDTH = 8.4; // 0.6em: the advance of common monospace fonts
const LINE_HEIGHT = 19;
const PADDING = 16;
const TITLE_BAR = 30;

type Cell = NonNullable<ReturnType<NonNullable<ReturnType<xterm.Terminal['buffer']['active']['getLine']>>['getCell']>>;

function colorOf(cell: Cell, which: 'fg' | 'bg'): string | undefined {
  const isDefault = which === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
  if (isDefault) return undefined;
  const value = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
  const palette = which === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
  if (palette) return PALETTE[value] ?? (value < 256 ? xterm256(value) : undefined);
  return `#${value.toString(16).padStart(6, '0')}`;
}

/** Colours 16-255 of the xterm 256-colour cube and grey ramp. */
function xterm256(index: number): string {
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `rgb(${level},${level},${level})`;
  }
  const cube = index - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  return `rgb(${steps[Math.floor(cube / 36)]},${steps[Math.floor(cube / 6) % 6]},${steps[cube % 6]})`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Run {
  column: number;
  width: number;
  text: string;
  fg: string | undefined;
  bg: string | undefined;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

/** Plays `output` on a terminal of the given size and draws the last screen it showed. */
export async function renderTerminalSvg(output: string, options: TerminalPictureOptions): Promise<string> {
  const terminal = new xterm.Terminal({
    cols: options.cols,
    rows: options.rows,
    allowProposedApi: true,
    convertEol: true,
    scrollback: 0,
  });
  await new Promise<void>((done) => terminal.write(output, done));
  const buffer = terminal.buffer.active;
  const rows: Run[][] = [];
  for (let y = 0; y < options.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    const runs: Run[] = [];
    if (line) {
      for (let x = 0; x < options.cols; x++) {
        const cell = line.getCell(x);
        if (!cell || cell.getWidth() === 0) continue;
        const inverse = cell.isInverse() !== 0;
        const fg = colorOf(cell, inverse ? 'bg' : 'fg') ?? (inverse ? BACKGROUND : undefined);
        const bg = colorOf(cell, inverse ? 'fg' : 'bg') ?? (inverse ? FOREGROUND : undefined);
        const style = {
          fg,
          bg,
          bold: cell.isBold() !== 0,
          dim: cell.isDim() !== 0,
          italic: cell.isItalic() !== 0,
          underline: cell.isUnderline() !== 0,
        };
        const chars = cell.getChars() || ' ';
        const last = runs.at(-1);
        const same =
          last &&
          last.fg === style.fg &&
          last.bg === style.bg &&
          last.bold === style.bold &&
          last.dim === style.dim &&
          last.italic === style.italic &&
          last.underline === style.underline;
        if (same && last.column + last.width === x) {
          last.text += chars;
          last.width += cell.getWidth();
        } else {
          runs.push({ column: x, width: cell.getWidth(), text: chars, ...style });
        }
      }
    }
    // The blank cells after a row's last character are not text to stretch over.
    const last = runs.at(-1);
    if (last && !last.bg) {
      const trimmed = last.text.trimEnd();
      last.width -= last.text.length - trimmed.length;
      last.text = trimmed;
      if (trimmed === '') runs.pop();
    }
    rows.push(runs);
  }
  terminal.dispose();
  // Blank rows at the bottom of the screen are not part of the picture.
  while (rows.length > 1 && must(rows.at(-1)).every((run) => run.text.trim() === '' && !run.bg)) rows.pop();

  const width = Math.ceil(options.cols * CELL_WIDTH + 2 * PADDING);
  const height = Math.ceil(TITLE_BAR + rows.length * LINE_HEIGHT + 2 * PADDING);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`,
    `<circle cx="20" cy="15" r="6" fill="#ff5f57"/><circle cx="40" cy="15" r="6" fill="#febc2e"/><circle cx="60" cy="15" r="6" fill="#28c840"/>`,
    `<text x="${width / 2}" y="19" fill="#8b8b8b" font-family="sans-serif" font-size="12" text-anchor="middle">${escapeXml(options.title)}</text>`,
    `<g font-family="'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace" font-size="${FONT_SIZE}" xml:space="preserve">`,
  ];
  rows.forEach((runs, y) => {
    const top = TITLE_BAR + PADDING + y * LINE_HEIGHT;
    for (const run of runs) {
      const x = (PADDING + run.column * CELL_WIDTH).toFixed(1);
      const runWidth = (run.width * CELL_WIDTH).toFixed(1);
      if (run.bg)
        parts.push(`<rect x="${x}" y="${top}" width="${runWidth}" height="${LINE_HEIGHT}" fill="${run.bg}"/>`);
      if (run.text.trim() === '') continue;
      const attributes = [
        `x="${x}"`,
        `y="${top + LINE_HEIGHT - 5}"`,
        `fill="${run.fg ?? FOREGROUND}"`,
        // Each run spans exactly its cells, whatever font the viewer picks.
        `textLength="${runWidth}"`,
        'lengthAdjust="spacingAndGlyphs"',
        run.bold ? 'font-weight="bold"' : '',
        run.dim ? 'opacity="0.6"' : '',
        run.italic ? 'font-style="italic"' : '',
        run.underline ? 'text-decoration="underline"' : '',
      ].filter(Boolean);
      parts.push(`<text ${attributes.join(' ')}>${escapeXml(run.text)}</text>`);
    }
  });
  parts.push('</g>', '</svg>', '');
  return parts.join('\n');
}
