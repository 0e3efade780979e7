import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';

/** True when `node` is part of an import statement (`from config import config` names it, never reads it). */
function inImport(node: SyntaxNode): boolean {
  for (let current: SyntaxNode | null = node; current; current = current.parent)
    if (current.type === 'import_statement' || current.type === 'import_from_statement') return true;
  return false;
}

/**
 * The name a config map (the dictionary holding a `"default"` pair) is bound to at the top level of
 * its module (`config_by_name = {...}`); undefined for a map bound elsewhere or used where it is written.
 */
export function moduleLevelMapName(dictionary: SyntaxNode): SyntaxNode | undefined {
  const assignment = dictionary.parent;
  const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  const statement = assignment?.parent;
  if (left?.type !== 'identifier' || statement?.type !== 'expression_statement') return undefined;
  return statement.parent?.type === 'module' ? left : undefined;
}

/** True when the module reads `name` somewhere other than `binding` (its own assignment) and its imports. */
export function readsName(facts: ModuleFacts, name: string, binding?: SyntaxNode): boolean {
  return facts
    .anchors(new RegExp(`\\b(?<anchor>${name})\\b`))
    .some(
      (node) =>
        node.type === 'identifier' &&
        node.text === name &&
        !(binding && node.startIndex === binding.startIndex) &&
        !inImport(node),
    );
}

/** True when the module reads `name` of the module it imported as `module` (`settings.config_by_name`). */
export function readsModuleAttribute(facts: ModuleFacts, module: string, name: string): boolean {
  return facts
    .anchors(new RegExp(`\\b(?<anchor>${module})\\s*\\.\\s*${name}\\b`))
    .some((node) => node.type === 'identifier' && node.parent?.type === 'attribute' && !inImport(node));
}
