import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { basename, unwrapCommand } from './model-command.js';
import { deployCommand, type FileEntrypoint } from './formats/common.js';
import type { DockerfileModel } from './formats/dockerfile.js';
import { scriptFacts } from './formats/script.js';
import { servesApp, type DeployCommand, type EnvSetting, type ScriptRun } from './model.js';
import { resolveModuleRun } from './module-run.js';
import { resolveOptIns } from './opt-in-branch.js';
import { scriptRole } from './script-role.js';
import { markNonServingScript } from './script-serves.js';
import { resolveScriptFile } from './script-file.js';

// What an entrypoint finally runs when its command is a shell script: the script's own commands, followed
// (through `exec "$@"` and scripts that call scripts) to the last one that starts a server.

const MAX_SCRIPT_DEPTH = 4;

export interface FollowState {
  entry: FileEntrypoint;
  root: string;
  read: (path: string) => string | undefined;
  copies: DockerfileModel['copies'];
  scripts: ScriptRun[];
  /** What the entrypoint's process gets before any script runs: it may turn a script's opt-in branch on. */
  environment: readonly EnvSetting[];
  depth: number;
  visited: Set<string>;
}

export function lastStarting(commands: DeployCommand[]): DeployCommand | undefined {
  return [...commands].reverse().find((command) => command.target.kind !== 'other') ?? commands.at(-1);
}

/**
 * Completes a command's target from the repository: `python -m pkg` found as a file, and a `python x.py` whose
 * file starts no server marked as no run of the app. Idempotent.
 */
export function resolveCommand(
  command: DeployCommand,
  state: Pick<FollowState, 'entry' | 'root' | 'read' | 'copies'>,
  changedDirectory = false,
) {
  const { root, read } = state;
  resolveModuleRun(command, root, read);
  // After a `cd` the script is relative to a folder the model does not follow: matched by name, as before.
  if (!changedDirectory) resolveScriptFile(command, state);
  const { target } = command;
  const file = target.kind === 'python-script' ? target.file : undefined;
  const locateScript = (script: string) =>
    (target.kind === 'python-script' && script === target.script ? file : undefined) ??
    locate(script, dirname(command.at.path), root, read);
  markNonServingScript(command, locateScript, read);
}

/** True when a command starts something the model follows: a run of the app, or a shell script. */
function starts(command: DeployCommand): boolean {
  return servesApp(command.target) || command.target.kind === 'shell-script';
}

/** The last command that starts something (a server, a script's server), following shell scripts. */
export function followCommands(
  commands: DeployCommand[],
  state: FollowState,
  caller?: { args: string[]; command: DeployCommand },
): DeployCommand | undefined {
  let served: DeployCommand | undefined;
  let changedDirectory = false;
  for (let command of commands) {
    // `exec "$@"` in a docker-entrypoint.sh runs the arguments it was given (the CMD): that is where they are written.
    const unwrapped = unwrapCommand(command.argv).argv;
    if ((unwrapped[0] === '$@' || unwrapped[0] === '${@}') && caller && caller.args.length > 0)
      command = deployCommand(caller.args, caller.command.at, caller.command.parts);
    if (unwrapped[0] === 'cd') changedDirectory = true;
    resolveCommand(command, state, changedDirectory);
    const script = scriptOf(command, state);
    if (script) {
      const followed = followScript(script.path, script.args, command, state);
      if (followed) {
        served = followed;
        continue;
      }
    }
    // A development-only branch does not override what production runs (`if dev; then flask run; else gunicorn`).
    if (command.branch?.development && served && !served.branch?.development) continue;
    // `python3 configure.py` (a tool that serves nothing) is no run of the app: what comes before or after it is.
    if (starts(command) && command.target.kind !== 'shell-script') served = command;
    else if (command.target.kind === 'shell-script' && !served) served = command;
  }
  return served;
}

function followScript(
  path: string,
  args: string[],
  caller: DeployCommand,
  state: FollowState,
): DeployCommand | undefined {
  if (state.depth >= MAX_SCRIPT_DEPTH || state.visited.has(path)) return undefined;
  const text = state.read(path);
  if (text === undefined) return undefined;
  state.visited.add(path);
  const callers = state.scripts.flatMap((script) => script.exports);
  const facts = resolveOptIns(scriptFacts(path, text), [...state.environment, ...callers]);
  const changesDirectory = CHANGES_DIRECTORY.test(text);
  for (const command of facts.commands) resolveCommand(command, state, changesDirectory);
  // A start script's commands carry the role of the script they are in (a deploy file's own role is its
  // scripts': a Dockerfile that runs a venv-making script still runs it in production).
  const role = state.entry.kind === 'script' ? (scriptRole(path, facts.commands, text) ?? caller.role) : undefined;
  if (role) for (const command of facts.commands) command.role = role;
  state.scripts.push({
    path,
    calledFrom: caller.at,
    exports: facts.exports,
    commands: facts.commands,
    ...(role ? { role } : {}),
  });
  return followCommands(facts.commands, { ...state, depth: state.depth + 1 }, { args, command: caller });
}

