import { isGuardedOff } from './flask-patterns.js';
import { argumentValue, callParts, literalTruthiness, literalValue } from './syntax.js';
import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';

/**
 * `app.config["DEBUG"] = True`, `app.debug = True` or `app.config.update(DEBUG=True)` at the top level of
 * the module that builds `app`, not under a guard that is off by default: the app's config turns DEBUG on
 * for every run() that leaves debug to it (`use`, when given, is such a run). The value node, or undefined.
 */
export function debugSetOnApp(facts: ModuleFacts, name: string, use?: SyntaxNode): SyntaxNode | undefined {
  // A run at the top level sees only what was set above it; one in a function runs after the whole module.
  const before = use && atModuleLevel(use) ? use.startIndex : Number.POSITIVE_INFINITY;
  const patterns = [
    new RegExp(`^[ \\t]*${name}\\.config\\s*\\[\\s*['"]DEBUG['"]\\s*\\]\\s*=\\s*(?<anchor>True)\\b`, 'm'),
    new RegExp(`^[ \\t]*${name}\\.debug\\s*=\\s*(?<anchor>True)\\b`, 'm'),
    new RegExp(`^[ \\t]*${name}\\.config\\.update\\([^)]*\\bDEBUG\\s*=\\s*(?<anchor>True)\\b`, 'm'),
  ];
  return patterns
    .flatMap((pattern) => facts.anchors(pattern))
    .find((value) => value.startIndex < before && atModuleLevel(value) && !isGuardedOff(facts, value));
}

/** True when the statement holding `node` is a statement of the module itself (or of its `if` blocks). */
function atModuleLevel(node: SyntaxNode): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === 'function_definition' || at.type === 'class_definition') return false;
    if (at.type === 'module') return true;
  }
  return false;
}

// Flask.run(host, port, debug, ...): debug is the third positional.
const RUN_DEBUG_POSITION = 2;

/**
 * `app.debug = True` (or `app.config["DEBUG"] = True`) followed in the same block by `app.run(debug=False)`:
 * run() sets app.debug from its argument before serving, so whatever runs the setting runs the run that turns
 * it off again. The run, or undefined.
 */
export function debugTurnedOffByRun(statement: SyntaxNode, appName: string): SyntaxNode | undefined {
  for (let next = statement.nextNamedSibling; next; next = next.nextNamedSibling) {
    const call = next.type === 'expression_statement' ? next.namedChildren[0] : undefined;
    const parts = call?.type === 'call' ? callParts(call) : undefined;
    const callee = parts?.callee.text.replace(/\s+/g, '');
    if (!parts || !call || (callee !== `${appName}.run` && callee !== `${appName}.run_server`)) continue;
    const debug = argumentValue(parts, 'debug', RUN_DEBUG_POSITION);
    const value = debug && literalValue(debug);
    return value && value.kind !== 'none' && literalTruthiness(value) === false ? call : undefined;
  }
  return undefined;
}
