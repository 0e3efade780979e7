import { join } from 'node:path';
import { parsePython, type SyntaxNode, type Tree } from '../python/parser.js';
import { ModuleFacts, sameNode } from '../python/module-facts.js';
import { callParts } from '../python/syntax.js';
import type { DevServerCommand } from './dev-server-command.js';
import { envAssignments } from './env-file.js';
import { optionValue } from './listen-address.js';
import { resolved, unresolved, type ProjectFiles, type Resolved } from './project-files.js';

/** What the command a dev server is replaced with must import, found with certainty. */
export interface ServedApp {
  /** Gunicorn's APP_MODULE: `app:app`, `app:application`, `myapp:create_app()`. */
  target: string;
  /** The module file gunicorn imports (absolute). */
  file: string;
  facts: ModuleFacts;
  /** For `python app.py`: the `app.run(...)` call that started the server, whose host and port carry over. */
  runCall?: SyntaxNode;
  /** Names the `__main__` block bound before that call (`port = int(os.environ.get(...))`). */
  mainBindings: Map<string, SyntaxNode>;
}

export interface ServedAppQuery {
  /** The folder the command runs in: gunicorn imports the module from there. */
  folder: string;
  /** The command, with its words: `--app`/`FLASK_APP=` given on it are read there. */
  command: DevServerCommand;
  /** Variables the deploy file sets for the command (Dockerfile ENV, compose environment). */
  environment: ReadonlyMap<string, string>;
}

// Flask's discovery (flask.cli.find_best_app): these attribute names first, then a lone app, then a factory.
const APP_ATTRIBUTES = ['app', 'application'];
const FACTORY_NAMES = ['create_app', 'make_app'];
// Gunicorn calls `module:factory(args)` only with literal arguments (it parses them with ast.literal_eval).
// A Python literal: a string without escapes, a number, True, False or None.
const PYTHON_LITERAL = String.raw`(?:'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|True|False|None)`;
const LITERAL_CALL = new RegExp(
  String.raw`^([A-Za-z_]\w*)\((\s*${PYTHON_LITERAL}?(?:\s*,\s*${PYTHON_LITERAL})*\s*,?\s*)\)$`,
);
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

/**
 * Resolves what `gunicorn <target>` must serve to replace the command: the
 * module-level app, a factory as `module:create_app()`, or a package's app,
 * the way Flask itself finds them. Anything that would fail at import (a module
 * that only defines `create_app`, a script that calls `app.run()` while being
 * imported) is either resolved correctly or reported with the reason.
 */
export function withServedApp<T>(
  query: ServedAppQuery,
  files: ProjectFiles,
  use: (served: Resolved<ServedApp>) => T,
): T {
  // Trees live in WebAssembly memory: every module parsed for this question is freed once it is answered.
  const trees: Tree[] = [];
  try {
    return use(resolveServedApp(query, files, trees));
  } finally {
    for (const tree of trees) tree.delete();
  }
}

function resolveServedApp(query: ServedAppQuery, files: ProjectFiles, trees: Tree[]): Resolved<ServedApp> {
  if (query.command.kind === 'python-script') return resolveScript(query, files, trees);
  const flaskApp = flaskAppSetting(query, files);
  if (flaskApp === undefined) {
    // Flask's default when FLASK_APP is unset: wsgi.py, then app.py.
    for (const module of ['wsgi', 'app']) {
      if (files.read(join(query.folder, `${module}.py`)) !== undefined)
        return resolveModule(query.folder, module, undefined, files, trees);
    }
    return unresolved(
      '`flask run` names no app (no --app or FLASK_APP) and there is no wsgi.py or app.py beside the deploy file',
    );
  }
  const [modulePart = '', attribute, ...rest] = flaskApp.split(':');
  if (rest.length > 0) return unresolved(`FLASK_APP=${flaskApp} is not a module:name Flask understands`);
  const module = modulePart.replace(/\.py$/, '');
  if (!/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(module)) {
    return unresolved(`FLASK_APP=${flaskApp} is a path, not a module gunicorn can import from the working directory`);
  }
  return resolveModule(query.folder, module, attribute?.trim(), files, trees);
}

/** FLASK_APP from the command line, the deploy file's environment, or .flaskenv/.env (which `flask run` loads). */
function flaskAppSetting({ folder, command, environment }: ServedAppQuery, files: ProjectFiles): string | undefined {
  // `flask --app x run` or `-A x` among the command's words, else `FLASK_APP=x flask run`.
  const fromCommand = optionValue(command.argv, ['--app', '-A'])?.value ?? command.assignments.get('FLASK_APP');
  if (fromCommand) return fromCommand;
  const fromEnvironment = environment.get('FLASK_APP');
  if (fromEnvironment) return fromEnvironment;
  return dotenvValue(folder, 'FLASK_APP', files);
}

