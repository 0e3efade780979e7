import { forEachLine } from './common.js';

/** systemd units and supervisord configs: `[section]` and `key = value`. */
export interface IniEntry {
  section: string;
  key: string;
  value: string;
  start: number;
  end: number;
  valueStart: number;
}

/**
 * The entries of an ini-style file. With `continuations` (systemd), a value ending in `\` goes on over the
 * next line: the backslash and line break are blanked to spaces, so offsets in the value stay offsets in the file.
 */
export function iniEntries(source: string, continuations = false): IniEntry[] {
  const entries: IniEntry[] = [];
  let section = '';
  const text = continuations ? source.replace(/\\[ \t]*\r?\n/g, (joint) => ' '.repeat(joint.length)) : source;
  forEachLine(text, (line, start) => {
    const header = /^[ \t]*\[([^\]]+)\]/.exec(line);
    if (header) {
      section = (header[1] ?? '').trim();
      return;
    }
    const match = /^([ \t]*)([\w.-]+)[ \t]*=[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match || /^[ \t]*[#;]/.test(line)) return;
    const valueStart = start + line.indexOf(match[3] ?? '', (match[1] ?? '').length + (match[2] ?? '').length);
    entries.push({
      section,
      key: match[2] ?? '',
      value: match[3] ?? '',
      start: start + (match[1] ?? '').length,
      end: start + line.length,
      valueStart,
    });
  });
  return entries;
}
