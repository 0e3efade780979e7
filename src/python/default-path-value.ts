import { innermostValue } from './assignments.js';
import { takenWith, ternaryChoice } from './branch-value.js';
import { runsByDefault } from './flask-patterns.js';
import { enclosingScope, sameNode, type ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { stringLiteralValue } from './syntax.js';

/** The value a name holds on the default path, and the factory whose parameter default chose it (if one did). */
export interface DefaultPathValue {
  value: SyntaxNode;
  /** Set when a branch on a parameter's default chose it: the function, called without that argument. */
  factory?: string;
}

/**
 * What `use` (a name) holds when nothing is set: its last assignment before `use` in the same scope that runs
 * by default. A branch on an environment read runs as the read's default decides (`if os.getenv("ENV",
 * "development") == "production":` takes the else); a branch on a parameter with a string default
 * (`def create_app(env="development")`) as that default decides, and so does a conditional expression.
 */
export function defaultPathValue(facts: ModuleFacts, use: SyntaxNode): DefaultPathValue | undefined {
  const scope = enclosingScope(use);
  const container = scope?.type === 'function_definition' ? scope : facts.tree.rootNode;
  if (scope && scope.type !== 'function_definition') return undefined;
  const parameter = scope ? stringParameterDefault(scope) : undefined;
  let found: DefaultPathValue | undefined;
  for (const assignment of container.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    if (!assignment || left?.type !== 'identifier' || left.text !== use.text) continue;
    const own = enclosingScope(assignment);
    if (assignment.startIndex > use.startIndex || (scope ? !sameNode(own, scope) : own !== undefined)) continue;
    const branched = underBranch(assignment, container);
    const byParameter =
      parameter && branched ? takenWith(assignment, container, parameter.name, parameter.value) : undefined;
    const taken = byParameter ?? runsByDefault(facts, assignment);
    const value = taken ? innermostValue(assignment) : undefined;
    if (!value) continue;
    const chosen =
      value.type !== 'conditional_expression'
        ? value
        : parameter && ternaryChoice(value, parameter.name, parameter.value);
    if (!chosen) return undefined;
    found = {
      value: chosen,
      ...(parameter && (byParameter !== undefined || chosen !== value) ? { factory: parameter.function } : {}),
    };
  }
  return found;
}

/** The first parameter with a string default: `env` of `def create_app(env="development")`. */
function stringParameterDefault(definition: SyntaxNode): { name: string; value: string; function: string } | undefined {
  const name = definition.childForFieldName('name')?.text;
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    const value = parameter.childForFieldName('value');
    const text = value ? stringLiteralValue(value) : undefined;
    const parameterName = parameter.childForFieldName('name')?.text;
    if (parameter.type.endsWith('default_parameter') && text !== undefined && parameterName && name)
      return { name: parameterName, value: text, function: name };
  }
  return undefined;
}

function underBranch(node: SyntaxNode, container: SyntaxNode): boolean {
  for (let at = node.parent; at && !sameNode(at, container); at = at.parent)
    if (at.type === 'if_statement') return true;
  return false;
}
