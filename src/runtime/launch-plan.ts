import { basename, isGunicornProgram, shellCommandString, unwrapCommand } from '../deploy/model-command.js';
import { parseShellCommands } from '../deploy/shell/shell-commands.js';
import { substituteVariables } from '../deploy/variables.js';
import { GUNICORN_FILE_OPTIONS, gunicornAppSpecs } from './app-spec.js';

/** How verify starts one command: the program, its arguments, and which protocol it will answer. */
export interface LaunchPlan {
  server: 'gunicorn' | 'flask-run' | 'waitress' | 'python-script' | 'python-module';
  /** Arguments for the interpreter given with --python. */
  args: string[];
  /** Environment set by the command line itself (`env A=1 cmd`, `A=1 cmd`). */
  env: Record<string, string>;
  /** Steps of a shell command that are not the server (migrations, echo): not run. */
  skipped: string[];
  scheme: 'http' | 'https';
  /** The app specs the server will import and call (checked against the repository before anything runs). */
  appSpecs: string[];
  /** Folders the server adds to its import path (gunicorn --chdir/--pythonpath), relative to the working folder. */
  appFolders: string[];
}

export type LaunchDecision = { ok: true; plan: LaunchPlan } | { ok: false; reason: string };

const LOOPBACK = '127.0.0.1';
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
// What the deploy model writes for an app a serverless platform imports (Vercel, AWS Lambda's WSGI adapters).
const PLATFORM_PROGRAMS = new Set(['@vercel/python', 'zappa', 'serverless-wsgi', 'aws-wsgi', 'apig-wsgi']);
const SERVER_PROGRAM = /^(?:gunicorn3?|flask|waitress-serve|python[\d.]*)$/;

/**
 * Turns a deploy file's command into one verify can run on loopback: the
 * server found behind shells and wrappers, its listen address forced to
 * 127.0.0.1:<port> in the way that server reads it, everything else as written.
 */
export function planLaunch(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  port: number,
  harnessScript: string,
): LaunchDecision {
  const expanded = argv.map((word) => expandVariables(word, { ...env, PORT: String(port) }));
  const { words, assignments, skipped, error } = serverStep(expanded);
  if (error) return { ok: false, reason: error };
  const unwrapped = unwrapCommand(words);
  const rest = unwrapped.argv;
  const commandEnv = Object.fromEntries(
    [...assignments, ...unwrapped.assignments].map(({ name, value }) => [name, value]),
  );
  if (rest[0] === undefined) return { ok: false, reason: 'empty command' };
  // Before the program's base name is taken: `@vercel/python` is no `python`.
  if (PLATFORM_PROGRAMS.has(rest[0]))
    return {
      ok: false,
      reason: `'${rest[0]}' is a serverless platform importing the app: it cannot start on this machine`,
    };
  const program = basename(rest[0]);
  const tail = rest.slice(1);
  const plan = (
    server: LaunchPlan['server'],
    args: string[],
    scheme: LaunchPlan['scheme'] = 'http',
    apps: { specs: string[]; folders: string[] } = { specs: [], folders: [] },
  ): LaunchDecision => ({
    ok: true,
    plan: { server, args, env: commandEnv, skipped, scheme, appSpecs: apps.specs, appFolders: apps.folders },
  });
  // python app.py / python -m pkg: the harness points the script's server at loopback first.
  const harness = (mode: 'script' | 'module', flags: string[], target: string, args: string[]) =>
    plan(mode === 'script' ? 'python-script' : 'python-module', [
      ...flags,
      harnessScript,
      String(port),
      mode,
      target,
      ...args,
    ]);

  if (isGunicornProgram(program)) return plan('gunicorn', gunicornArgs(tail, port), 'http', gunicornAppSpecs(tail));
  if (program === 'flask') return flaskPlan(tail, port, plan);
  if (program === 'waitress-serve') return plan('waitress', waitressArgs(tail, port), 'http', waitressAppSpecs(tail));
  if (PYTHON.test(program)) {
    const { flags, remaining } = interpreterFlags(tail);
    const [first, ...after] = remaining;
    if (first === undefined) return { ok: false, reason: `'${rest.join(' ')}' starts no script` };
    if (first === '-m') {
      const [module, ...moduleArgs] = after;
      if (module === undefined) return { ok: false, reason: `'${rest.join(' ')}' names no module` };
      if (module === 'gunicorn')
        return plan('gunicorn', gunicornArgs(moduleArgs, port), 'http', gunicornAppSpecs(moduleArgs));
      if (module === 'flask') return flaskPlan(moduleArgs, port, plan);
      if (module === 'waitress')
        return plan('waitress', waitressArgs(moduleArgs, port), 'http', waitressAppSpecs(moduleArgs));
      return harness('module', flags, module, moduleArgs);
    }
    if (first === '-c') return { ok: false, reason: "'python -c' code is not run by verify" };
    return harness('script', flags, first, after);
  }
  if (/\.(?:sh|bash)$/.test(program))
    return { ok: false, reason: `runs ${program}, which the deploy model could not follow to a server command` };
  return {
    ok: false,
    reason:
      `verify does not know how to keep '${program}' on 127.0.0.1 ` +
      '(it runs gunicorn, flask run, waitress-serve and python scripts)',
  };
}

