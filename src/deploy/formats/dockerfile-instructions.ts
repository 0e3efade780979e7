export interface DockerInstruction {
  /** Upper-cased keyword: ENV, CMD, ENTRYPOINT, FROM, ... */
  keyword: string;
  /** The arguments with line continuations blanked out (same length, so offsets still match the file). */
  args: string;
  argsStart: number;
  start: number;
  end: number;
  /** The `AS name` of the build stage the instruction belongs to ('' before the first named stage). */
  stage: string;
}

/** Splits a Dockerfile into instructions, joining `\` continuations and skipping comments. */
export function dockerInstructions(source: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  // Blank out continuations and comment lines inside them without moving any offsets.
  const flat = source.replace(/\\[ \t]*\r?\n/g, (m) => ' '.repeat(m.length));
  let stage = '';
  let offset = 0;
  for (const rawLine of flat.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const match = /^([ \t]*)([A-Za-z]+)([ \t]+)(.*?)[ \t\r]*$/.exec(rawLine);
    if (!match || rawLine.trimStart().startsWith('#')) continue;
    const [, indent = '', keywordText = '', gap = '', args = ''] = match;
    const keyword = keywordText.toUpperCase();
    if (keyword === 'FROM') stage = /\bAS[ \t]+(\S+)/i.exec(args)?.[1] ?? '';
    const argsStart = lineStart + indent.length + keywordText.length + gap.length;
    instructions.push({
      keyword,
      args,
      argsStart,
      start: lineStart + indent.length,
      end: argsStart + args.length,
      stage,
    });
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

/** The command of a CMD/ENTRYPOINT/RUN as one line: exec form (JSON array) joined with spaces. */
export function dockerCommandText(instruction: DockerInstruction): string {
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
