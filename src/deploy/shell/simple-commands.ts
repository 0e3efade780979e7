import type { ShellAssignment, ShellCommand, ShellWord } from './shell-command.js';

/**
 * The commands of simple shell text read without bash's grammar: words of plain characters and quoted strings
 * without expansions or escapes ('...', "..." holding no $, ` or \\), joined on a line by `;`, `&&`, `||` or
 * `|`, one command line after another, with whole-line comments (a shebang is one). `flask db upgrade &&
 * gunicorn "app:create_app()"` is simple; a substitution, a redirect, a heredoc, a group, a keyword (`if`,
 * `while`), a declaration (`export`), a glob or a line continuation is not, and undefined sends the text to
 * the grammar. The reading is the grammar's own, word for word and offset for offset
 * (test/properties/simple-commands.property.test.ts compares the two on generated and real texts): the
 * grammar costs a WebAssembly load (~30 ms) that deploy files of such lines never need.
 */
export function simpleCommands(text: string): ShellCommand[] | undefined {
  const commands: ShellCommand[] = [];
  let words: SplitWord[] = [];
  // After `&&`, `||` or `|`, a command must follow on the same line.
  let joining = false;
  const endCommand = (): boolean => {
    const command = words.length > 0 ? commandOf(words) : undefined;
    if (command) commands.push(command);
    words = [];
    return command !== undefined;
  };
  let position = 0;
  for (;;) {
    while (text[position] === ' ' || text[position] === '\t') position++;
    const next = text[position];
    if (next === undefined || next === '\n') {
      if (joining || (words.length > 0 && !endCommand())) return undefined;
      if (next === undefined) return commands;
      position++;
      continue;
    }
    if (next === '#' && words.length === 0 && !joining) {
      // A comment runs to the end of the line.
      const lineEnd = text.indexOf('\n', position);
      position = lineEnd === -1 ? text.length : lineEnd;
      continue;
    }
    const operator = OPERATOR.exec(text.slice(position, position + 2))?.[0];
    if (operator !== undefined) {
      // An operator ends a command: none may start a line or follow another.
      if (!endCommand()) return undefined;
      joining = operator !== ';';
      position += operator.length;
      continue;
    }
    const word = wordAt(text, position);
    if (!word) return undefined;
    words.push(word);
    joining = false;
    position = word.end;
  }
}

interface SplitWord extends ShellWord {
  /** The word's first run of unquoted characters (empty when it starts with a quote): an assignment's name. */
  plainStart: string;
  /** The word as written, quotes included. */
  written: string;
}

// `|&`, `;;`, `;&` and a lone `&` mean more than "then": they are left to the grammar.
const OPERATOR = /^(?:&&|\|\||;(?![;&])|\|(?![|&]))/;
// Characters bash takes literally outside quotes (no glob, expansion, redirect, comment or group among them).
const PLAIN = /[\w./:@+,=-]+/y;
const SINGLE_QUOTED = /'[^'\n\r]*'/y;
const DOUBLE_QUOTED = /"[^"$`\\\n\r!]*"/y;
// After a word: a blank, an operator or the end of the line.
const WORD_END = /[ \t\n;&|]|$/y;

/** The word starting at `start`: plain runs and quoted strings side by side, with its value as the grammar gives it. */
function wordAt(text: string, start: number): SplitWord | undefined {
  let position = start;
  let value = '';
  let plainStart = '';
  for (;;) {
    const plain = matchAt(PLAIN, text, position);
    if (plain !== undefined) {
      if (position === start) plainStart = plain;
      value += plain;
      position += plain.length;
      continue;
    }
    const quoted = matchAt(SINGLE_QUOTED, text, position) ?? matchAt(DOUBLE_QUOTED, text, position);
    if (quoted === undefined) break;
    value += quoted.slice(1, -1);
    position += quoted.length;
  }
  if (position === start || matchAt(WORD_END, text, position) === undefined) return undefined;
  return { text: value, start, end: position, plainStart, written: text.slice(start, position) };
}

function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

// Leading words the grammar reads as something else than a program: keywords, declarations, tests.
const NOT_A_PROGRAM = new Set(
  [
    'if then elif else fi case esac for select while until do done in function time coproc',
    'export declare typeset local readonly unset unsetenv',
  ]
    .join(' ')
    .split(' '),
);
// A program word the grammar reads as written: its error recovery splits some others (`A=1 app:app` gives
// `:app`, `a@b` gives `@b`) and it reads more than NAME=value as an assignment (`--opt="a b" cmd`).
// A program starts with a letter, `_`, `.`, `/` or a quote (no `-r` or `2`, which no deploy line runs).
const PROGRAM_WORD = /^(?=[A-Za-z_./'"])(?:[\w./-]|'[^']*'|"[^"]*")+$/;

/** A program word outside the grammar's keywords (also glued to a quote: `local'x'`) that it reads as written. */
function plainProgram(word: SplitWord): boolean {
  return PROGRAM_WORD.test(word.written) && !NOT_A_PROGRAM.has(word.plainStart) && !NOT_A_PROGRAM.has(word.text);
}

const ASSIGNMENT_NAME = /^[A-Za-z_]\w*(?==)/;
// `A+=1` appends: the grammar reads an assignment where a plain split would read a program.
const APPENDING = /^[A-Za-z_]\w*\+=/;

/** One command: leading `NAME=value` words are its environment, the rest its argv (or undefined: not simple). */
function commandOf(words: SplitWord[]): ShellCommand | undefined {
  const assignments: ShellAssignment[] = [];
  let index = 0;
  for (; index < words.length; index++) {
    const word = words[index];
    if (word && APPENDING.test(word.plainStart)) return undefined;
    const name = word ? ASSIGNMENT_NAME.exec(word.plainStart)?.[0] : undefined;
    if (!word || name === undefined) break;
    assignments.push({ name, value: word.text.slice(name.length + 1), start: word.start, end: word.end });
  }
  const argv = words.slice(index).map(({ text, start, end }) => ({ text, start, end }));
  const program = argv[0];
  const first = words[0];
  const last = words.at(-1);
  if (!first || !last || (!program && assignments.length > 1)) return undefined;
  const programWord = words[index];
  if (programWord && !plainProgram(programWord)) return undefined;
  return { argv: argv.map((word) => word.text), words: argv, assignments, start: first.start, end: last.end };
}
