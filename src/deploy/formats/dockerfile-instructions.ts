export interface DockerInstruction {
  /** Upper-cased keyword: ENV, CMD, ENTRYPOINT, FROM, ... */
  keyword: string;
  /** The arguments with line continuations blanked out (same length, so offsets still match the file). */
  args: string;
  argsStart: number;
  start: number;
  /** The end of the instruction: of its last line, or of its last heredoc's terminator. */
  end: number;
  /** The `AS name` of the build stage the instruction belongs to ('' before the first named stage). */
  stage: string;
  /** Here-documents (`RUN <<EOF` ... `EOF`): each body where the file writes it. */
  heredocs?: { delimiter: string; body: string; start: number }[];
}

// A parser directive (`# escape=\``, `# syntax=...`): only at the very top, before any comment, blank or instruction.
const DIRECTIVE = /^#[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(\S+)[ \t]*\r?$/;
// `<<EOF`, `<<-EOF`, `<<"EOF"` (BuildKit heredocs in RUN, COPY and ADD).
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/** The escape character a `# escape=` directive sets (`\` by default, `` ` `` on Windows images). */
export function escapeCharacter(source: string): string {
  for (const line of source.split('\n')) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\'))
      return directive[2];
  }
  return '\\';
}

/**
 * Splits a Dockerfile into instructions, joining continuations (`\`, or the `# escape=` character) and
 * skipping comments; a heredoc's lines belong to its instruction (they are never read as instructions).
 */
export function dockerInstructions(source: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  const escapeChar = escapeCharacter(source);
  const continuation = new RegExp(`${escapeChar === '`' ? '`' : '\\\\'}[ \\t]*\\r?\\n`, 'g');
  // Blank out continuations without moving any offsets; a comment line does not continue (nor does a directive).
  const flat = source.replace(continuation, (m, at: number) =>
    source
      .slice(source.lastIndexOf('\n', at - 1) + 1, at)
      .trimStart()
      .startsWith('#')
      ? m
      : ' '.repeat(m.length),
  );
  const lines = flat.split('\n');
  let stage = '';
  let offset = 0;
  for (let index = 0; index < lines.length; index++) {
    const rawLine = lines[index] ?? '';
    const lineStart = offset;
    offset += rawLine.length + 1;
    const match = /^([ \t]*)([A-Za-z]+)([ \t]+)(.*?)[ \t\r]*$/.exec(rawLine);
    if (!match || rawLine.trimStart().startsWith('#')) continue;
    const [, indent = '', keywordText = '', gap = '', args = ''] = match;
    const keyword = keywordText.toUpperCase();
    if (keyword === 'FROM') stage = /\bAS[ \t]+(\S+)/i.exec(args)?.[1] ?? '';
    const argsStart = lineStart + indent.length + keywordText.length + gap.length;
    const instruction: DockerInstruction = {
      keyword,
      args,
      argsStart,
      start: lineStart + indent.length,
      end: argsStart + args.length,
      stage,
    };
    // Each heredoc's body runs to its delimiter line (`<<-` strips leading tabs from it), in order.
    for (const heredoc of HEREDOC_KEYWORDS.has(keyword) ? args.matchAll(HEREDOC) : []) {
      const [, strip = '', , delimiter = ''] = heredoc;
      const start = offset;
      const body: string[] = [];
      for (index++; index < lines.length; index++) {
        const line = (lines[index] ?? '').replace(/\r$/, '');
        offset += (lines[index] ?? '').length + 1;
        if ((strip ? line.replace(/^\t+/, '') : line) === delimiter) {
          instruction.end = offset - 1 - ((lines[index] ?? '').endsWith('\r') ? 1 : 0);
          break;
        }
        body.push(line);
      }
      (instruction.heredocs ??= []).push({ delimiter, body: body.map((line) => `${line}\n`).join(''), start });
    }
    instructions.push(instruction);
  }
  return instructions;
}

export interface DockerEnvPair {
  name: string;
  value: string;
  start: number;
  end: number;
}

/** The variables an `ENV` sets, in both the `KEY=value ...` and the legacy `KEY value` syntax. */
export function dockerEnvPairs(instruction: DockerInstruction): DockerEnvPair[] {
  const { args, argsStart } = instruction;
  const legacy = /^([A-Za-z_]\w*)[ \t]+([^=\s].*)$/.exec(args);
  if (legacy?.[1] && legacy[2] !== undefined && !/^[A-Za-z_]\w*=/.test(args)) {
    return [{ name: legacy[1], value: legacy[2].trim(), start: argsStart, end: argsStart + args.length }];
  }
  const pairs: DockerEnvPair[] = [];
  for (const match of args.matchAll(/([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const start = argsStart + (match.index ?? 0);
    pairs.push({ name: match[1] ?? '', value: match[2] ?? '', start, end: start + match[0].length });
  }
  return pairs;
}

/**
 * The command of a CMD/ENTRYPOINT/RUN as one line: exec form (JSON array) joined with spaces. A `RUN <<EOF`
 * runs its heredoc as a script: that body is the command.
 */
export function dockerCommandText(instruction: DockerInstruction): string {
  const script = heredocScript(instruction);
  if (script) return script.text;
  const trimmed = instruction.args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parts = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parts)) return parts.map(String).join(' ');
    } catch {
      // Not valid JSON: Docker runs it in a shell as written.
    }
  }
  return trimmed;
}

/** "CMD", or "ENTRYPOINT + CMD" when a command is made of both: the keywords at the start of each span. */
export function instructionNames(source: string, spans: readonly { start: number }[]): string {
  return spans
    .map((span) => /^[A-Za-z]+/.exec(source.slice(span.start, span.start + 12))?.[0]?.toUpperCase() ?? '')
    .filter(Boolean)
    .join(' + ');
}

/**
 * The elements of an exec-form (JSON array) instruction where the file writes them, or undefined for
 * shell form. Continuation lines are blanks in `args`, so offsets are the file's.
 */
export function execFormItems(
  instruction: DockerInstruction,
): { text: string; start: number; end: number }[] | undefined {
  const { args, argsStart } = instruction;
  const open = args.search(/\S/);
  if (open === -1 || args[open] !== '[') return undefined;
  const items: { text: string; start: number; end: number }[] = [];
  let index = open + 1;
  for (;;) {
    index += /^[\s]*/.exec(args.slice(index))?.[0].length ?? 0;
    if (args[index] === ']') break;
    const token = /^"(?:[^"\\]|\\.)*"/.exec(args.slice(index))?.[0];
    if (token === undefined) return undefined;
    let text: unknown;
    try {
      text = JSON.parse(token);
    } catch {
      return undefined;
    }
    items.push({ text: String(text), start: argsStart + index, end: argsStart + index + token.length });
    index += token.length;
    index += /^[\s]*/.exec(args.slice(index))?.[0].length ?? 0;
    if (args[index] === ',') index++;
    else if (args[index] !== ']') return undefined;
  }
  return args.slice(index + 1).trim() === '' ? items : undefined;
}

/** The script a `RUN <<EOF` (nothing but the heredoc on its line) runs, and where its text starts in the file. */
export function heredocScript(instruction: DockerInstruction): { text: string; start: number } | undefined {
  const [heredoc] = instruction.heredocs ?? [];
  if (!heredoc || instruction.keyword !== 'RUN') return undefined;
  const options = instruction.args.replace(/^(?:--\S+\s+)+/, '');
  return /^<<-?(["']?)[A-Za-z_][\w.-]*\1$/.test(options.trim())
    ? { text: heredoc.body, start: heredoc.start }
    : undefined;
}
