import { basename } from 'node:path';

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
}

export type LaunchDecision = { ok: true; plan: LaunchPlan } | { ok: false; reason: string };

const LOOPBACK = '127.0.0.1';
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
// Wrappers that start the real command after their own words.
const RUNNERS: Record<string, number> = { poetry: 1, pipenv: 1, uv: 1, pdm: 1, hatch: 1, rye: 1 };
const INIT_WRAPPERS = new Set(['exec', 'dumb-init', 'tini', 'nohup']);
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Turns a deploy file's command into one verify can run on loopback: the
 * server found behind shells and wrappers, its listen address forced to
 * 127.0.0.1:<port> in the way that server reads it, everything else as written.
 */
export function planLaunch(argv: readonly string[], env: Readonly<Record<string, string>>, port: number, harnessScript: string): LaunchDecision {
  const expanded = argv.map((word) => expandVariables(word, { ...env, PORT: String(port) }));
  const { words, skipped, error } = unwrapShell(expanded);
  if (error) return { ok: false, reason: error };
  const commandEnv: Record<string, string> = {};
  let rest = [...words];
  for (;;) {
    const head = rest[0];
    if (head === undefined) return { ok: false, reason: 'empty command' };
    const program = basename(head);
    const assignment = ASSIGNMENT.exec(head);
    if (assignment) {
      commandEnv[assignment[1]!] = assignment[2]!;
      rest = rest.slice(1);
    } else if (program === 'env') {
      rest = rest.slice(1).filter((word) => word !== '-i' && word !== '--');
    } else if (INIT_WRAPPERS.has(program)) {
      rest = rest.slice(1);
      if (rest[0] === '--') rest = rest.slice(1);
    } else if (RUNNERS[program] !== undefined && rest[1] === 'run') {
      rest = rest.slice(2);
    } else break;
  }
  const program = basename(rest[0]!);
  const tail = rest.slice(1);
  const plan = (server: LaunchPlan['server'], args: string[], scheme: LaunchPlan['scheme'] = 'http'): LaunchDecision => ({
    ok: true,
    plan: { server, args, env: commandEnv, skipped, scheme },
  });
  // python app.py / python -m pkg: the harness points the script's server at loopback first.
  const harness = (mode: 'script' | 'module', flags: string[], target: string, args: string[]) =>
    plan(mode === 'script' ? 'python-script' : 'python-module', [...flags, harnessScript, String(port), mode, target, ...args]);

  if (program === 'gunicorn') return plan('gunicorn', gunicornArgs(tail, port));
  if (program === 'flask') return flaskPlan(tail, port, plan);
  if (program === 'waitress-serve') return plan('waitress', waitressArgs(tail, port));
  if (PYTHON.test(program)) {
    const { flags, remaining } = interpreterFlags(tail);
    const [first, ...after] = remaining;
    if (first === undefined) return { ok: false, reason: `'${rest.join(' ')}' starts no script` };
    if (first === '-m') {
      const [module, ...moduleArgs] = after;
      if (module === undefined) return { ok: false, reason: `'${rest.join(' ')}' names no module` };
      if (module === 'gunicorn') return plan('gunicorn', gunicornArgs(moduleArgs, port));
      if (module === 'flask') return flaskPlan(moduleArgs, port, plan);
      if (module === 'waitress') return plan('waitress', waitressArgs(moduleArgs, port));
      return harness('module', flags, module, moduleArgs);
    }
    if (first === '-c') return { ok: false, reason: "'python -c' code is not run by verify" };
    return harness('script', flags, first, after);
  }
  return { ok: false, reason: `verify does not know how to keep '${program}' on 127.0.0.1 (it runs gunicorn, flask run, waitress-serve and python scripts)` };
}

/** Gunicorn: the command line beats gunicorn.conf.py and GUNICORN_CMD_ARGS, so one --bind wins. */
function gunicornArgs(args: readonly string[], port: number): string[] {
  const kept = dropOptions(args, { withValue: ['-b', '--bind'], flags: ['-D', '--daemon'] });
  return ['-m', 'gunicorn', ...kept, '--bind', `${LOOPBACK}:${port}`];
}

