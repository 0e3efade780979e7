import { escapeRegExp } from '../../core/escape-regexp.js';
import { basename, unwrapCommand } from '../model-command.js';
import { servesApp, type DeployCommand, type DeployRole } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { mayStartSomething } from '../shell/shell-screen.js';
import { deployCommand, developmentName, expandShell, placedCommand, spanAt, type FileEntrypoint } from './common.js';

// An npm package.json's `scripts`: `npm start`, `npm run dev` run them with a shell. A script that runs the
// Python app (`flask run --debug`, `python app.py`, gunicorn) is an entrypoint of the model; one that runs
// other scripts (`npm run flask-server`, `concurrently "npm run a" "npm run b"`) is followed into them.

/** A script's value where the file writes it: the text between its quotes, and the decoded string. */
interface ScriptValue {
  name: string;
  text: string;
  /** Offset of the first character inside the quotes. */
  start: number;
  end: number;
  /** The JSON string holds no escape: its words have places in the file. */
  plain: boolean;
}

const MAX_DEPTH = 4;
// Runners of other package scripts: `npm run x`, `npm x` (start, test), `yarn x`, `pnpm run x`, `bun run x`.
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const NPM_OWN_COMMANDS = new Set(['install', 'i', 'ci', 'add', 'remove', 'exec', 'x', 'dlx', 'build', 'publish']);
// Runners of several commands at once, each an argument (`concurrently "npm run a" "flask run"`).
const PARALLEL_RUNNERS = new Set(['concurrently']);
// Runners of several package scripts by name (`npm-run-all a b`, `run-p a b`, `run-s a b`).
const SCRIPT_LIST_RUNNERS = new Set(['npm-run-all', 'run-p', 'run-s']);
// Programs that only watch and rebuild assets: a script that runs one is a developer's loop.
const WATCH = /^(?:--watch(?:All)?|--hot)$/;
// Asset builders whose `-w` is watch (gunicorn's `-w` is its workers).
const ASSET_BUILDERS = new Set(['tsc', 'webpack', 'babel', 'sass', 'esbuild', 'rollup', 'tailwindcss', 'postcss']);
const WATCHERS = new Set(['nodemon', 'webpack-dev-server', 'vite', 'browser-sync', 'livereload']);
// Scripts npm and CI run around the app, never to serve it: `build`, `test`, `lint`, `postinstall`.
const NOT_A_RUN =
  /^(?:pre|post)?(?:build|test|lint|format|clean|install|prepare|compile|typecheck|docs?|deploy|release)(?:$|[:._-])/i;

/** The package.json's scripts that run the Python app, each an entrypoint (in the role its name gives it). */
export function packageScriptEntrypoints(path: string, source: string): FileEntrypoint[] {
  const scripts = scriptValues(source);
  if (scripts.size === 0) return [];
  const called = new Set<string>();
  const commandsOf = new Map<string, ChainedCommand[]>();
  const expand = (name: string, depth: number, chain: readonly string[]): ChainedCommand[] => {
    const value = scripts.get(name);
    if (!value || depth > MAX_DEPTH || chain.includes(name)) return [];
    const commands: ChainedCommand[] = [];
    for (const command of scriptCommands(path, source, value)) {
      const others = calledScripts(command, scripts);
      if (others) {
        for (const other of others) called.add(other);
        for (const other of others) commands.push(...expand(other, depth + 1, [...chain, name]));
      } else commands.push({ command, chain: [...chain, name] });
    }
    return commands;
  };
  for (const name of scripts.keys()) if (!NOT_A_RUN.test(name)) commandsOf.set(name, expand(name, 0, []));
  const frontEnd = frontEndDevServer(scripts);
  const entrypoints: FileEntrypoint[] = [];
  for (const [name, chained] of commandsOf) {
    // A script other scripts run is reached through them (`flask-server` through `start`), in their role.
    if (called.has(name)) continue;
    const serving = chained.filter(({ command }) => servesApp(command.target)).map(({ command }) => command);
    if (serving.length === 0) continue;
    const role = scriptRole(name, chained, frontEnd);
    for (const command of serving)
      entrypoints.push({
        kind: 'npm-script',
        name: `${basename(path)} script ${name}`,
        ...role,
        file: path,
        command,
        environment: [],
        envFiles: [],
      });
  }
  return entrypoints;
}

/** A command of a script, with the scripts that led to it (`start`, `start-dev`, `run-app`). */
interface ChainedCommand {
  command: DeployCommand;
  chain: string[];
}

/**
 * Production unless the script is plainly a developer's loop: it, or a script it runs on the way to the command,
 * is named dev/local/watch (`start` running `start-dev`), or it also watches files.
 */
function scriptRole(
  name: string,
  chained: readonly ChainedCommand[],
  frontEnd: string | undefined,
): { role: DeployRole; roleReason: string } {
  const developmentScript = chained
    .flatMap(({ chain }) => chain)
    .find((script) => developmentName(script) || /(?:^|[:._-])(?:watch|serve-dev)(?:$|[:._-])/i.test(script));
  if (developmentScript)
    return {
      role: 'development',
      roleReason:
        developmentScript === name
          ? `the npm script ${name} is for development`
          : `the npm script ${name} runs ${developmentScript}, which is for development`,
    };
  const commands = chained.map(({ command }) => command);
  const watcher = commands.find((command) => {
    const argv = unwrapCommand(command.argv).argv;
    const program = basename(argv[0] ?? '');
    return (
      WATCHERS.has(program) ||
      argv.slice(1).some((word) => WATCH.test(word) || (word === '-w' && ASSET_BUILDERS.has(program)))
    );
  });
  if (watcher) {
    const watching = watcher.argv.join(' ');
    return {
      role: 'development',
      roleReason: `the npm script ${name} also runs \`${watching}\`, which watches files: a developer's loop`,
    };
  }
  if (frontEnd)
    return {
      role: 'development',
      roleReason: `${frontEnd}: the package.json is a front end's development workspace`,
    };
  return { role: 'production', roleReason: `npm start and npm run ${name} run it` };
}

