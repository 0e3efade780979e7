import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { PackageManager } from './options.js';

export type StepResult = { ok: true; detail?: string } | { ok: false; interrupted?: boolean; message: string };

const INTERRUPTED: StepResult = { ok: false, interrupted: true, message: 'interrupted' };

/**
 * Ctrl+C in a terminal reaches the whole foreground group: the child may die of SIGINT before this process's own
 * handler has aborted `signal`, and that is the same interruption, not a failure of the step.
 */
function wasInterrupted(signal: AbortSignal, error: unknown): boolean {
  return signal.aborted || (error as { signal?: unknown }).signal === 'SIGINT';
}

/** The first line a failed command printed, never execa's own summary of the call. */
function reasonOf(error: unknown): string {
  const failure = error as { stderr?: unknown; code?: string; shortMessage?: string };
  const stderr = typeof failure.stderr === 'string' ? failure.stderr.trim() : '';
  if (stderr) {
    // git puts its reason on a `fatal:`/`error:` line among hints; other tools print it last.
    const lines = stderr.split('\n').filter((line) => line.trim() && !line.startsWith('hint:'));
    const reason = lines.find((line) => /^(fatal|error): /.test(line)) ?? lines.at(-1) ?? stderr;
    return reason.replace(/^(fatal|error): /, '');
  }
  if (failure.code === 'ENOENT') return 'command not found';
  return (failure.shortMessage ?? String(error)).split('\n')[0] ?? '';
}

/** Why `python` cannot make the project's virtualenv (missing, too old, no venv module), or undefined when it can. */
export async function pythonProblem(python: string): Promise<string | undefined> {
  // ensurepip too: Debian's python3 without python3-venv has `venv` but cannot make a venv with pip.
  const probe = await execa(
    python,
    ['-c', 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)'],
    { reject: false },
  );
  if (probe.exitCode === 0) return undefined;
  if (probe.code === 'ENOENT') return `${python} was not found`;
  return `${python} is not a Python 3.10+ with the venv and ensurepip modules`;
}

/** Why uv cannot install a uv project here (not on PATH, not runnable), or undefined when it can. */
export async function uvProblem(): Promise<string | undefined> {
  const probe = await execa('uv', ['--version'], { reject: false });
  if (probe.exitCode === 0) return undefined;
  return probe.code === 'ENOENT' ? 'uv was not found' : `uv --version failed (${reasonOf(probe)})`;
}

export interface GitStepInput {
  targetDir: string;
  /** Paths, relative to the target, of the files this run wrote: the only ones it may commit. */
  writtenPaths: string[];
  signal: AbortSignal;
}

/**
 * A new repository with a first commit of the generated files, or nothing at all
 * inside an existing repository: the user's repository, index and hooks are theirs,
 * so the new files are left for them to review and commit (a monorepo gets no nested
 * repository). Hooks are never skipped: if they refuse the first commit, the files
 * stay staged and the message says so.
 */
export async function initGitRepository({ targetDir, writtenPaths, signal }: GitStepInput): Promise<StepResult> {
  const git = (args: string[]) =>
    execa('git', args, { cwd: targetDir, cancelSignal: signal, env: { GIT_LITERAL_PATHSPECS: '1' } });
  const enclosing = await execa('git', ['rev-parse', '--show-toplevel'], {
    cwd: targetDir,
    reject: false,
    cancelSignal: signal,
  });
  if (signal.aborted) return INTERRUPTED;
  if (enclosing.code === 'ENOENT') return { ok: false, message: 'git was not found: install git, or pass --no-git' };
  if (enclosing.exitCode === 0) {
    return {
      ok: true,
      detail:
        `inside the existing repository ${enclosing.stdout.trim()}: ` +
        'nothing committed; review the new files, then git add and commit them',
    };
  }
  if (!/not a git repository/i.test(String(enclosing.stderr))) {
    return {
      ok: false,
      message:
        `git cannot tell whether this folder is inside a repository (${reasonOf(enclosing)}); ` +
        'nothing was initialized',
    };
  }
  const gitDir = join(targetDir, '.git');
  try {
    await git(['init', '-q']);
    // Only what this run wrote, less what the project's .gitignore keeps out (.env with its secret).
    const addable = await git(['ls-files', '-z', '--others', '--exclude-standard', '--', ...writtenPaths]);
    await git(['add', '--', ...addable.stdout.split('\0').filter(Boolean)]);
  } catch (error) {
    rmSync(gitDir, { recursive: true, force: true });
    return wasInterrupted(signal, error) ? INTERRUPTED : { ok: false, message: `git init failed: ${reasonOf(error)}` };
  }
  try {
    const identity = await execa('git', ['config', 'user.email'], { cwd: targetDir, reject: false });
    const fallback =
      identity.exitCode === 0
        ? []
        : ['-c', 'user.name=create-secure-flask', '-c', 'user.email=create-secure-flask@localhost'];
    await git([...fallback, 'commit', '-q', '-m', 'Initial commit from create-secure-flask']);
    return { ok: true, detail: 'initialized with a first commit' };
  } catch (error) {
    if (wasInterrupted(signal, error)) {
      rmSync(gitDir, { recursive: true, force: true });
      return INTERRUPTED;
    }
    return {
      ok: false,
      message: `the first commit failed (${reasonOf(error)}); the generated files are staged: commit them when ready`,
    };
  }
}

/** The commands that build the project's virtualenv, as the next steps print them and as this step runs them. */
export function installCommands(python: string, packageManager: PackageManager, { quiet = false } = {}): string[][] {
  // --locked: the lock must match pyproject.toml, so what is installed is exactly what was reviewed.
  if (packageManager === 'uv') return [['uv', 'sync', '--locked', '--python', python, ...(quiet ? ['--quiet'] : [])]];
  const pip = [
    '.venv/bin/python',
    '-m',
    'pip',
    'install',
    ...(quiet ? ['--quiet', '--disable-pip-version-check'] : []),
  ];
  return [
    [python, '-m', 'venv', '.venv'],
    // The lock first, with its hashes: the virtualenv gets exactly what production runs.
    [...pip, '--require-hashes', '-r', 'requirements.txt'],
    [...pip, '-e', '.[dev]'],
  ];
}

/**
 * A `.venv` with the project and its dev tools installed; a
 * failed or interrupted install removes the half-made venv.
 */
export async function createVirtualenv(
  targetDir: string,
  python: string,
  packageManager: PackageManager,
  signal: AbortSignal,
): Promise<StepResult> {
  const venv = join(targetDir, '.venv');
  try {
    for (const [command = '', ...args] of installCommands(python, packageManager, { quiet: true })) {
      const executable = command.startsWith('.venv/') ? join(targetDir, command) : command;
      await execa(executable, args, { cwd: targetDir, timeout: 600_000, cancelSignal: signal });
    }
    return { ok: true, detail: '.venv created with the locked dependencies, the project and its dev tools' };
  } catch (error) {
    rmSync(venv, { recursive: true, force: true });
    if (wasInterrupted(signal, error)) return INTERRUPTED;
    return { ok: false, message: `creating the virtualenv failed (${reasonOf(error)}); .venv was removed` };
  }
}
