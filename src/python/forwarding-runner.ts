import type { SyntaxNode } from './parser.js';

/**
 * A class that holds an app (`self.flask = Flask(name)`) and whose `run` passes its own arguments on to the
 * held app's `run`: `def run(self, *args, **kwargs): self.flask.run(*args, **kwargs)`, or `debug=debug`.
 * Its `run(debug=True)` starts the held app's server in debug mode, so an instance is an app for `run`,
 * although the class derives from nothing. `heldAppClass` tells what a `self.<name> = <call>` builds.
 */
export function forwardedRunTarget<T>(
  definition: SyntaxNode,
  heldAppClass: (construction: SyntaxNode) => T | undefined,
): T | undefined {
  const body = definition.childForFieldName('body');
  const methods = (body?.namedChildren ?? []).map((statement) =>
    statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement,
  );
  const run = methods.find((method) => method?.type === 'function_definition' && nameOf(method) === 'run');
  const runBody = run?.childForFieldName('body');
  if (!run || !runBody) return undefined;
  const passedOn = forwardableParameters(run);
  for (const call of runBody.descendantsOfType('call')) {
    const held = heldAttributeRun(call);
    if (!held || !call || !forwardsDebug(call, passedOn)) continue;
    for (const construction of selfAssignments(methods, held)) {
      const built = heldAppClass(construction);
      if (built !== undefined) return built;
    }
  }
  return undefined;
}

function nameOf(definition: SyntaxNode | null): string | undefined {
  return definition?.childForFieldName('name')?.text;
}

/** The names of `run`'s parameters that can carry debug: `debug` itself, `*args` and `**kwargs`. */
function forwardableParameters(run: SyntaxNode): { splats: Set<string>; debug: Set<string> } {
  const splats = new Set<string>();
  const debug = new Set<string>();
  for (const parameter of run.childForFieldName('parameters')?.namedChildren ?? []) {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'dictionary_splat_pattern') {
      const name = parameter.namedChildren[0]?.text;
      if (name) splats.add(name);
      continue;
    }
    const name = parameter.type === 'identifier' ? parameter.text : parameter.childForFieldName('name')?.text;
    if (name === 'debug') debug.add(name);
  }
  return { splats, debug };
}

/** `self.<name>.run(...)`: the attribute's name. */
function heldAttributeRun(call: SyntaxNode | null): string | undefined {
  const callee = call?.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'run') return undefined;
  const held = callee.childForFieldName('object');
  const owner = held?.type === 'attribute' ? held.childForFieldName('object') : null;
  return owner?.type === 'identifier' && owner.text === 'self' ? held?.childForFieldName('attribute')?.text : undefined;
}

/** The inner call passes `*args`/`**kwargs` of run on, or `debug=debug`, or `debug` in third place. */
function forwardsDebug(call: SyntaxNode, passedOn: { splats: Set<string>; debug: Set<string> }): boolean {
  const argumentsNode = call.childForFieldName('arguments');
  return (argumentsNode?.namedChildren ?? []).some((argument, index) => {
    if (argument.type === 'list_splat' || argument.type === 'dictionary_splat')
      return passedOn.splats.has(argument.namedChildren[0]?.text ?? '');
    if (argument.type === 'keyword_argument')
      return (
        argument.childForFieldName('name')?.text === 'debug' &&
        passedOn.debug.has(argument.childForFieldName('value')?.text ?? '')
      );
    return index === 2 && passedOn.debug.has(argument.text);
  });
}

/** The values of `self.<name> = <value>` in the class's methods. */
function selfAssignments(methods: (SyntaxNode | null)[], name: string): SyntaxNode[] {
  return methods.flatMap((method) =>
    (method?.childForFieldName('body')?.descendantsOfType('assignment') ?? []).flatMap((assignment) => {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      const owner = left?.type === 'attribute' ? left.childForFieldName('object') : null;
      const named = owner?.type === 'identifier' && owner.text === 'self';
      return named && left?.childForFieldName('attribute')?.text === name && right ? [right] : [];
    }),
  );
}
