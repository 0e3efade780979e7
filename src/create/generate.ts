import type { Colors } from '../core/colors.js';
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../core/usage-error.js';
import type { Options } from './options.js';
import { shellWord } from './escape.js';
import { createVirtualenv, initGitRepository, installCommands, type StepResult } from './post-steps.js';
import { renderProject, type RenderedFile } from './render.js';
import { clashingPaths, writeProject } from './scaffold.js';

interface Reporter {
  info: (message: string) => void;
  step: (label: string, run: () => Promise<StepResult>) => Promise<StepResult>;
  done: (message: string) => void;
}

async function reporterFor(interactive: boolean, colors: Colors): Promise<Reporter> {
  if (interactive) {
    const prompts = await import('@clack/prompts');
    return {
      info: (message) => prompts.log.info(message),
      async step(label, run) {
        const spinner = prompts.spinner();
        spinner.start(label);
        const result = await run();
        if (result.ok) spinner.stop(`${label}: ${result.detail ?? 'done'}`);
        else if (result.interrupted) spinner.cancel(`${label}: interrupted`);
        else spinner.error(result.message);
        return result;
      },
      done: (message) => prompts.outro(message),
    };
  }
  return {
    info: (message) => process.stdout.write(`${message}\n`),
    async step(label, run) {
      process.stdout.write(`${label}...\n`);
      const result = await run();
      if (result.ok) process.stdout.write(`  ${colors.green('done')}: ${result.detail ?? ''}\n`);
      else
        process.stdout.write(
          `  ${colors.red(result.interrupted ? 'interrupted' : 'failed')}` +
            `${result.interrupted ? '' : `: ${result.message}`}\n`,
        );
      return result;
    },
    done: (message) => process.stdout.write(`${message}\n`),
  };
}

/**
 * A folder that cannot be written (a file in the way, no permission, a full or
 * read-only disk) is the user's situation, not an internal error: one line, exit 2.
 */
function writeProjectOrExplain(options: Options, files: RenderedFile[], kept: ReadonlySet<string>) {
  try {
    return writeProject(options.targetDir, files, kept);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || code === undefined) throw error;
    const reasons: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOTDIR: 'a file is in the way of a folder',
      EEXIST: 'something is in the way',
      ENOSPC: 'no space left on the disk',
      EROFS: 'the file system is read-only',
      ENAMETOOLONG: 'a path is too long for the file system',
    };
    throw new UsageError(
      `cannot write the project to ${options.displayTarget}: ${reasons[code] ?? code}; nothing was written`,
    );
  }
}

/** Every line pastes as printed: quoted paths, the interpreter the user chose. */
function nextSteps(options: Options, installed: boolean): string {
  const serve =
    options.server === 'waitress'
      ? 'waitress-serve --listen=127.0.0.1:8000 --ident= wsgi:app'
      : 'gunicorn -c gunicorn.conf.py wsgi:app';
  const lines = ['Next steps:'];
  if (!options.inCurrentFolder) lines.push(`  cd ${shellWord(options.displayTarget)}`);
  if (!installed)
    lines.push(
      ...installCommands(options.python, options.packageManager).map(
        (command) => `  ${command.map(shellWord).join(' ')}`,
      ),
    );
  // uv runs each command in the project's .venv itself; pip's venv is activated once.
  const run = options.packageManager === 'uv' ? 'uv run ' : '';
  if (!run) lines.push('  . .venv/bin/activate');
  lines.push(
    `  ${`${run}flask run --debug`.padEnd(23)}  develop, with the debugger on your machine only`,
    `  ${`${run}pytest`.padEnd(23)}  run the tests, production-safety tests included`,
    '  serve in production (a random key; production refuses short or placeholder ones):',
    // No venv is activated with uv: `python` may not be on PATH (Debian has only python3).
    `  SECRET_KEY="$(${run ? 'python3' : 'python'} -c 'import secrets; print(secrets.token_hex(32))')" ${run}${serve}`,
  );
  return lines.join('\n');
}

/** What to run to finish after an interrupted step: the project itself is complete. */
function finishAfterInterrupt(options: Options, step: 'git' | 'install'): string {
  const cd = options.inCurrentFolder ? [] : [`cd ${shellWord(options.displayTarget)}`];
  const commands =
    step === 'git'
      ? ['git init', 'git add .', 'git commit -m "Initial commit"']
      : installCommands(options.python, options.packageManager).map((command) => command.map(shellWord).join(' '));
  const removed = step === 'git' ? 'the new .git was removed' : 'the half-built .venv was removed';
  return [
    `Interrupted: ${removed}; the project files are complete. To finish:`,
    ...[...cd, ...commands].map((line) => `  ${line}`),
  ].join('\n');
}

/** Renders and writes the project, then runs the optional git and virtualenv steps. */
export async function generateProject(
  options: Options,
  { interactive, colors }: { interactive: boolean; colors: Colors },
): Promise<number> {
  const reporter = await reporterFor(interactive, colors);
  if (!interactive && options.projectName !== options.packageName)
    reporter.info(`Python package name: ${options.packageName} (from '${options.projectName}')`);
  if (options.outsideCwd) reporter.info(`Creating the project outside the current folder: ${options.targetDir}`);
  const files = renderProject(options);
  // Files already in the folder are the user's: kept, and the generated ones they clash with are
  // skipped (in a terminal the user chose this right after naming the folder).
  const kept = new Set(clashingPaths(options.targetDir, files));
  const { written } = writeProjectOrExplain(options, files, kept);
  const where = options.inCurrentFolder ? 'the current folder' : options.displayTarget;
  reporter.info(`Created ${written.length} files in ${where}`);
  if (kept.size > 0)
    reporter.info(
      `Kept your ${[...kept].join(', ')}: the generated ${kept.size === 1 ? 'one was' : 'ones were'} not written`,
    );

  // Ctrl+C from here on stops the running step, which removes what it made; the project stays.
  const interruption = new AbortController();
  const interrupt = () => interruption.abort();
  process.on('SIGINT', interrupt);
  try {
    let failed = false;
    if (options.git) {
      const result = await reporter.step('Git repository', () =>
        initGitRepository({ targetDir: options.targetDir, writtenPaths: written, signal: interruption.signal }),
      );
      if (!result.ok && result.interrupted) return interrupted(reporter, finishAfterInterrupt(options, 'git'));
      failed = !result.ok;
    }
    let installed = false;
    if (options.install) {
      const result = await reporter.step('Virtualenv and install', () =>
        createVirtualenv(options.targetDir, options.python, options.packageManager, interruption.signal),
      );
      if (!result.ok && result.interrupted) return interrupted(reporter, finishAfterInterrupt(options, 'install'));
      installed = result.ok;
      failed = failed || !result.ok;
    }
    reporter.done(nextSteps(options, installed));
    return failed ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

function interrupted(reporter: Reporter, message: string): number {
  reporter.done(message);
  return EXIT_INTERRUPTED;
}
