import { DEVELOPMENT_ONLY_NAME, unquote } from '../debug-variables.js';
import { envAssignments } from '../env-file.js';
import { basename, classifyArgv, shellCommandString, unwrapCommand } from '../model-command.js';
import type {
  CommandBranch,
  CommandWord,
  DeployCommand,
  DeployRole,
  Entrypoint,
  EnvOrigin,
  EnvSetting,
  SourceSpan,
  WsgiServerName,
} from '../model.js';
import { parseShellCommands, type ShellCommand } from '../shell/shell-commands.js';
import { isScalar, isSeq } from '../yaml-nodes.js';

/**
 * What every reader of a deploy file shares: spans, roles by file name, and
 * shell text read into commands (src/deploy/shell, bash's grammar). Readers
 * are pure: file text in, what it runs out; the loader (model-loader.ts)
 * follows scripts and env files and links compose services to their Dockerfiles.
 */

// Spans are asked for one after another in one text (every command of a long script): its line starts are
// found once, not counted from the top for each span.
let lineStartsOf: { source: string; starts: number[] } | undefined;

export function spanAt(path: string, source: string, start: number, end: number): SourceSpan {
  if (lineStartsOf?.source !== source) {
    const starts = [0];
    for (let index = source.indexOf('\n'); index !== -1; index = source.indexOf('\n', index + 1))
      starts.push(index + 1);
    lineStartsOf = { source, starts };
  }
  // The line is the number of line starts at or before `start`.
  const { starts } = lineStartsOf;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] ?? 0) <= start) low = middle + 1;
    else high = middle;
  }
  return { path, start, end, line: low };
}

/** An entrypoint as one file defines it, before scripts and env files are followed. */
export type FileEntrypoint = Omit<Entrypoint, 'scripts' | 'serves'> & {
  /** Env files the deploy file loads into the process: compose `env_file:`, systemd `EnvironmentFile=`. */
  envFiles: { path: string; at: SourceSpan; origin: EnvOrigin; optional: boolean }[];
};

/** Builds a DeployCommand from argv: wrappers (`exec`, `env A=1`, `poetry run`) removed, then classified. */
export function deployCommand(argv: string[], at: SourceSpan, parts: SourceSpan[] = [at]): DeployCommand {
  const { argv: unwrapped, assignments } = unwrapCommand(argv);
  return {
    argv,
    at,
    parts,
    target: classifyArgv(unwrapped),
    prefixEnv: assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix', at })),
  };
}

/** A list element where the file writes it: its text and span (quotes included). */
export interface ListItem {
  text: string;
  start: number;
  end: number;
}

/**
 * The words of an exec-form array or a YAML list, each with what removing it takes: in a flow list
 * (`["flask", "run", "--debug"]`) the separator before it (after it for the first), so removing
 * several neighbours joins into one edit; in a block list the whole `- item` line with the line break
 * before it.
 */
export function listWords(items: readonly ListItem[], source: string, block: boolean): CommandWord[] {
  return items.map((item, index) => {
    const next = items[index + 1];
    const previous = items[index - 1];
    let removal: { start: number; end: number };
    if (block) {
      const lineBreak = source.lastIndexOf('\n', item.start);
      const rest = /^[ \t]*(?:#[^\n]*)?(?=\r?\n|$)/.exec(source.slice(item.end));
      removal = {
        start: lineBreak > 0 && source[lineBreak - 1] === '\r' ? lineBreak - 1 : Math.max(lineBreak, 0),
        end: item.end + (rest?.[0].length ?? 0),
      };
    } else if (previous) removal = { start: previous.end, end: item.end };
    else if (next) removal = { start: item.start, end: next.start };
    else removal = { start: item.start, end: item.end };
    return { text: item.text, start: item.start, end: item.end, removal };
  });
}

/** A YAML sequence's elements as words where the file writes them (undefined for a scalar or a non-string item). */
export function yamlListWords(node: unknown, source: string): CommandWord[] | undefined {
  if (!isSeq(node)) return undefined;
  const items: ListItem[] = [];
  for (const item of node.items) {
    const range = (item as { range?: [number, number, number] } | null)?.range;
    if (!isScalar(item) || !range) return undefined;
    items.push({ text: String(item.value), start: range[0], end: range[1] });
  }
  return listWords(items, source, node.flow !== true && source[yamlStart(node) ?? 0] !== '[');
}

function yamlStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}

/** The simple commands a command line runs: `sh -c "a && exec b"` is two. */
export function expandShell(command: DeployCommand): DeployCommand[] {
  const script = shellCommandString(unwrapCommand(command.argv).argv);
  if (script === undefined) return [command];
  return parseShellCommands(script).flatMap((simple) => {
    const inner = deployCommand(simple.argv, command.at, command.parts);
    inner.prefixEnv.unshift(
      ...simple.assignments.map(({ name, value }) => ({
        name,
        value,
        origin: 'command-prefix' as const,
        at: command.at,
      })),
    );
    return expandShell(inner);
  });
}

