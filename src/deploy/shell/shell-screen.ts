/**
 * What shell text must contain, as text, before bash's grammar reads it: parsing costs a WebAssembly load
 * (once per process) and a parse, and most recipe lines of a Makefile (`@echo "  html  to make HTML files"`)
 * start nothing the deploy model keeps. Each screen errs towards a parse: text it lets through may still hold
 * nothing, but text it stops cannot change the model.
 */

/**
 * The text as a command's words hold it: a word's value drops quotes, backslashes and line continuations
 * (shell-commands.ts wordText), so `py"thon"`, `gun\icorn` and `$'flask'` are still found.
 */
function asWords(text: string): string {
  return text.replace(/\\\r?\n/g, '').replace(/\$?["']|\\/g, '');
}

/**
 * A program model-command.ts classifyArgv tells apart from 'other': a Python interpreter (`python3`, `py`),
 * `flask`, a WSGI server, a shell, a `.sh` script. A program is its word's basename: a short name inside a
 * longer word (`numpy`, `push`, `x-sh`) is not it.
 */
const STARTS_SOMETHING =
  /python|flask|gunicorn|uvicorn|hypercorn|waitress|uwsgi|\.sh|(?<![\w.-])(?:py|sh|bash|ash|dash|zsh)(?![\w.-])/;

/** False when no command of the text can start a server, a Python script or a shell script. */
export function mayStartSomething(text: string): boolean {
  return STARTS_SOMETHING.test(asWords(text));
}

/**
 * What else a script's commands carry that the model reads (formats/script.ts, script-follow.ts): an export
 * (`export`, `declare -x`), an environment for a command (`A=1 cmd`, `env A=1 cmd`), the arguments it was
 * given run as a command (`exec "$@"`), a script called by its path (`./run`, `bin/start`: followed). Any `=`,
 * `/` or `.` counts; only the shebang line is left out, since it is never a command.
 */
const SCRIPT_MATTERS = new RegExp(`${STARTS_SOMETHING.source}|export|declare|\\$\\{?@|[=/.]`);

/** False when the script can neither start something nor set anything a command it runs gets. */
export function scriptMayMatter(source: string): boolean {
  const shebangEnd = source.startsWith('#!') ? source.indexOf('\n') : 0;
  return shebangEnd !== -1 && SCRIPT_MATTERS.test(asWords(source.slice(shebangEnd)));
}
