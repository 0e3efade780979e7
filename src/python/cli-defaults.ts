import { stringsOf } from './syntax.js';
import type { ModuleFacts } from './module-facts.js';
import { enclosingScope } from './nodes.js';
import type { SyntaxNode } from './parser.js';
import { callParts, literalTruthiness, literalValue } from './syntax.js';

/**
 * A debug switch that comes from the command line with a default that is on: `args.debug` after
 * `parser.add_argument("--debug", default=True)` (or `action="store_false"`), or a click command's
 * `debug` parameter after `@click.option("--debug/--no-debug", default=True)`. Run with no option,
 * the app is in debug mode. Words for the message, or undefined.
 */
export function commandLineDefaultOn(facts: ModuleFacts, node: SyntaxNode): string | undefined {
  if (node.type === 'attribute') {
    const name = node.childForFieldName('attribute')?.text;
    return name ? argparseDefaultOn(facts, name) : undefined;
  }
  if (node.type === 'identifier') return clickDefaultOn(node);
  return undefined;
}

/** The option's destination as argparse and click name it: `--debug-mode` is `debug_mode`. */
function destinationOf(flags: readonly string[]): string | undefined {
  const long = flags.find((flag) => flag.startsWith('--')) ?? flags.find((flag) => flag.startsWith('-'));
  return long?.replace(/^-+/, '').split('/')[0]?.replace(/-/g, '_');
}

function argparseDefaultOn(facts: ModuleFacts, name: string): string | undefined {
  if (!facts.source.includes('add_argument')) return undefined;
  for (const call of facts.methodCalls('add_argument')) {
    const parts = callParts(call);
    if (!parts) continue;
    const flags = parts.positional.flatMap((argument) => stringsOf(argument) ?? []);
    const dest = parts.keywords.get('dest')?.value;
    const destination = (dest && stringsOf(dest)?.[0]) ?? destinationOf(flags);
    if (destination !== name) continue;
    const action = parts.keywords.get('action')?.value;
    if (action && stringsOf(action)?.[0] === 'store_false')
      return `${flags.join('/')} is store_false: on unless the option is given`;
    const fallback = parts.keywords.get('default')?.value;
    if (fallback && literalTruthiness(literalValue(fallback)))
      return `${flags.join('/')} defaults to ${fallback.text}: on unless the option says otherwise`;
  }
  return undefined;
}

function clickDefaultOn(parameter: SyntaxNode): string | undefined {
  const scope = enclosingScope(parameter);
  const decorated = scope?.type === 'function_definition' ? scope.parent : null;
  if (decorated?.type !== 'decorated_definition') return undefined;
  const names = (scope?.childForFieldName('parameters')?.namedChildren ?? []).map((each) => each.text);
  if (!names.includes(parameter.text)) return undefined;
  for (const decorator of decorated.namedChildren.filter((child) => child.type === 'decorator')) {
    const call = decorator.namedChildren[0];
    const parts = call?.type === 'call' ? callParts(call) : undefined;
    if (!parts || !/(?:^|\.)option$/.test(parts.callee.text)) continue;
    const flags = parts.positional.flatMap((argument) => stringsOf(argument) ?? []);
    const declared = flags.find((flag) => !flag.startsWith('-'));
    if ((declared ?? destinationOf(flags)) !== parameter.text) continue;
    const fallback = parts.keywords.get('default')?.value;
    if (fallback && literalTruthiness(literalValue(fallback)))
      return `${flags.join(' ')} defaults to ${fallback.text}: on unless the option says otherwise`;
  }
  return undefined;
}
