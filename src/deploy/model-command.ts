import type { CommandTarget } from './model.js';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

// Programs that run the rest of their arguments as the real command.
const WRAPPERS = new Set(['exec', 'nohup', 'dumb-init', 'tini', 'time', 'command', 'stdbuf', 'nice', 'catatonit']);
const USER_SWITCHERS = new Set(['gosu', 'su-exec']);
const RUNNERS = new Set(['poetry', 'pipenv', 'uv', 'pdm', 'rye', 'hatch']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const PYTHON = /^python(?:\d+(?:\.\d+)*)?w?$|^py$/;
// Interpreter options that take a value (`-W ignore`, `-X dev`).
const PYTHON_OPTIONS_WITH_VALUE = new Set(['-W', '-X', '--check-hash-based-pycs']);

/** The command with wrappers removed: `exec gosu app env A=1 poetry run gunicorn x` -> `gunicorn x` (+ A=1). */
export function unwrapCommand(argv: string[]): { argv: string[]; assignments: { name: string; value: string }[] } {
  const assignments: { name: string; value: string }[] = [];
  let rest = argv;
  for (;;) {
    const program = basename(rest[0] ?? '');
    if (WRAPPERS.has(program))
      rest = rest.slice(1).filter((word, index) => !(index === 0 && (word === '--' || word === '-g' || word === '-s')));
    else if (USER_SWITCHERS.has(program)) rest = rest.slice(2);
    else if (program === 'env') {
      rest = rest.slice(1);
      while (rest[0] !== undefined && (rest[0].startsWith('-') || ASSIGNMENT.test(rest[0]))) {
        const match = ASSIGNMENT.exec(rest[0]);
        if (match) assignments.push({ name: match[1] ?? '', value: match[2] ?? '' });
        rest = rest.slice(1);
      }
    } else if (RUNNERS.has(program) && rest[1] === 'run')
      rest = rest.slice(2).filter((word, index) => !(index === 0 && word === '--'));
    else if (program === 'pipx' && rest[1] === 'run') rest = rest.slice(2);
    else return { argv: rest, assignments };
  }
}

/** A `sh -c "..."` command: the script text the shell runs, if that is what this is. */
export function shellCommandString(argv: string[]): string | undefined {
  if (!SHELLS.has(basename(argv[0] ?? ''))) return undefined;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index];
    if (word === undefined || !word.startsWith('-')) return undefined;
    // `-c`, `-ec`, `-lc`: the next word is the script.
    if (/^-[a-z]*c[a-z]*$/.test(word)) return argv[index + 1];
  }
  return undefined;
}

/**
 * `python3`, `python -u`, `python -X dev`: an interpreter and
 * its options, no script (an ENTRYPOINT that runs CMD's script).
 */
export function isInterpreterOnly(argv: readonly string[]): boolean {
  if (!PYTHON.test(basename(argv[0] ?? ''))) return false;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index];
    if (word === undefined) break;
    if (!word.startsWith('-') || word === '-m' || word === '-c') return false;
    if (PYTHON_OPTIONS_WITH_VALUE.has(word)) index++;
  }
  return true;
}