// A script's `cd` (its commands drop it): the folder its later commands run in is not followed.
const CHANGES_DIRECTORY = /(?:^|[;&|(]|\bthen|\bdo)[ \t]*(?:cd|pushd)[ \t]/m;

/** The repository file a command runs as a shell script, with the arguments it passes. */
function scriptOf(command: DeployCommand, state: FollowState): { path: string; args: string[] } | undefined {
  const argv = unwrapCommand(command.argv).argv;
  let scriptIndex: number;
  if (command.target.kind === 'shell-script') scriptIndex = argv.indexOf(command.target.script);
  else if (
    command.target.kind === 'other' &&
    /[/.]/.test(argv[0] ?? '') &&
    !/^python|\.py$/.test(basename(argv[0] ?? ''))
  )
    scriptIndex = 0;
  else return undefined;
  const reference = argv[scriptIndex];
  if (!reference || reference.includes('$')) return undefined;
  const path = locateScript(reference, state);
  if (!path) return undefined;
  // A program without .sh must be a shell script to be followed (not a binary or a Python file).
  if (
    command.target.kind === 'other' &&
    !/^#!.*\b(?:sh|bash|ash|dash|zsh)\b/.test(state.read(path)?.slice(0, 100) ?? '')
  )
    return undefined;
  return { path, args: argv.slice(scriptIndex + 1) };
}

/** A script named by a container path: through the Dockerfile's COPY, then as a repository path. */
function locateScript(reference: string, state: FollowState): string | undefined {
  const deployFolder = dirname(state.entry.file);
  for (const copy of state.copies) {
    if (copy.fromStage) continue;
    const destination = copy.destination.replace(/\/$/, '');
    const absoluteReference = reference.startsWith('/')
      ? reference
      : state.entry.workingDirectory
        ? `${state.entry.workingDirectory.replace(/\/$/, '')}/${reference.replace(/^\.\//, '')}`
        : reference;
    for (const source of copy.sources) {
      // `COPY entrypoint.sh /entrypoint.sh`, or `COPY scripts/ /usr/local/bin/` then `/usr/local/bin/boot.sh`.
      if (absoluteReference === destination && !copy.destination.endsWith('/'))
        return existing(resolve(deployFolder, source), state.read);
      if (absoluteReference.startsWith(`${destination}/`)) {
        const rest = absoluteReference.slice(destination.length + 1);
        const candidate =
          existing(resolve(deployFolder, source, rest), state.read) ??
          (basename(source) === basename(rest) ? existing(resolve(deployFolder, source), state.read) : undefined);
        if (candidate) return candidate;
      }
    }
  }
  return locate(reference, deployFolder, state.root, state.read);
}

function existing(path: string, read: (path: string) => string | undefined): string | undefined {
  return read(path) !== undefined ? path : undefined;
}

/**
 * A path a deploy file names, found in the repository: relative to the deploy
 * file's folder, or an absolute server path whose tail is a repository path
 * (`/srv/app/deploy/app.env` -> `deploy/app.env`).
 */
export function locate(
  reference: string,
  fromFolder: string,
  root: string,
  read: (path: string) => string | undefined,
): string | undefined {
  if (!isAbsolute(reference)) {
    return existing(resolve(fromFolder, reference), read) ?? existing(resolve(root, reference), read);
  }
  const parts = reference.split('/').filter(Boolean);
  // The deploy file's own project first (a service folder of a monorepo), then each folder up to the root.
  const folders: string[] = [];
  for (let folder = fromFolder; ; folder = dirname(folder)) {
    if (relative(root, folder).startsWith('..')) break;
    folders.push(folder);
    if (folder === root || dirname(folder) === folder) break;
  }
  for (const folder of folders) {
    for (let index = 0; index < parts.length; index++) {
      const found = existing(join(folder, ...parts.slice(index)), read);
      if (found) return found;
    }
  }
  // An installed program (`/usr/local/bin/vss-api`) the repository keeps by its name in a folder of scripts.
  const name = parts.at(-1);
  if (!name) return undefined;
  for (const folder of folders) {
    for (const scripts of SCRIPT_FOLDERS) {
      const found = existing(join(folder, scripts, name), read);
      if (found) return found;
    }
  }
  return undefined;
}

/** Folders a repository keeps the programs it installs on a server in. */
const SCRIPT_FOLDERS = ['deploy', 'deployment', 'scripts', 'script', 'bin', 'tools', 'ops', 'docker'];
