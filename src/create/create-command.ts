import { answeredHelpOrVersion, COMMON_OPTIONS, oneOf, parseCommandArgs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';
import {
  CI_PROVIDERS,
  DEFAULT_ANSWERS,
  DEFAULT_TARGET,
  PACKAGE_MANAGERS,
  SERVERS,
  resolveOptions,
  type Answers,
} from './options.js';

const HELP = `Usage: create-secure-flask [dir] [options]
       secure-flask create [dir] [options]

Generates a production-ready Flask project: an app factory with config classes
picked by APP_ENV (production by default), a Gunicorn/Waitress entrypoint,
production-safety tests, and CI that keeps Flask's debugger out of production.

Asks for anything not given as a flag when run in a terminal; with --yes, or
without a terminal (CI, pipes), it takes the defaults and never waits.

Options:
  --name <name>                  project name (default: the folder's name; '.' is the current folder)
  --package <name>               Python package (import) name (default: from the project name)
  --server <gunicorn|waitress|both>   WSGI server (default: gunicorn)
  --ci <github|gitlab|none>      CI workflow (default: github)
  --package-manager <pip|uv>     pip-tools' requirements.txt or uv's uv.lock
                                 (default: pip, which every Python has)
  --docker / --no-docker         add a Dockerfile and .dockerignore (default: yes)
  --git / --no-git               git init and a first commit (default: yes)
  --install / --no-install       create .venv and install the project (default: yes)
  --python <executable>          Python for the virtualenv (default: python3)
  --force                        write into a non-empty folder: files already there are
                                 kept and the generated ones they clash with are skipped
  -y, --yes                      take the defaults for everything not given
  --color <when>                 auto (colour in a terminal; the default), always or never
  -h, --help                     show this help
  -v, --version                  print the version
`;

/** Boolean flags come in --x / --no-x pairs; the last one given wins. */
function pairedFlag(argv: string[], name: string): boolean | undefined {
  let value: boolean | undefined;
  for (const arg of argv) {
    if (arg === `--${name}`) value = true;
    else if (arg === `--no-${name}`) value = false;
  }
  return value;
}

/**
 * The shared argument helpers name the command in their messages; the program
 * prints its own name before every error, so drop theirs (one prefix, not two).
 */
function withoutCommandPrefix<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith(`${command}: `))
      throw new UsageError(error.message.slice(command.length + 2));
    throw error;
  }
}

export async function runCreateCommand(argv: string[]): Promise<number> {
  const command = 'create-secure-flask';
  const { values, positionals } = withoutCommandPrefix(command, () =>
    parseCommandArgs(command, argv, {
      ...COMMON_OPTIONS,
      name: { type: 'string' },
      package: { type: 'string' },
      server: { type: 'string' },
      ci: { type: 'string' },
      'package-manager': { type: 'string' },
      python: { type: 'string' },
      docker: { type: 'boolean' },
      'no-docker': { type: 'boolean' },
      git: { type: 'boolean' },
      'no-git': { type: 'boolean' },
      install: { type: 'boolean' },
      'no-install': { type: 'boolean' },
      force: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    }),
  );
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  if (positionals.length > 1)
    throw new UsageError(`expected one project folder, got ${positionals.length} (${positionals.join(', ')})`);
  if (values.python === '') throw new UsageError('--python needs an executable');

  const given: Partial<Answers> = {
    target: positionals[0],
    name: values.name,
    packageName: values.package,
    server:
      values.server === undefined
        ? undefined
        : withoutCommandPrefix(command, () => oneOf(command, 'server', values.server, SERVERS, 'gunicorn')),
    ci:
      values.ci === undefined
        ? undefined
        : withoutCommandPrefix(command, () => oneOf(command, 'ci', values.ci, CI_PROVIDERS, 'github')),
    packageManager:
      values['package-manager'] === undefined
        ? undefined
        : withoutCommandPrefix(command, () =>
            oneOf(command, 'package-manager', values['package-manager'], PACKAGE_MANAGERS, 'pip'),
          ),
    docker: pairedFlag(argv, 'docker'),
    git: pairedFlag(argv, 'git'),
    install: pairedFlag(argv, 'install'),
    force: values.force === true,
    python: values.python,
  };
  for (const key of Object.keys(given) as (keyof Answers)[]) if (given[key] === undefined) delete given[key];

  // create-vite's rule: prompt only for a person at a terminal, so CI and pipes never hang.
  const interactive = values.yes !== true && process.stdin.isTTY === true && process.stdout.isTTY === true;
  let answers: Answers;
  if (interactive) {
    const { askAnswers, CancelChosen, PromptCancelled } = await import('./prompts.js');
    try {
      answers = await askAnswers(given, DEFAULT_ANSWERS, process.cwd());
    } catch (error) {
      if (!(error instanceof PromptCancelled)) throw error;
      const prompts = await import('@clack/prompts');
      prompts.cancel('Cancelled: nothing was written.');
      // Ctrl+C at a prompt exits as every other command does on Ctrl+C; choosing Cancel is a refusal.
      return error instanceof CancelChosen ? EXIT_FINDINGS : EXIT_INTERRUPTED;
    }
  } else {
    answers = { ...DEFAULT_ANSWERS, target: DEFAULT_TARGET, ...given };
  }
  const options = resolveOptions(answers, process.cwd());
  if (options.install) {
    // Checked before anything is written, like every other answer.
    const { pythonProblem, uvProblem } = await import('./post-steps.js');
    const problem = await pythonProblem(options.python);
    if (problem) throw new UsageError(`${problem}; pass --python with one, or --no-install`);
    const uvMissing = options.packageManager === 'uv' ? await uvProblem() : undefined;
    if (uvMissing)
      throw new UsageError(
        `${uvMissing}; install it (https://docs.astral.sh/uv/), or pass --package-manager pip or --no-install`,
      );
  }
  const { generateProject } = await import('./generate.js');
  return generateProject(options, { interactive, colors: colorsFor(process.stdout) });
}