/** gunicorn by any name it is installed as: Debian and Ubuntu's python3-gunicorn package names it `gunicorn3`. */
export function isGunicornProgram(program: string): boolean {
  return program === 'gunicorn' || program === 'gunicorn3';
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What an (unwrapped) argv starts. */
export function classifyArgv(argv: string[]): CommandTarget {
  const program = basename(argv[0] ?? '');
  if (PYTHON.test(program)) return classifyPython(argv.slice(1));
  if (program === 'flask') return classifyFlask(argv.slice(1));
  const server = isGunicornProgram(program)
    ? 'gunicorn'
    : program === 'uvicorn' || program === 'hypercorn'
      ? program
      : '';
  if (server) return { kind: 'wsgi-server', server, ...appOption(positionalApp(argv.slice(1), SERVER_FLAGS)) };
  if (program === 'waitress-serve')
    return { kind: 'wsgi-server', server: 'waitress', ...appOption(positionalApp(argv.slice(1), WAITRESS_FLAGS)) };
  if (program === 'uwsgi') return { kind: 'wsgi-server', server: 'uwsgi', ...appOption(uwsgiApp(argv.slice(1))) };
  if (SHELLS.has(program)) {
    const script = argv.slice(1).find((word) => !word.startsWith('-'));
    if (script) return { kind: 'shell-script', script };
  }
  if (program.endsWith('.sh')) return { kind: 'shell-script', script: argv[0] ?? program };
  return { kind: 'other', program: argv[0] ?? '' };
}

function appOption(app: string | undefined): { app?: string } {
  return app ? { app } : {};
}

function classifyPython(args: string[]): CommandTarget {
  let index = 0;
  for (let word = args[index]; word !== undefined; word = args[index]) {
    if (word === '-m') return classifyModule(args[index + 1] ?? '', args.slice(index + 2));
    if (/^-m\S+/.test(word)) return classifyModule(word.slice(2), args.slice(index + 1));
    if (word === '-c' || word.startsWith('-c')) return { kind: 'other', program: 'python -c' };
    if (PYTHON_OPTIONS_WITH_VALUE.has(word)) index += 2;
    else if (word.startsWith('-')) index++;
    else break;
  }
  const script = args[index];
  if (!script) return { kind: 'other', program: 'python' };
  if (basename(script) === 'manage.py') {
    const subcommand = args.slice(index + 1).find((word) => !word.startsWith('-')) ?? '';
    if (subcommand === 'runserver' || subcommand === 'run') return { kind: 'manage-run', script, subcommand };
    // `python manage.py` alone runs its __main__ block, which may call app.run().
    if (subcommand === '') return { kind: 'python-script', script };
    return { kind: 'other', program: `${script} ${subcommand}` };
  }
  if (script.endsWith('.py') || script.endsWith('.pyw')) return { kind: 'python-script', script };
  return { kind: 'other', program: `python ${script}` };
}

function classifyModule(module: string, args: string[]): CommandTarget {
  if (module === 'flask') return classifyFlask(args);
  if (module === 'gunicorn' || module === 'uvicorn' || module === 'hypercorn')
    return { kind: 'wsgi-server', server: module, ...appOption(positionalApp(args, SERVER_FLAGS)) };
  if (module === 'waitress')
    return { kind: 'wsgi-server', server: 'waitress', ...appOption(positionalApp(args, WAITRESS_FLAGS)) };
  return { kind: 'other', program: `python -m ${module}`, ...(module ? { module } : {}) };
}

const FLASK_GLOBAL_WITH_VALUE = new Set(['--app', '-A', '--env-file', '-e']);
const FLASK_RUN_WITH_VALUE = new Set([
  '--host',
  '-h',
  '--port',
  '-p',
  '--cert',
  '--key',
  '--extra-files',
  '--exclude-patterns',
]);

/** `flask [--app X] [--debug] run [--debug|--debugger] ...`; any other subcommand is not a server. */
function classifyFlask(args: string[]): CommandTarget {
  let app: string | undefined;
  let debugFlag: '--debug' | '--debugger' | undefined;
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index];
    if (word === undefined || !word.startsWith('-')) break;
    const [option, inline] = splitOption(word);
    if (option === '--debug') debugFlag = option;
    else if (option === '--no-debug') debugFlag = undefined;
    if (FLASK_GLOBAL_WITH_VALUE.has(option)) {
      const value = inline ?? args[++index];
      if (option === '--app' || option === '-A') app = value;
    }
  }
  if (args[index] !== 'run') return { kind: 'other', program: `flask ${args[index] ?? ''}`.trim() };
  for (index++; index < args.length; index++) {
    const [option, inline] = splitOption(args[index] ?? '');
    if (option === '--debug' || option === '--debugger') debugFlag = option;
    else if (option === '--no-debug') debugFlag = undefined;
    if (FLASK_RUN_WITH_VALUE.has(option) && inline === undefined) index++;
  }
  return { kind: 'flask-run', debug: debugFlag !== undefined, ...(debugFlag ? { debugFlag } : {}), ...appOption(app) };
}

function splitOption(word: string): [string, string | undefined] {
  const equals = word.indexOf('=');
  return word.startsWith('--') && equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
}

// Options of gunicorn/uvicorn/hypercorn that take no value: every other option consumes the next word.
const SERVER_FLAGS = new Set([
  '--reload',
  '--preload',
  '--daemon',
  '-D',
  '--check-config',
  '--print-config',
  '--capture-output',
  '--enable-stdio-inheritance',
  '--spew',
  '--no-sendfile',
  '--reuse-port',
  '-R',
  '--strip-header-spaces',
  '--proxy-protocol',
  '--suppress-ragged-eofs',
  '--do-handshake-on-connect',
  '--factory',
  '--no-access-log',
  '--proxy-headers',
  '--no-proxy-headers',
  '--use-colors',
  '--no-use-colors',
  '--no-server-header',
  '--no-date-header',
  '--debug',
  '--access-log',
  '-h',
  '--help',
  '-v',
  '--version',
]);
// waitress-serve writes its options as --name=value; these are its flags.
const WAITRESS_FLAGS = new Set([
  '--call',
  '--expose-tracebacks',
  '--no-expose-tracebacks',
  '--ipv4',
  '--no-ipv4',
  '--ipv6',
  '--no-ipv6',
  '--help',
]);

/** The first word that is not an option or an option's value: gunicorn's `module:app`. */
function positionalApp(args: string[], flags: ReadonlySet<string>): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === undefined) break;
    if (word === '--') return args[index + 1];
    if (word.startsWith('-')) {
      if (!flags.has(word) && !word.includes('=') && !/^-[a-zA-Z]\S/.test(word) && flags !== WAITRESS_FLAGS) index++;
      continue;
    }
    return word;
  }
  return undefined;
}

function uwsgiApp(args: string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const [option, inline] = splitOption(args[index] ?? '');
    if (['--module', '-w', '--wsgi', '--wsgi-file', '--file', '--mount'].includes(option)) {
      const value = inline ?? args[index + 1];
      return option === '--mount' ? value?.slice(value.indexOf('=') + 1) : value;
    }
  }
  return undefined;
}