/**
 * Gunicorn: the command line beats gunicorn.conf.py and GUNICORN_CMD_ARGS, so one --bind wins.
 * Log, pid and heartbeat paths are dropped: a deploy file must not make verify write outside its
 * temporary folder (`--access-logfile /etc/...`); the server logs to verify's own output instead.
 */
function gunicornArgs(args: readonly string[], port: number): string[] {
  const kept = dropOptions(args, { withValue: ['-b', '--bind', ...GUNICORN_FILE_OPTIONS], flags: ['-D', '--daemon'] });
  return ['-m', 'gunicorn', ...kept, '--bind', `${LOOPBACK}:${port}`];
}

/** waitress-serve reads options with getopt, which stops at the app: --listen goes first. */
function waitressArgs(args: readonly string[], port: number): string[] {
  const kept = dropOptions(args, { withValue: ['--listen', '--host', '--port', '--unix-socket'], flags: [] });
  return ['-m', 'waitress', `--listen=${LOOPBACK}:${port}`, ...kept];
}

/** waitress-serve [options] module:app: the app is its last word. */
function waitressAppSpecs(args: readonly string[]): { specs: string[]; folders: string[] } {
  const last = args.at(-1);
  return { specs: last !== undefined && !last.startsWith('-') ? [last] : [], folders: [] };
}

/** flask run: --host/--port beat FLASK_RUN_HOST/FLASK_RUN_PORT; no reloader (one process to watch). */
function flaskPlan(
  args: readonly string[],
  port: number,
  plan: (
    server: LaunchPlan['server'],
    args: string[],
    scheme?: LaunchPlan['scheme'],
    apps?: { specs: string[]; folders: string[] },
  ) => LaunchDecision,
): LaunchDecision {
  const runAt = args.indexOf('run');
  if (runAt < 0) return { ok: false, reason: `'flask ${args.join(' ')}' does not start a server` };
  const before = args.slice(0, runAt);
  const after = dropOptions(args.slice(runAt + 1), {
    withValue: ['-h', '--host', '-p', '--port'],
    flags: ['--reload', '--no-reload'],
  });
  const tls = after.some((word) => word === '--cert' || word.startsWith('--cert='));
  const specs = before.flatMap((word, index) =>
    word === '--app' || word === '-A' ? [before[index + 1] ?? ''] : word.startsWith('--app=') ? [word.slice(6)] : [],
  );
  return plan(
    'flask-run',
    ['-m', 'flask', ...before, 'run', ...after, '--host', LOOPBACK, '--port', String(port), '--no-reload'],
    tls ? 'https' : 'http',
    { specs, folders: [] },
  );
}

/** Removes options in their `--opt value`, `--opt=value` and `-ovalue` spellings. */
function dropOptions(
  args: readonly string[],
  { withValue, flags }: { withValue: string[]; flags: string[] },
): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index];
    if (word === undefined) break;
    if (flags.includes(word)) continue;
    if (withValue.includes(word)) {
      index += 1;
      continue;
    }
    const long = withValue.find((option) => option.startsWith('--') && word.startsWith(`${option}=`));
    const short = withValue.find(
      (option) => !option.startsWith('--') && word.startsWith(option) && word.length > option.length,
    );
    if (long || short) continue;
    kept.push(word);
  }
  return kept;
}

/**
 * Interpreter flags before the script (`python -u app.py`) are kept, except
 * -E, -I and -S: they would skip PYTHONPATH or site, and with them the loopback guard.
 */
function interpreterFlags(args: readonly string[]): { flags: string[]; remaining: string[] } {
  const flags: string[] = [];
  let index = 0;
  for (
    let word = args[index];
    word !== undefined && /^-[A-Za-z]+$/.test(word) && word !== '-m' && word !== '-c';
    word = args[index]
  ) {
    const kept = word.replace(/[EIS]/g, '');
    if (kept !== '-') flags.push(kept);
    index += 1;
  }
  return { flags, remaining: args.slice(index) };
}

/**
 * `sh -c "flask db upgrade && exec gunicorn app:app"`: the words of the step
 * that starts the server (the last one that can); the other steps are listed, not run.
 */
type Assignment = { name: string; value: string };

function serverStep(argv: string[]): { words: string[]; assignments: Assignment[]; skipped: string[]; error?: string } {
  const script = shellCommandString(unwrapCommand(argv).argv);
  if (script === undefined) return { words: argv, assignments: [], skipped: [] };
  const steps = parseShellCommands(script);
  const server = [...steps]
    .reverse()
    .find((step) => SERVER_PROGRAM.test(basename(unwrapCommand(step.argv).argv[0] ?? '')));
  if (!server) return { words: [], assignments: [], skipped: [], error: `no server command in '${script}'` };
  if (server.argv.some((word) => /\$\(|`/.test(word)))
    return {
      words: [],
      assignments: [],
      skipped: [],
      error: `'${server.argv.join(' ')}' uses shell features verify does not run`,
    };
  return {
    words: server.argv,
    assignments: server.assignments,
    skipped: steps.filter((step) => step !== server).map((step) => step.argv.join(' ')),
  };
}

/**
 * `$VAR`, `${VAR}` and `${VAR:-default}` from the entrypoint's
 * environment, as a shell would (the model's expander).
 */
export function expandVariables(word: string, env: Readonly<Record<string, string>>): string {
  return substituteVariables(word, new Map(Object.entries(env)));
}
