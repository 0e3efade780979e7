import type { SyntaxNode } from '../python/parser.js';
import type { ModuleFacts } from '../python/module-facts.js';
import { argumentValue, callParts, literalValue } from '../python/syntax.js';
import { resolved, unresolved, type Resolved } from './project-files.js';

/** A listen setting as the old command got it: a fixed value, or an environment variable with its default. */
export type ListenValue = { kind: 'literal'; value: string } | { kind: 'env'; name: string; fallback?: string };

export interface ListenAddress {
  host: ListenValue;
  port: ListenValue;
}

// What Werkzeug's development server binds when nothing says otherwise (flask run and app.run alike).
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = '5000';
const SHELL_VARIABLE = /^["']?\$(?:\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|([A-Za-z_]\w*))["']?$/;
const PLAIN_VALUE = /^["']?([\w.:[\]-]+)["']?$/;

/**
 * The host and port `flask run` listened on: `--host`/`--port` (or `-h`/`-p`)
 * among the command's words (the model's: quotes removed, expansions as written),
 * else FLASK_RUN_HOST/FLASK_RUN_PORT with Flask's defaults (the config loads
 * .env/.flaskenv first, as `flask run` did).
 */
export function resolveFlaskRunAddress(argv: readonly string[], options: { shell: boolean }): Resolved<ListenAddress> {
  const host = flagValue(argv, ['--host', '-h'], 'FLASK_RUN_HOST', DEFAULT_HOST, options.shell);
  if (!host.ok) return host;
  const port = flagValue(argv, ['--port', '-p'], 'FLASK_RUN_PORT', DEFAULT_PORT, options.shell);
  if (!port.ok) return port;
  return resolved({ host: host.value, port: port.value });
}

/** An option's value among the words: `--port 8000`, `--port=8000`, `-p 8000`, `-p8000`; the last one given wins. */
export function optionValue(
  argv: readonly string[],
  [long, short]: readonly [string, string?],
): { written: string; value: string } | undefined {
  let found: { written: string; value: string } | undefined;
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] ?? '';
    const next = argv[index + 1];
    if ((word === long || word === short) && next !== undefined) {
      found = { written: `${word} ${next}`, value: next };
      index++;
    } else if (word.startsWith(`${long}=`)) found = { written: word, value: word.slice(long.length + 1) };
    else if (short && word.startsWith(short) && word.length > short.length && !word.startsWith('--'))
      found = { written: word, value: word.slice(short.length) };
  }
  return found;
}

function flagValue(
  argv: readonly string[],
  flags: readonly [string, string],
  variable: string,
  fallback: string,
  shell: boolean,
): Resolved<ListenValue> {
  const option = optionValue(argv, flags);
  if (!option) return resolved({ kind: 'env', name: variable, fallback });
  const variableMatch = SHELL_VARIABLE.exec(option.value);
  if (variableMatch) {
    // Exec form passes `$PORT` through literally; compose substitutes it from the environment compose runs in,
    // not the container's: either way gunicorn.conf.py cannot read the same value.
    if (!shell) return unresolved(`\`${option.written}\` takes a variable no shell in the container expands`);
    return resolved({
      kind: 'env',
      name: variableMatch[1] ?? variableMatch[3] ?? '',
      ...(variableMatch[2] !== undefined ? { fallback: variableMatch[2] } : {}),
    });
  }
  const plain = PLAIN_VALUE.exec(option.value);
  return plain ? resolved({ kind: 'literal', value: plain[1] ?? '' }) : unresolved(`cannot read ${option.written}`);
}

/**
 * The host and port `app.run(...)` listened on: literals, module constants,
 * names the `__main__` block bound, and environment reads with their default
 * (`int(os.environ.get("FLASK_SERVER_PORT", 9090))`, `os.getenv("PORT") or 8000`).
 */
export function resolveAppRunAddress(
  runCall: SyntaxNode,
  facts: ModuleFacts,
  mainBindings: ReadonlyMap<string, SyntaxNode>,
): Resolved<ListenAddress> {
  const parts = callParts(runCall);
  if (!parts || parts.hasSplat) return unresolved('app.run() is called with *args/**kwargs');
  // Without host/port, app.run() falls back to SERVER_NAME when the config sets one.
  if (/\bSERVER_NAME\b/.test(facts.source))
    return unresolved('the app sets SERVER_NAME, which app.run() reads its host and port from');
  const host = settingOf(argumentValue(parts, 'host', 0), DEFAULT_HOST, facts, mainBindings, 0);
  if (!host.ok) return unresolved(`cannot tell the host app.run() binds: ${host.reason}`);
  const port = settingOf(argumentValue(parts, 'port', 1), DEFAULT_PORT, facts, mainBindings, 0);
  if (!port.ok) return unresolved(`cannot tell the port app.run() binds: ${port.reason}`);
  return resolved({ host: host.value, port: port.value });
}

