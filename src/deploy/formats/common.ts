import { DEVELOPMENT_ONLY_NAME, unquote } from '../debug-variables.js';
import { envAssignments } from '../env-file.js';
import { basename, classifyArgv, shellCommandString, unwrapCommand } from '../model-command.js';
import type {
  CommandBranch,
  DeployCommand,
  DeployRole,
  Entrypoint,
  EnvOrigin,
  EnvSetting,
  SourceSpan,
} from '../model.js';
import { parseShellCommands, type ShellCommand } from '../shell/shell-commands.js';

/**
 * What every reader of a deploy file shares: spans, roles by file name, and
 * shell text read into commands (src/deploy/shell, bash's grammar). Readers
 * are pure: file text in, what it runs out; the loader (model-loader.ts)
 * follows scripts and env files and links compose services to their Dockerfiles.
 */

export function spanAt(path: string, source: string, start: number, end: number): SourceSpan {
  let line = 1;
  for (let index = source.indexOf('\n'); index !== -1 && index < start; index = source.indexOf('\n', index + 1)) line++;
  return { path, start, end, line };
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
