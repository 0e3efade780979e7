import { parsePython, pythonParserLoaded, PythonGrammarNeeded, type SyntaxNode } from '../python/parser.js';
import { stringLiteralValue } from '../python/syntax.js';
import { lineStart, nextLineStart } from '../python/edit-helpers.js';
import { spanAt } from './formats/common.js';
import { basename, isGunicornProgram, unwrapCommand } from './model-command.js';
import { substituteVariables } from './variables.js';
import type { CommandWord, DeployCommand, EnvSetting } from './model.js';

/**
 * gunicorn's own environment: `-e/--env K=V` on its command line, in GUNICORN_CMD_ARGS, or `raw_env` in the
 * config file it loads. gunicorn (config.py, app/base.py) loads the config file `-c/--config` names on the
 * command line, else the one GUNICORN_CMD_ARGS names, else ./gunicorn.conf.py in its working directory; then
 * it applies GUNICORN_CMD_ARGS, then the command line, each replacing `raw_env` whole (`-e` does not add to
 * the file's list). The arbiter and each worker then set those variables in os.environ, over what the process
 * inherited: the app sees them when it is created.
 */

/** Where an `-e`/`-c` option and its value are among the words: argv indexes of its first and last word. */
interface OptionUse {
  value: string;
  first: number;
  last: number;
}

const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;

/** The index of gunicorn's first argument in argv (`gunicorn ...`, `python -m gunicorn ...`), if it runs gunicorn. */
function gunicornArgumentsStart(argv: readonly string[]): number | undefined {
  const unwrapped = unwrapCommand([...argv]).argv;
  const offset = argv.length - unwrapped.length;
  const program = basename(unwrapped[0] ?? '');
  if (isGunicornProgram(program)) return offset + 1;
  if (!PYTHON.test(program)) return undefined;
  const module = unwrapped.findIndex((word, index) => index > 0 && (word === '-mgunicorn' || word === '-m'));
  if (module === -1) return undefined;
  if (unwrapped[module] === '-mgunicorn') return offset + module + 1;
  return unwrapped[module + 1] === 'gunicorn' ? offset + module + 2 : undefined;
}

/** Every use of one option, as argparse reads it: `-e V`, `-eV`, `--env V`, `--env=V`. */
function optionUses(words: readonly string[], start: number, short: string, long: string): OptionUse[] {
  const uses: OptionUse[] = [];
  for (let index = start; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word === '--') break;
    if (word === short || word === long) {
      const value = words[index + 1];
      if (value !== undefined) uses.push({ value, first: index, last: index + 1 });
      index++;
    } else if (word.startsWith(`${long}=`))
      uses.push({ value: word.slice(long.length + 1), first: index, last: index });
    else if (word.startsWith(short) && !word.startsWith('--') && word.length > short.length)
      uses.push({ value: word.slice(short.length), first: index, last: index });
  }
  return uses;
}

/** `K=V` as gunicorn splits it (at the first `=`); undefined for a value without one. */
function assignment(value: string): { name: string; value: string } | undefined {
  const equals = value.indexOf('=');
  return equals > 0 ? { name: value.slice(0, equals), value: value.slice(equals + 1) } : undefined;
}