const ENV_READS = new Set(['os.environ.get', 'os.getenv']);
const MAX_HOPS = 4;

function settingOf(
  node: SyntaxNode | undefined,
  fallback: string,
  facts: ModuleFacts,
  bindings: ReadonlyMap<string, SyntaxNode>,
  hops: number,
): Resolved<ListenValue> {
  if (!node) return resolved({ kind: 'literal', value: fallback });
  if (hops > MAX_HOPS) return unresolved(`\`${node.text}\` is bound too indirectly`);
  const literal = literalValue(node);
  if (literal.kind === 'string') return resolved({ kind: 'literal', value: literal.value });
  if (literal.kind === 'number') return resolved({ kind: 'literal', value: String(literal.value) });
  if (literal.kind === 'none') return resolved({ kind: 'literal', value: fallback });
  if (node.type === 'identifier') {
    const bound = bindings.get(node.text) ?? moduleLevelValue(facts, node.text);
    return bound
      ? settingOf(bound, fallback, facts, bindings, hops + 1)
      : unresolved(`\`${node.text}\` is not bound to anything we can read`);
  }
  if (node.type === 'call') {
    const parts = callParts(node);
    const callee = parts?.callee;
    if (parts && callee && (callee.text === 'int' || callee.text === 'str') && parts.positional.length === 1) {
      return settingOf(parts.positional[0], fallback, facts, bindings, hops + 1);
    }
    if (parts && callee && ENV_READS.has(facts.qualifiedName(callee) ?? '')) {
      const name = parts.positional[0] ? literalValue(parts.positional[0]) : undefined;
      if (name?.kind !== 'string') return unresolved(`\`${node.text}\` reads a variable whose name is computed`);
      const defaultNode = argumentValue(parts, 'default', 1);
      if (!defaultNode) return resolved({ kind: 'env', name: name.value, fallback });
      const defaultValue = settingOf(defaultNode, fallback, facts, bindings, hops + 1);
      if (!defaultValue.ok || defaultValue.value.kind !== 'literal')
        return unresolved(`\`${node.text}\` has a default we cannot read`);
      return resolved({ kind: 'env', name: name.value, fallback: defaultValue.value.value });
    }
  }
  if (node.type === 'subscript') {
    // os.environ["PORT"]: required, as before (KeyError when unset).
    const object = node.childForFieldName('value');
    const key = node.childForFieldName('subscript');
    const name = key ? literalValue(key) : undefined;
    if (object && facts.qualifiedName(object) === 'os.environ' && name?.kind === 'string')
      return resolved({ kind: 'env', name: name.value });
  }
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.text === 'or') {
    // os.environ.get("PORT") or 8000: the variable when set and non-empty, else the default.
    const left = settingOf(node.childForFieldName('left') ?? undefined, fallback, facts, bindings, hops + 1);
    const right = settingOf(node.childForFieldName('right') ?? undefined, fallback, facts, bindings, hops + 1);
    if (left.ok && right.ok && left.value.kind === 'env' && right.value.kind === 'literal')
      return resolved({ kind: 'env', name: left.value.name, fallback: right.value.value });
  }
  return unresolved(`\`${node.text}\` is computed at run time`);
}

/** The value of a name assigned exactly once at the top level of the module. */
function moduleLevelValue(facts: ModuleFacts, name: string): SyntaxNode | undefined {
  const values = facts.tree.rootNode.namedChildren.flatMap((statement) => {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const right = assignment?.childForFieldName('right');
    return left?.type === 'identifier' && left.text === name && right ? [right] : [];
  });
  return values.length === 1 ? values[0] : undefined;
}

/** The setting as Python source for gunicorn.conf.py: the same variable with the same default. */
export function pythonExpression(value: ListenValue): string {
  if (value.kind === 'literal') return JSON.stringify(value.value);
  return value.fallback === undefined
    ? `os.environ[${JSON.stringify(value.name)}]`
    : `os.environ.get(${JSON.stringify(value.name)}, ${JSON.stringify(value.fallback)})`;
}

export function describeListenValue(value: ListenValue): string {
  if (value.kind === 'literal') return value.value;
  return value.fallback === undefined ? `$${value.name}` : `$${value.name} (default ${value.fallback})`;
}