/** A variable as `flask run` reads it from .env and .flaskenv (python-dotenv: .env wins, the environment over both). */
export function dotenvValue(folder: string, name: string, files: ProjectFiles): string | undefined {
  for (const file of ['.env', '.flaskenv']) {
    const text = files.read(join(folder, file));
    const value = text === undefined ? undefined : envAssignments(text).find((entry) => entry.name === name)?.value;
    if (value) return value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return undefined;
}

function moduleFile(folder: string, module: string, files: ProjectFiles): { file: string; source: string } | undefined {
  const base = join(folder, ...module.split('.'));
  for (const file of [`${base}.py`, join(base, '__init__.py')]) {
    const source = files.read(file);
    if (source !== undefined) return { file, source };
  }
  return undefined;
}

function parseModule(source: string, trees: Tree[]): ModuleFacts | undefined {
  const tree = parsePython(source);
  trees.push(tree);
  return tree.rootNode.hasError ? undefined : new ModuleFacts(tree, source);
}

/** `flask run` with FLASK_APP=module[:attribute]: Flask's own discovery, written as gunicorn's target. */
function resolveModule(
  folder: string,
  module: string,
  attribute: string | undefined,
  files: ProjectFiles,
  trees: Tree[],
): Resolved<ServedApp> {
  const found = moduleFile(folder, module, files);
  if (!found)
    return unresolved(`the app module ${module} is not beside the deploy file, where gunicorn would import it`);
  const facts = parseModule(found.source, trees);
  if (!facts) return unresolved(`${module} does not parse`);
  const blocker = importBlocker(facts, module);
  if (blocker) return unresolved(blocker);
  const served = (target: string): Resolved<ServedApp> =>
    resolved({ target, file: found.file, facts, mainBindings: new Map() });
  if (attribute !== undefined) {
    const call = LITERAL_CALL.exec(attribute);
    if (call)
      return factoryCallable(facts, call[1] ?? '', Boolean(call[2]?.trim()))
        ? served(`${module}:${attribute}`)
        : unresolved(`${module} has no app factory ${call[1]} gunicorn can call`);
    if (/^[A-Za-z_]\w*$/.test(attribute)) {
      if (topLevelAppNames(facts).includes(attribute)) return served(`${module}:${attribute}`);
      // Flask calls a factory named without parentheses; gunicorn needs them.
      if (factoryCallable(facts, attribute, false)) return served(`${module}:${attribute}()`);
    }
    return unresolved(
      `FLASK_APP names ${module}:${attribute}, which is not an app or a factory gunicorn can call with no arguments`,
    );
  }
  const apps = topLevelAppNames(facts);
  const preferred = APP_ATTRIBUTES.find((name) => apps.includes(name)) ?? (apps.length === 1 ? apps[0] : undefined);
  if (preferred) return served(`${module}:${preferred}`);
  if (apps.length > 1)
    return unresolved(`${module} binds several Flask apps (${apps.join(', ')}); Flask itself would refuse to pick one`);
  const factory = FACTORY_NAMES.find((name) => factoryCallable(facts, name, false));
  if (factory) return served(`${module}:${factory}()`);
  return unresolved(`no Flask app or create_app() factory found at the top level of ${module}`);
}

/** `python app.py`: serve the app the script runs, if importing the script does nothing else that matters. */
function resolveScript(query: ServedAppQuery, files: ProjectFiles, trees: Tree[]): Resolved<ServedApp> {
  const script = query.command.script ?? '';
  if (!/^(?:\.\/)?[A-Za-z_]\w*\.py$/.test(script))
    return unresolved(`\`python ${script}\` runs a script gunicorn cannot import by name from the working directory`);
  const module = script.replace(/^\.\//, '').replace(/\.py$/, '');
  const found = moduleFile(query.folder, module, files);
  if (!found) return unresolved(`${script} is not beside the deploy file`);
  const facts = parseModule(found.source, trees);
  if (!facts) return unresolved(`${script} does not parse`);
  const blocker = importBlocker(facts, module);
  if (blocker) return unresolved(blocker);
  const runCalls = facts.methodCalls('run').flatMap((call) => {
    const receiver = callParts(call)?.callee.childForFieldName('object');
    return receiver && facts.appEvidence(receiver) !== undefined ? [{ call, receiver }] : [];
  });
  const [onlyRun] = runCalls;
  if (runCalls.length !== 1 || !onlyRun)
    return unresolved(`${script} calls app.run() ${runCalls.length === 0 ? 'nowhere we can see' : 'more than once'}`);
  const { call: runCall, receiver } = onlyRun;
  const runEvidence = facts.appEvidence(receiver);
  // `gunicorn module:app` would name the Dash object, not the Flask server it holds as app.server.
  if (runEvidence?.kind === 'app' && runEvidence.appClass?.framework === 'Dash')
    return unresolved(
      `${script} runs a Dash app: gunicorn serves its Flask server as module:app.server, chosen by hand`,
    );
  const main = mainBlock(runCall);
  if (!main) return unresolved(`${script} calls app.run() outside an \`if __name__ == "__main__":\` block`);
  const mainBindings = new Map<string, SyntaxNode>();
  for (const statement of main.namedChildren) {
    if (statement.type === 'comment' || statement.type === 'pass_statement') continue;
    const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (expression && sameNode(expression, runCall)) break;
    const left = expression?.type === 'assignment' ? expression.childForFieldName('left') : undefined;
    const right = expression?.type === 'assignment' ? expression.childForFieldName('right') : undefined;
    if (left?.type === 'identifier' && right) {
      mainBindings.set(left.text, right);
      continue;
    }
    if (
      expression?.type === 'call' &&
      /^(?:print|logging\.\w+|log\w*\.\w+)$/.test(expression.childForFieldName('function')?.text ?? '')
    )
      continue;
    return unresolved(
      `the \`__main__\` block of ${script} also runs \`${firstLine(statement.text)}\`, which gunicorn would skip`,
    );
  }
  const appName = receiver.type === 'identifier' ? receiver.text : undefined;
  if (appName && topLevelAppNames(facts).includes(appName))
    return resolved({ target: `${module}:${appName}`, file: found.file, facts, runCall, mainBindings });
  // `app = create_app()` inside the __main__ block: gunicorn calls the same factory.
  const built = appName ? mainBindings.get(appName) : undefined;
  const factoryCall = built?.type === 'call' ? LITERAL_CALL.exec(built.text.replace(/\s+/g, ' ')) : null;
  if (
    appName &&
    built &&
    factoryCall &&
    (facts.isFactory(factoryCall[1] ?? '') || facts.importedRef(factoryCall[1] ?? ''))
  ) {
    mainBindings.delete(appName);
    return resolved({ target: `${module}:${built.text}`, file: found.file, facts, runCall, mainBindings });
  }
  return unresolved(`cannot tell which app ${script} runs (\`${firstLine(receiver.text)}.run()\`)`);
}

/** Why importing the module under gunicorn would not serve the same app, if it would not. */
function importBlocker(facts: ModuleFacts, module: string): string | undefined {
  if (/\bSocketIO\s*\(/.test(facts.source) || /\bsocketio\.run\s*\(/.test(facts.source)) {
    return (
      `${module} uses Flask-SocketIO, which needs gunicorn's eventlet or gevent worker (and a single worker): ` +
      'choose and test that by hand'
    );
  }
  for (const call of facts.methodCalls('run')) {
    const receiver = callParts(call)?.callee.childForFieldName('object');
    if (receiver && facts.appEvidence(receiver) !== undefined && !mainBlock(call) && !insideFunction(call)) {
      return (
        `${module} calls ${firstLine(call.text)} while it is imported, ` +
        'so gunicorn would start the development server inside its worker'
      );
    }
  }
  return undefined;
}

/** Module-level names bound to a Flask app (`app = Flask(__name__)`, `app = create_app()`). */
function topLevelAppNames(facts: ModuleFacts): string[] {
  const names = new Set<string>();
  for (const match of facts.source.matchAll(/^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/gm)) names.add(match[1] ?? '');
  return [...names].filter((name) => facts.isAppName(name));
}

/** True when `name` is a factory gunicorn can call: defined here (or imported) and, without arguments, needing none. */
function factoryCallable(facts: ModuleFacts, name: string, withArguments: boolean): boolean {
  if (facts.isFactory(name)) {
    const definition = facts.tree.rootNode.namedChildren
      .map((node) => (node.type === 'decorated_definition' ? node.childForFieldName('definition') : node))
      .find((node) => node?.type === 'function_definition' && node.childForFieldName('name')?.text === name);
    if (!definition) return false;
    if (withArguments) return true;
    const parameters = definition.childForFieldName('parameters')?.namedChildren ?? [];
    return parameters.every((parameter) => parameter.type !== 'identifier' && parameter.type !== 'typed_parameter');
  }
  // `from myapp import create_app` at the top level: the attribute exists; its module is the app package.
  const binding = facts.imports.get(name);
  return (
    binding !== undefined &&
    binding.name !== null &&
    FACTORY_NAMES.includes(binding.name) &&
    topLevelImport(facts, name)
  );
}

function topLevelImport(facts: ModuleFacts, name: string): boolean {
  return facts.tree.rootNode.namedChildren.some(
    (node) =>
      node.type === 'import_from_statement' &&
      node
        .childrenForFieldName('name')
        .some((imported) => (imported.childForFieldName('alias') ?? imported).text === name),
  );
}

/** The block of the `if __name__ == "__main__":` that holds `node`, if any. */
function mainBlock(node: SyntaxNode): SyntaxNode | undefined {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'class_definition') return undefined;
    if (parent.type === 'if_statement' && MAIN_GUARD.test(parent.childForFieldName('condition')?.text.trim() ?? '')) {
      const consequence = parent.childForFieldName('consequence');
      return consequence && sameNode(consequence, child) ? consequence : undefined;
    }
  }
  return undefined;
}

function insideFunction(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.type === 'function_definition') return true;
  return false;
}

function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