/** GUNICORN_CMD_ARGS split as gunicorn splits it (shlex): blanks, with quotes kept together. */
function splitCommandArgs(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((match) => match[0].replace(/["']/g, ''));
}

/** A `raw_env` item where the config file writes it: the string literal and its value. */
export interface RawEnvEntry {
  text: string;
  start: number;
  end: number;
  /**
   * What removing the item from its list or tuple takes, the rest still valid Python: its own line when it
   * has one, else the item with the separator before it (after it, for the first). None for a lone string.
   */
  removal?: { start: number; end: number; replacement?: string };
}

/**
 * The string literals of the config file's `raw_env` as it stands once the file has run: its last top-level
 * assignment (a list, a tuple or one string, as gunicorn's validate_list_string takes), then the items later
 * top-level statements add (`raw_env += [...]`, `raw_env.append("K=V")`, `raw_env.extend([...])`). Items that
 * are not literals are left out; undefined when the file names no `raw_env` it assigns or adds to.
 */
export function rawEnvEntries(source: string): RawEnvEntry[] | undefined {
  if (!source.includes('raw_env')) return undefined;
  if (!pythonParserLoaded()) throw new PythonGrammarNeeded();
  const tree = parsePython(source);
  try {
    let entries: RawEnvEntry[] | undefined;
    for (const statement of tree.rootNode.namedChildren) {
      const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (!expression) continue;
      if (expression.type === 'assignment' || expression.type === 'augmented_assignment') {
        const left = expression.childForFieldName('left');
        const right = expression.childForFieldName('right');
        if (left?.type !== 'identifier' || left.text !== 'raw_env' || !right) continue;
        if (expression.type === 'assignment') entries = assignedEntries(source, right);
        // `+=` on a list extends it with the items of the list or tuple on the right.
        else if (/^\+=$/.test(expression.child(1)?.text ?? '') && right.type !== 'string')
          entries = [...(entries ?? []), ...assignedEntries(source, right)];
        continue;
      }
      const added = addedEntries(source, statement, expression);
      if (added) entries = [...(entries ?? []), ...added];
    }
    return entries;
  } finally {
    tree.delete();
  }
}

/** The items of the value `raw_env = value` assigns (or `+=` adds). */
function assignedEntries(source: string, value: SyntaxNode): RawEnvEntry[] {
  if (value.type === 'string') {
    const text = stringLiteralValue(value);
    return text === undefined ? [] : [{ text, start: value.startIndex, end: value.endIndex }];
  }
  if (value.type !== 'list' && value.type !== 'tuple') return [];
  const items = value.namedChildren.filter((item) => item.type !== 'comment');
  return items.flatMap((item, index) => {
    const text = stringLiteralValue(item);
    if (text === undefined) return [];
    const removal = itemRemoval(source, item, items, index, value.type === 'tuple');
    return [{ text, start: item.startIndex, end: item.endIndex, removal }];
  });
}

/**
 * `raw_env.append("K=V")` (removing the item takes the whole statement) or `raw_env.extend([...])` (its list's
 * items); undefined for any other statement.
 */
function addedEntries(source: string, statement: SyntaxNode, call: SyntaxNode): RawEnvEntry[] | undefined {
  if (call.type !== 'call') return undefined;
  const method = call.childForFieldName('function');
  const object = method?.type === 'attribute' ? method.childForFieldName('object') : undefined;
  if (object?.type !== 'identifier' || object.text !== 'raw_env') return undefined;
  const name = method?.childForFieldName('attribute')?.text;
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((arg) => arg.type !== 'comment');
  const [only] = args;
  if (args.length !== 1 || !only) return undefined;
  if (name === 'extend') return only.type === 'string' ? [] : assignedEntries(source, only);
  if (name !== 'append') return undefined;
  const text = stringLiteralValue(only);
  if (text === undefined) return [];
  const ownLine =
    source.slice(lineStart(source, statement.startIndex), statement.startIndex).trim() === '' &&
    /^[ \t]*(?:#[^\n]*)?(?:\r?\n|$)/.test(source.slice(statement.endIndex));
  const removal = ownLine
    ? { start: lineStart(source, statement.startIndex), end: nextLineStart(source, statement.endIndex) }
    : { start: statement.startIndex, end: statement.endIndex, replacement: 'pass' };
  return [{ text, start: only.startIndex, end: only.endIndex, removal }];
}

/** What removing a list item takes (see RawEnvEntry.removal). */
function itemRemoval(
  source: string,
  item: SyntaxNode,
  items: readonly SyntaxNode[],
  index: number,
  tuple: boolean,
): { start: number; end: number; replacement?: string } {
  const previous = items[index - 1];
  const next = items[index + 1];
  const last = items.at(-1);
  // A tuple left with one item needs a comma after it, or it is that item alone.
  if (tuple && items.length === 2 && last && !/^\s*,/.test(source.slice(last.endIndex))) {
    if (next) return { start: item.startIndex, end: next.endIndex, replacement: `${next.text},` };
    if (previous) return { start: previous.endIndex, end: item.endIndex, replacement: ',' };
  }
  const start = lineStart(source, item.startIndex);
  const rest = /^[ \t]*,?[ \t]*(?:#[^\n]*)?(?=\r?\n|$)/.exec(source.slice(item.endIndex));
  const ownLine = source.slice(start, item.startIndex).trim() === '' && rest !== null;
  if (ownLine) return { start, end: nextLineStart(source, item.endIndex) };
  if (previous) return { start: previous.endIndex, end: item.endIndex };
  if (next) return { start: item.startIndex, end: next.startIndex };
  // The only item: its trailing comma goes too (`("FLASK_DEBUG=1",)` becomes `()`).
  const comma = /^[ \t]*,/.exec(source.slice(item.endIndex));
  return { start: item.startIndex, end: item.endIndex + (comma?.[0].length ?? 0) };
}

/** What the loader gives: where the command runs, and how files are found and read. */
export interface GunicornEnvironmentInput {
  /** The command that serves (gunicorn, if it is). */
  serves: DeployCommand;
  /** What the process inherits before gunicorn sets its own (GUNICORN_CMD_ARGS is read there). */
  inherited: readonly EnvSetting[];
  /** A file named relative to the folder the command runs in (or absolute), found in the repository. */
  locate(reference: string): string | undefined;
  read(path: string): string | undefined;
}

/** The settings gunicorn gives its workers, in the order they apply (empty when the command is not gunicorn). */
export function gunicornEnvironment(input: GunicornEnvironmentInput): EnvSetting[] {
  const { serves, read } = input;
  const start = gunicornArgumentsStart(serves.argv);
  if (start === undefined) return [];
  const commandArgs = input.inherited.filter((setting) => setting.name === 'GUNICORN_CMD_ARGS').at(-1);
  const argsWords = commandArgs ? splitCommandArgs(commandArgs.value) : [];
  const config =
    optionUses(serves.argv, start, '-c', '--config').at(-1)?.value ??
    optionUses(argsWords, 0, '-c', '--config').at(-1)?.value ??
    'gunicorn.conf.py';

  // `-e FLASK_DEBUG=${FLASK_DEBUG}`: the shell gives it what the process has (unset: empty, which is off).
  const known = new Map(
    input.inherited.filter((setting) => !setting.branch?.development).map((setting) => [setting.name, setting.value]),
  );
  const onCommandLine = optionUses(serves.argv, start, '-e', '--env');
  if (onCommandLine.length > 0)
    return onCommandLine.flatMap((use) =>
      commandLineSetting(serves, { ...use, value: substituteVariables(use.value, known) }, read),
    );
  const inArgs = optionUses(argsWords, 0, '-e', '--env');
  if (commandArgs && inArgs.length > 0)
    return inArgs.flatMap((use) => {
      const set = assignment(use.value);
      return set ? [{ ...set, origin: 'gunicorn-cmd-args' as const, at: commandArgs.at }] : [];
    });
  // `-c python:app.gunicorn_conf` names a module gunicorn imports.
  const reference = config.startsWith('python:') ? `${config.slice(7).replace(/\./g, '/')}.py` : config;
  if (reference.includes('$')) return [];
  const path = input.locate(reference);
  const text = path === undefined ? undefined : read(path);
  if (path === undefined || text === undefined) return [];
  return (rawEnvEntries(text) ?? []).flatMap((entry) => {
    const set = assignment(entry.text);
    if (!set) return [];
    const at = spanAt(path, text, entry.start, entry.end);
    // The item as a word of the config file: a fix removes it with its removal.
    const word: CommandWord = { text: entry.text, start: entry.start, end: entry.end };
    if (entry.removal) word.removal = entry.removal;
    return [{ ...set, origin: 'gunicorn-raw-env' as const, at, via: serves.at, words: [word] }];
  });
}

/** An `-e K=V` of the command line: it is written at its words (both, when the value is a word of its own). */
function commandLineSetting(
  serves: DeployCommand,
  use: OptionUse,
  read: (path: string) => string | undefined,
): EnvSetting[] {
  const set = assignment(use.value);
  if (!set) return [];
  const words = serves.words?.length === serves.argv.length ? serves.words.slice(use.first, use.last + 1) : undefined;
  const first = words?.[0];
  const last = words?.at(-1);
  const source = read(serves.at.path);
  const at =
    first && last && source !== undefined
      ? spanAt(serves.at.path, source, first.start, last.end)
      : // Words not placed (inside `sh -c "..."`): the command line holds the setting.
        serves.at;
  const placed: { words?: CommandWord[] } = words ? { words } : {};
  return [{ ...set, origin: 'gunicorn-env', at, ...placed }];
}
