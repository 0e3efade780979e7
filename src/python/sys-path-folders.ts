import { dirname, join, resolve } from 'node:path';
import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { callParts, dottedParts, stringLiteralValue } from './syntax.js';

const MAX_HOPS = 6;
const PATH_WRAPPERS = new Set([
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'path.abspath',
  'path.realpath',
  'str',
  'os.fspath',
  'Path',
  'pathlib.Path',
]);

/**
 * The folders a module puts on sys.path before it imports (`sys.path.insert(0, os.path.join(here, "src"))`,
 * `sys.path.append(str(Path(__file__).parent.parent))`), as absolute paths. A relative string is read from the
 * working directory, taken to be the module's folder (where its script runs). What cannot be read is left out.
 */
export function sysPathFolders(facts: ModuleFacts, modulePath: string): string[] {
  if (!facts.source.includes('sys.path')) return [];
  const folders: string[] = [];
  for (const method of ['insert', 'append']) {
    for (const call of facts.methodCalls(method)) {
      const parts = callParts(call);
      const target = parts?.callee.type === 'attribute' ? parts.callee.childForFieldName('object') : null;
      if (!parts || !target || facts.qualifiedName(target) !== 'sys.path') continue;
      const argument = method === 'insert' ? parts.positional[1] : parts.positional[0];
      const folder = argument && pathValue(facts, argument, modulePath);
      if (folder) folders.push(folder);
    }
  }
  return [...new Set(folders)];
}

/** The absolute path an expression computes, for the forms paths are built with; `__file__` is the module. */
function pathValue(facts: ModuleFacts, node: SyntaxNode, modulePath: string, hops = 0): string | undefined {
  if (hops > MAX_HOPS) return undefined;
  const next = (inner: SyntaxNode | null | undefined) =>
    inner ? pathValue(facts, inner, modulePath, hops + 1) : undefined;
  const literal = stringLiteralValue(node);
  if (literal !== undefined) return resolve(dirname(modulePath), literal);
  if (node.type === 'identifier') {
    if (node.text === '__file__') return modulePath;
    return next(facts.constantNode(node.text));
  }
  if (node.type === 'parenthesized_expression') return next(node.namedChildren[0]);
  if (node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'parent') {
    const object = next(node.childForFieldName('object'));
    return object && dirname(object);
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '/') {
    const left = next(node.childForFieldName('left'));
    const right = node.childForFieldName('right');
    const name = right ? stringLiteralValue(right) : undefined;
    return left && name !== undefined ? join(left, name) : undefined;
  }
  if (node.type !== 'call') return undefined;
  const parts = callParts(node);
  const callee = parts && dottedParts(parts.callee)?.join('.');
  if (!parts || !callee) {
    // `Path(__file__).resolve()`, `.absolute()`: the same path.
    const method = parts?.callee.type === 'attribute' ? parts.callee.childForFieldName('attribute')?.text : '';
    return method === 'resolve' || method === 'absolute' ? next(parts?.callee.childForFieldName('object')) : undefined;
  }
  if (callee === 'os.getcwd') return dirname(modulePath);
  if (callee === 'os.path.dirname' || callee === 'path.dirname') {
    const inner = next(parts.positional[0]);
    return inner && dirname(inner);
  }
  if (callee === 'os.path.join' || callee === 'path.join') {
    const [first, ...rest] = parts.positional;
    const base = next(first);
    const names = rest.map((part) => stringLiteralValue(part));
    return base && names.every((name) => name !== undefined) ? join(base, ...(names as string[])) : undefined;
  }
  if (PATH_WRAPPERS.has(callee) && parts.positional.length === 1) return next(parts.positional[0]);
  const method = parts.callee.type === 'attribute' ? parts.callee.childForFieldName('attribute')?.text : '';
  return method === 'resolve' || method === 'absolute' ? next(parts.callee.childForFieldName('object')) : undefined;
}