/** waitress-serve reads options with getopt, which stops at the app: --listen goes first. */
function waitressArgs(args: readonly string[], port: number): string[] {
  const kept = dropOptions(args, { withValue: ['--listen', '--host', '--port', '--unix-socket'], flags: [] });
  return ['-m', 'waitress', `--listen=${LOOPBACK}:${port}`, ...kept];
}

/** flask run: --host/--port beat FLASK_RUN_HOST/FLASK_RUN_PORT; no reloader (one process to watch). */
function flaskPlan(args: readonly string[], port: number, plan: (server: LaunchPlan['server'], args: string[], scheme?: LaunchPlan['scheme']) => LaunchDecision): LaunchDecision {
  const runAt = args.indexOf('run');
  if (runAt < 0) return { ok: false, reason: `'flask ${args.join(' ')}' does not start a server` };
  const before = args.slice(0, runAt);
  const after = dropOptions(args.slice(runAt + 1), { withValue: ['-h', '--host', '-p', '--port'], flags: ['--reload', '--no-reload'] });
  const tls = after.some((word) => word === '--cert' || word.startsWith('--cert='));
  return plan('flask-run', ['-m', 'flask', ...before, 'run', ...after, '--host', LOOPBACK, '--port', String(port), '--no-reload'], tls ? 'https' : 'http');
}

/** Removes options in their `--opt value`, `--opt=value` and `-ovalue` spellings. */
function dropOptions(args: readonly string[], { withValue, flags }: { withValue: string[]; flags: string[] }): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index]!;
    if (flags.includes(word)) continue;
    if (withValue.includes(word)) {
      index += 1;
      continue;
    }
    const long = withValue.find((option) => option.startsWith('--') && word.startsWith(`${option}=`));
    const short = withValue.find((option) => !option.startsWith('--') && word.startsWith(option) && word.length > option.length);
    if (long || short) continue;
    kept.push(word);
  }
  return kept;
}

/** Interpreter flags before the script (`python -u app.py`): kept, minus -c/-m which start code. */
function interpreterFlags(args: readonly string[]): { flags: string[]; remaining: string[] } {
  const flags: string[] = [];
  let index = 0;
  while (index < args.length && /^-[A-Za-z]+$/.test(args[index]!) && args[index] !== '-m' && args[index] !== '-c') {
    flags.push(args[index]!);
    index += 1;
  }
  return { flags, remaining: args.slice(index) };
}

/**
 * `sh -c "flask db upgrade && gunicorn app:app"` or a single shell string: the
 * words of the step that starts the server; the other steps are reported, not run.
 */
function unwrapShell(argv: readonly string[]): { words: string[]; skipped: string[]; error?: string } {
  let script: string | undefined;
  if (argv.length >= 3 && SHELLS.has(basename(argv[0]!)) && /^-\w*c$/.test(argv[1]!)) script = argv[2];
  else if (argv.length === 1 && /\s/.test(argv[0]!)) script = argv[0];
  if (script === undefined) return { words: [...argv], skipped: [] };
  const steps = script
    .split(/\s*(?:&&|\|\||;|\n)\s*/)
    .map((step) => step.trim())
    .filter((step) => step !== '');
  const serverStep = [...steps].reverse().find((step) => /\b(gunicorn|flask|waitress-serve|python[\d.]*)\b/.test(step));
  if (!serverStep) return { words: [], skipped: steps, error: `no server command in '${script}'` };
  if (/[|<>`]|\$\(/.test(serverStep)) return { words: [], skipped: [], error: `'${serverStep}' uses shell features verify does not run` };
  return { words: splitWords(serverStep), skipped: steps.filter((step) => step !== serverStep) };
}

function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? ''));
  }
  return words;
}

/** `$VAR`, `${VAR}` and `${VAR:-default}` from the entrypoint's environment, as a shell would. */
export function expandVariables(word: string, env: Readonly<Record<string, string>>): string {
  return word.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = env[name];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}
