/** Help is laid out for this many columns: the classic terminal, and what `--help | less` shows whole. */
export const HELP_WIDTH = 80;

// `  --flag <value>     description`, `  probe URL...   description`: a term (words one space apart),
// then the description after two or more spaces.
const OPTION_LINE = /^( {2,}\S(?:\S| \S)*? {2,})(\S.*)$/;

/**
 * Fits a help text into `width` columns without touching what already fits:
 * an option whose description runs over is re-wrapped under its description
 * column, a paragraph that runs over is re-wrapped at its indent. Hand layout
 * (tables, examples) that fits stays exactly as written.
 */
export function fitHelp(text: string, width = HELP_WIDTH): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let index = 0;
  for (let line = lines[index]; line !== undefined; line = lines[index]) {
    const option = OPTION_LINE.exec(line);
    if (option) {
      const [, term = '', description = ''] = option;
      const column = term.length;
      const group = [line];
      for (
        let next = lines[index + 1];
        next !== undefined && isContinuation(next, column);
        next = lines[index + group.length]
      )
        group.push(next);
      index += group.length;
      if (group.every((member) => member.length <= width)) out.push(...group);
      else
        out.push(
          ...wrap(
            [description, ...group.slice(1).map((member) => member.trim())].join(' '),
            term,
            ' '.repeat(column),
            width,
          ),
        );
      continue;
    }
    if (line.trim() === '') {
      out.push(line);
      index++;
      continue;
    }
    const indent = /^ */.exec(line)?.[0] ?? '';
    const group = [line];
    for (
      let next = lines[index + 1];
      next !== undefined && isParagraphLine(next, indent);
      next = lines[index + group.length]
    )
      group.push(next);
    index += group.length;
    if (group.every((member) => member.length <= width)) out.push(...group);
    else {
      const item = /^ *[-*] /.exec(line)?.[0];
      out.push(
        ...wrap(
          group
            .map((member) => member.trim())
            .join(' ')
            .slice(item ? item.length - indent.length : 0),
          item ?? indent,
          ' '.repeat((item ?? indent).length),
          width,
        ),
      );
    }
  }
  return out.join('\n');
}

function isContinuation(line: string, column: number): boolean {
  return line.length > column && line.slice(0, column).trim() === '' && line[column] !== ' ';
}

function isParagraphLine(line: string, indent: string): boolean {
  // A list item (`- ...`) starts a paragraph of its own.
  return (
    line.trim() !== '' &&
    line.startsWith(indent) &&
    line[indent.length] !== ' ' &&
    !OPTION_LINE.test(line) &&
    !/^[-*] /.test(line.slice(indent.length))
  );
}

function wrap(text: string, first: string, rest: string, width: number): string[] {
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && current.length + 1 + word.length > width) {
      lines.push(current);
      current = rest + word;
    } else current = empty ? current + word : `${current} ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines;
}