/** Where shell text sits in its file: `offset` is the file offset of the text's first character. */
export interface ShellTextPlace {
  path: string;
  source: string;
  offset: number;
  /** The span findings about these commands point at (the Procfile line, the CMD instruction). */
  at: SourceSpan;
  parts?: SourceSpan[];
}

/** One parsed simple command as a DeployCommand, its words and branch placed in the file. */
export function placedCommand(simple: ShellCommand, place: ShellTextPlace, at = place.at): DeployCommand {
  const command = deployCommand(simple.argv, at, place.parts ?? [at]);
  command.prefixEnv.unshift(
    ...simple.assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix' as const, at })),
  );
  command.words = simple.words.map((word) => ({
    text: word.text,
    start: place.offset + word.start,
    end: place.offset + word.end,
  }));
  command.span = spanAt(place.path, place.source, place.offset + simple.start, place.offset + simple.end);
  const branch = branchAt(simple, place);
  if (branch) command.branch = branch;
  return command;
}

export function branchAt(simple: ShellCommand, place: ShellTextPlace): CommandBranch | undefined {
  const { branch } = simple;
  return branch
    ? {
        condition: branch.condition,
        at: spanAt(place.path, place.source, place.offset + branch.start, place.offset + branch.end),
        development: branch.development,
        ...(branch.optIn ? { optIn: branch.optIn } : {}),
        ...(branch.optInRunsWhen ? { optInRunsWhen: branch.optInRunsWhen } : {}),
      }
    : undefined;
}

export function developmentName(name: string): boolean {
  return DEVELOPMENT_ONLY_NAME.test(name);
}

export function fileRole(path: string, stem: string): { role: DeployRole; roleReason: string } | undefined {
  const segments = path.split(/[\\/]/);
  const folder = segments.slice(-4, -1).find((segment) => /^(?:dev|development|local)$/i.test(segment));
  if (developmentName(stem)) return { role: 'development', roleReason: `${basename(path)} is named for development` };
  if (folder) return { role: 'development', roleReason: `${folder}/ holds development files` };
  return undefined;
}

/**
 * A YAML scalar of shell text (a Render startCommand, an App Engine entrypoint), read as a Procfile line is
 * (the last command that serves); undefined when it is empty or not a scalar.
 */
export function yamlShellCommand(node: unknown, path: string, source: string): DeployCommand | undefined {
  const text = isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (text === undefined || text.trim() === '' || !range) return undefined;
  const at = spanAt(path, source, range[0], range[1]);
  // A plain scalar is the file's own text: its words have places there (a quoted one's escapes move them).
  if (source.slice(range[0], range[1]) === text)
    return lineCommands(text, { path, source, offset: range[0], at }).at(-1);
  const last = parseShellCommands(text).at(-1);
  return last && last.argv.length > 0 ? deployCommand(last.argv, at) : undefined;
}

/** The commands of one shell line, the last one that starts something first class: what the line serves. */
export function lineCommands(text: string, place: ShellTextPlace): DeployCommand[] {
  const commands = parseShellCommands(text).flatMap((simple) => expandShell(placedCommand(simple, place)));
  const served = [...commands].reverse().find((command) => command.target.kind !== 'other') ?? commands.at(-1);
  if (!served) return [];
  // Variables set by earlier commands of the line (`export A=1 && flask run`) reach the served one.
  return [
    {
      ...served,
      prefixEnv: [...commands.filter((command) => command !== served).flatMap(exportsOf), ...served.prefixEnv],
    },
  ];
}

function exportsOf(command: DeployCommand): EnvSetting[] {
  if (command.argv[0] !== 'export') return [];
  return command.argv.slice(1).flatMap((word) => {
    const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
    return match
      ? [{ name: match[1] ?? '', value: match[2] ?? '', origin: 'script-export' as const, at: command.at }]
      : [];
  });
}

export function forEachLine(source: string, visit: (line: string, start: number) => void): void {
  let offset = 0;
  for (const line of source.split('\n')) {
    visit(line.replace(/\r$/, ''), offset);
    offset += line.length + 1;
  }
}

/** A dotenv-style file's variables, as settings an entrypoint gets through `via`. */
export function envFileSettings(path: string, source: string, via: SourceSpan, origin: EnvOrigin): EnvSetting[] {
  return envAssignments(source).map((assignment) => ({
    name: assignment.name,
    value: unquote(assignment.value.trim()),
    origin,
    at: { path, start: assignment.start, end: assignment.end, line: assignment.line },
    via,
  }));
}

/**
 * The command of a server or platform the deploy file names by its config rather than a command line (a gunicorn
 * or uWSGI config file, Vercel, Zappa, serverless-wsgi, a Lambda handler): it imports `app` and serves it.
 */
export function serverCommand(
  argv: string[],
  at: SourceSpan,
  server: WsgiServerName,
  app: string | undefined,
): DeployCommand {
  return { argv, at, parts: [at], target: { kind: 'wsgi-server', server, ...(app ? { app } : {}) }, prefixEnv: [] };
}
