import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Colors } from '../cli/colors.js';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/usage-error.js';
import type { Options } from './options.js';
import { createVirtualenv, initGitRepository, type StepResult } from './post-steps.js';
import { renderProject } from './render.js';
import { writeProject } from './scaffold.js';

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
      process.stdout.write(result.ok ? `  ${colors.green('done')}: ${result.detail ?? ''}\n` : `  ${colors.red('failed')}: ${result.message}\n`);
      return result;
    },
    done: (message) => process.stdout.write(`${message}\n`),
  };
}

function nextSteps(options: Options, installed: boolean): string {
  const serve = options.server === 'waitress' ? 'waitress-serve --port=8000 wsgi:app' : 'gunicorn -c gunicorn.conf.py wsgi:app';
  const lines = ['Next steps:', `  cd ${options.displayTarget}`];
  if (installed) lines.push('  . .venv/bin/activate');
  else lines.push('  python -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]"');
  lines.push(
    '  flask run --debug        develop, with the debugger on your machine only',
    '  pytest                   run the tests, production-safety tests included',
    `  SECRET_KEY=... ${serve}   serve in production`,
  );
  return lines.join('\n');
}

/** Renders and writes the project, then runs the optional git and virtualenv steps. */
export async function generateProject(options: Options, { interactive, colors }: { interactive: boolean; colors: Colors }): Promise<number> {
  const reporter = await reporterFor(interactive, colors);
  if (options.projectName !== options.packageName) {
    reporter.info(`Python package name: ${options.packageName} (from '${options.projectName}')`);
  }
  if (options.outsideCwd) reporter.info(`Creating the project outside the current folder: ${options.targetDir}`);
  const alreadyRepository = existsSync(join(options.targetDir, '.git'));
  const files = renderProject(options);
  writeProject(options.targetDir, files);
  reporter.info(`Created ${options.displayTarget} (${files.length} files)`);

  let failed = false;
  if (options.git) failed = !(await reporter.step('Git repository', () => initGitRepository(options.targetDir, alreadyRepository))).ok || failed;
  let installed = false;
  if (options.install) {
    const result = await reporter.step('Virtualenv and install', () => createVirtualenv(options.targetDir, options.python));
    installed = result.ok;
    failed = failed || !result.ok;
  }
  reporter.done(nextSteps(options, installed));
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