// Front-end development servers: production serves a build of the front end, never one of these.
const FRONT_END_DEV_SERVERS: readonly RegExp[] = [
  /\breact-scripts\s+start\b/,
  /\bnext\s+dev\b/,
  /\bng\s+serve\b/,
  /\bvue-cli-service\s+serve\b/,
  /\bwebpack(?:-dev-server\b|\s+serve\b)/,
  // `vite`, `vite dev`, `vite --port 3000`; not `vite build` or `vite preview`.
  /(?:^|[;&|]\s*)(?:npx\s+)?vite(?:\s+(?:dev|serve))?(?:\s+-[^;&|]*)?\s*(?:$|[;&|])/,
];

/**
 * What npm start runs when it is a front-end development server (`react-scripts start`): then `npm start` is the
 * developer's loop, and the package's scripts that run the Python app are its helpers. Undefined otherwise.
 */
function frontEndDevServer(scripts: ReadonlyMap<string, ScriptValue>): string | undefined {
  const start = scripts.get('start');
  const match = start && FRONT_END_DEV_SERVERS.map((pattern) => pattern.exec(start.text)).find(Boolean);
  return match ? `npm start runs \`${match[0].replace(/^[;&|\s]+|[;&|\s]+$/g, '')}\`` : undefined;
}

/** The commands of one script's shell text, placed in the file when its JSON string holds no escape. */
function scriptCommands(path: string, source: string, value: ScriptValue): DeployCommand[] {
  if (!mayStartSomething(value.text) && !/\b(?:npm|yarn|pnpm|bun|concurrently|run-[ps]|npm-run-all)\b/.test(value.text))
    return [];
  const at = spanAt(path, source, value.start, value.end);
  const simple = parseShellCommands(value.text);
  const commands = value.plain
    ? simple.flatMap((command) => expandShell(placedCommand(command, { path, source, offset: value.start, at })))
    : simple.flatMap((command) => expandShell(deployCommand(command.argv, at)));
  return commands.flatMap((command) => parallelCommands(command, at));
}

/** `concurrently -n A,B "npm run a" "flask run"`: each quoted argument is a command of its own. */
function parallelCommands(command: DeployCommand, at: DeployCommand['at']): DeployCommand[] {
  const argv = stripWindowsStart(unwrapCommand(command.argv).argv);
  if (!PARALLEL_RUNNERS.has(basename(argv[0] ?? ''))) return [command];
  const commands: DeployCommand[] = [];
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index] ?? '';
    if (word.startsWith('-')) {
      // `-n NAMES`, `-c COLORS`, `--names NAMES`: options with a value.
      if (/^(?:-[nckp]|--(?:names|prefix-colors|kill-others-on-fail|prefix|max-processes))$/.test(word)) index++;
      continue;
    }
    for (const simple of parseShellCommands(word)) commands.push(...expandShell(deployCommand(simple.argv, at)));
  }
  return commands;
}

/** Windows' `start /b cmd` runs cmd in the background: it is the command. */
function stripWindowsStart(argv: string[]): string[] {
  if (argv[0] !== 'start') return argv;
  let index = 1;
  while (argv[index]?.startsWith('/')) index++;
  return argv.slice(index);
}

/** The package scripts a command runs (`npm run a`, `yarn a`, `run-p a b`), or undefined if it runs none. */
function calledScripts(command: DeployCommand, scripts: ReadonlyMap<string, ScriptValue>): string[] | undefined {
  const argv = stripWindowsStart(unwrapCommand(command.argv).argv);
  const program = basename(argv[0] ?? '');
  if (SCRIPT_LIST_RUNNERS.has(program)) {
    const names = argv.slice(1).filter((word) => !word.startsWith('-') && scripts.has(word));
    return names.length > 0 ? names : undefined;
  }
  if (!PACKAGE_MANAGERS.has(program)) return undefined;
  const words = argv.slice(1).filter((word) => !word.startsWith('-'));
  const [first, second] = words;
  const name = first === 'run' || first === 'run-script' ? second : first;
  if (!name || NPM_OWN_COMMANDS.has(name) || !scripts.has(name)) return undefined;
  return [name];
}

/** Each `"name": "text"` of the top-level `scripts` object, with where its text is. */
function scriptValues(source: string): Map<string, ScriptValue> {
  const values = new Map<string, ScriptValue>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return values;
  }
  const scripts = (parsed as { scripts?: unknown } | null)?.scripts;
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return values;
  const block = /"scripts"\s*:\s*\{/.exec(source);
  let from = block ? block.index + block[0].length : 0;
  for (const [name, text] of Object.entries(scripts as Record<string, unknown>)) {
    if (typeof text !== 'string') continue;
    // The key, then its string value: found in order after the `"scripts": {` that holds them.
    const pair = new RegExp(`${escapeRegExp(JSON.stringify(name))}\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'y');
    const at = findFrom(source, pair, from);
    if (!at) continue;
    const start = at.index + at[0].length - (at[1]?.length ?? 0) - 1;
    values.set(name, { name, text, start, end: start + (at[1]?.length ?? 0), plain: at[1] === text });
    from = at.index + at[0].length;
  }
  return values;
}

function findFrom(source: string, pattern: RegExp, from: number): RegExpExecArray | undefined {
  for (let index = source.indexOf('"', from); index !== -1; index = source.indexOf('"', index + 1)) {
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (match) return match;
  }
  return undefined;
}
