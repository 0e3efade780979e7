import type { ImportedAppRef } from '../core/findings.js';
import type { SyntaxNode, Tree } from './parser.js';
import { callParts, dottedParts, literalValue, stringLiteralValue, type LiteralValue } from './syntax.js';

/** Where a local name comes from: `import a.b as x` (name null) or `from ..a import b as x`. */
export interface ImportBinding {
  module: string;
  name: string | null;
  /** Leading dots of a relative import. */
  level: number;
}

// A name this file imports from another module of the project (defined with the findings that depend on it).
export type { ImportedAppRef };

/** Who receives a call like `x.run(...)`: a Flask app we can prove, one we must confirm, or neither. */
export type AppEvidence = { kind: 'app' } | { kind: 'imported'; ref: ImportedAppRef } | undefined;

// Flask documents `create_app` as the factory's name; projects follow it closely.
const CONVENTIONAL_FACTORY = /^(?:create|make)_app$/;
const FLASK_CLASS = new Set(['flask.Flask', 'flask.app.Flask']);
const CURRENT_APP = new Set(['flask.current_app', 'flask.globals.current_app']);
/**
 * appEvidence finds an app through flask (FLASK_CLASS, CURRENT_APP, a factory that calls Flask)
 * or a conventional factory's name, in this module or one it imports: a project with none of
 * these words anywhere has no Flask app. Keep in step with the three constants above.
 */
export const APP_EVIDENCE_KEYWORDS: readonly string[] = ['flask', 'create_app', 'make_app'];
/** Calls that load a module as config (configObjectModules): a file without them loads none. */
export const CONFIG_LOADING_KEYWORDS: readonly string[] = ['from_object', 'from_pyfile'];
const THIRD_PARTY_ROOTS = new Set(['flask', 'werkzeug', 'flask_socketio', 'os', 'sys', 'typing', 'dotenv']);

export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/**
 * Facts about one Python module that the rules share: imports, which names are
 * Flask apps, module constants.
 *
 * Everything is found from text anchors: a regex finds the few places that
 * could matter, tree-sitter's node at that offset confirms what the place is.
 * Walking every node of a large module through the WebAssembly binding costs far
 * more than parsing it; this keeps the cost per file near the parse alone.
 * Comments and strings never match, because the node found there is not code.
 */
export class ModuleFacts {
  private importsCache?: Map<string, ImportBinding>;
  private moduleScopeImportsCache?: Map<string, ImportBinding>;
  private readonly constantsCache = new Map<string, LiteralValue | undefined>();
  private readonly constantNodesCache = new Map<string, SyntaxNode | undefined>();
  private readonly appNameCache = new Map<string, boolean>();
  private readonly factoryCache = new Map<string, boolean>();
  private configModulesCache?: string[];

  constructor(
    readonly tree: Tree,
    readonly source: string,
  ) {}

  /** Named nodes found at each match of `pattern` (its `anchor` group, or the whole match). */
  anchors(pattern: RegExp, within?: SyntaxNode): SyntaxNode[] {
    const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
    const global = new RegExp(pattern.source, flags.includes('d') ? flags : `${flags}d`);
    const start = within?.startIndex ?? 0;
    const end = within?.endIndex ?? this.source.length;
    const text = within ? this.source.slice(start, end) : this.source;
    const found: SyntaxNode[] = [];
    for (const match of text.matchAll(global)) {
      const [from, to] = match.indices?.groups?.anchor ?? match.indices?.[0] ?? [0, 0];
      const node = this.tree.rootNode.namedDescendantForIndex(start + from, start + Math.max(from, to - 1) + 1);
      if (node) found.push(node);
    }
    return found;
  }

  /** Calls of `<anything>.method(...)`. */
  methodCalls(method: string): SyntaxNode[] {
    return this.anchors(new RegExp(`\\.\\s*(?<anchor>${method})\\s*\\(`)).flatMap((identifier) => {
      const attribute = identifier.parent;
      if (identifier.type !== 'identifier' || attribute?.type !== 'attribute') return [];
      const call = attribute.parent;
      return call?.type === 'call' && sameNode(call.childForFieldName('function'), attribute) ? [call] : [];
    });
  }

  /** Calls whose callee ends in `name`: `name(...)` or `x.name(...)`. */
  callsNamed(name: string, within?: SyntaxNode): SyntaxNode[] {
    return this.anchors(new RegExp(`\\b(?<anchor>${name})\\s*\\(`), within).flatMap((identifier) => {
      if (identifier.type !== 'identifier') return [];
      const callee = identifier.parent?.type === 'attribute' ? identifier.parent : identifier;
      const call = callee.parent;
      return call?.type === 'call' && sameNode(call.childForFieldName('function'), callee) ? [call] : [];
    });
  }

  /** Local name -> where it was imported from (imports anywhere in the file). */
  get imports(): Map<string, ImportBinding> {
    if (!this.importsCache) this.importsCache = this.collectImports(false);
    return this.importsCache;
  }

  /** Like `imports`, but only imports that bind a global name: none inside a function or class body. */
  get moduleScopeImports(): Map<string, ImportBinding> {
    if (!this.moduleScopeImportsCache) this.moduleScopeImportsCache = this.collectImports(true);
    return this.moduleScopeImportsCache;
  }

  /** Imported names that come from this project (not Flask, Werkzeug or the standard library basics). */
  importedRef(name: string): ImportedAppRef | undefined {
    const binding = this.imports.get(name);
    if (!binding || binding.name === null) return undefined;
    if (binding.level === 0 && THIRD_PARTY_ROOTS.has(binding.module.split('.')[0]!)) return undefined;
    return { module: binding.module, name: binding.name, level: binding.level };
  }

  /**
   * The fully qualified name an identifier or attribute chain refers to, through
   * imports: with `from werkzeug import serving as s`, `s.run_simple` is
   * `werkzeug.serving.run_simple`. Undefined for local names that were not imported.
   */
  qualifiedName(node: SyntaxNode): string | undefined {
    const parts = dottedParts(node);
    if (!parts) return undefined;
    const [head, ...rest] = parts;
    const binding = head === undefined ? undefined : this.imports.get(head);
    if (!binding || binding.level > 0) return undefined;
    const base = binding.name === null ? binding.module : `${binding.module}.${binding.name}`;
    return [base, ...rest].join('.');
  }

  refersTo(node: SyntaxNode, names: ReadonlySet<string>): boolean {
    const qualified = this.qualifiedName(node);
    return qualified !== undefined && names.has(qualified);
  }

  /** Calls of an imported callable known by its qualified name, e.g. `werkzeug.serving.run_simple`. */
  callsOfQualified(names: ReadonlySet<string>): SyntaxNode[] {
    const shortNames = new Set([...names].map((name) => name.split('.').at(-1)!));
    // `from werkzeug.debug import DebuggedApplication as Debugger` calls it `Debugger(...)`.
    for (const [local, binding] of this.imports) {
      if (binding.name !== null && names.has(`${binding.module}.${binding.name}`)) shortNames.add(local);
    }
    return [...shortNames].flatMap((short) =>
      this.callsNamed(short).filter((call) => {
        const callee = call.childForFieldName('function');
        return callee !== null && this.refersTo(callee, names);
      }),
    );
  }

  isFlaskConstructor(call: SyntaxNode): boolean {
    const callee = call.childForFieldName('function');
    return call.type === 'call' && callee !== null && this.refersTo(callee, FLASK_CLASS);
  }

  /** What evidence says `node` (a receiver or a call result) is a Flask app. */
  appEvidence(node: SyntaxNode): AppEvidence {
    if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return this.appEvidence(node.namedChildren[0]);
    if (node.type === 'call') {
      if (this.isFlaskConstructor(node)) return { kind: 'app' };
      const callee = node.childForFieldName('function');
      return callee ? this.factoryEvidence(callee) : undefined;
    }
    if (node.type === 'identifier') {
      if (this.refersTo(node, CURRENT_APP) || this.isAppName(node.text)) return { kind: 'app' };
      const imported = this.importedRef(node.text);
      return imported ? { kind: 'imported', ref: imported } : undefined;
    }
    if (node.type === 'attribute') {
      if (this.refersTo(node, CURRENT_APP)) return { kind: 'app' };
      // `myapp.app` after `import myapp`: an attribute of a project module.
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute || object.type !== 'identifier') return undefined;
      const binding = this.imports.get(object.text);
      if (binding && binding.name === null && !THIRD_PARTY_ROOTS.has(binding.module.split('.')[0]!)) {
        return { kind: 'imported', ref: { module: binding.module, name: attribute.text, level: binding.level } };
      }
    }
    return undefined;
  }

  /** True when `name` is bound in this module to `Flask(...)` or to a factory's result. */
  isAppName(name: string): boolean {
    const cached = this.appNameCache.get(name);
    if (cached !== undefined) return cached;
    this.appNameCache.set(name, false); // guards `app = app` style cycles
    const result = this.assignedValues(name).some((value) => this.appEvidence(value)?.kind === 'app');
    this.appNameCache.set(name, result);
    return result;
  }

  /** True when `name` is a function of this module that builds a Flask app and returns it. */
  isFactory(name: string): boolean {
    const cached = this.factoryCache.get(name);
    if (cached !== undefined) return cached;
    this.factoryCache.set(name, false);
    const result = this.anchors(new RegExp(`\\bdef\\s+(?<anchor>${name})\\s*\\(`)).some((identifier) => {
      const definition = identifier.parent;
      const body = definition?.type === 'function_definition' ? definition.childForFieldName('body') : null;
      if (!body || !sameNode(definition?.childForFieldName('name'), identifier)) return false;
      const buildsApp = this.callsNamed('Flask', body).some((call) => this.isFlaskConstructor(call));
      return buildsApp && /\breturn\b/.test(this.source.slice(body.startIndex, body.endIndex));
    });
    this.factoryCache.set(name, result);
    return result;
  }

  /** The literal a module-level name is bound to, if it is bound exactly once at the top level. */
  constant(name: string): LiteralValue | undefined {
    if (this.constantsCache.has(name)) return this.constantsCache.get(name);
    const node = this.constantNode(name);
    const value = node ? literalValue(node) : undefined;
    this.constantsCache.set(name, value);
    return value;
  }

  /**
   * The expression a module-level name is bound to, if it is bound exactly once at module
   * scope (the top level, or a block there such as `if __name__ == "__main__":`).
   */
  constantNode(name: string): SyntaxNode | undefined {
    if (this.constantNodesCache.has(name)) return this.constantNodesCache.get(name);
    const values = this.anchors(new RegExp(`^[ \\t]*(?<anchor>${name})[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm'))
      .map((identifier) => moduleScopeAssignmentValue(identifier))
      .filter((value): value is SyntaxNode => value !== undefined);
    // A name bound twice could hold either value: not a constant we can rely on; nor one bound under a debug guard.
    const node = values.length === 1 && !isUnderDebugGuard(values[0]!) ? values[0] : undefined;
    this.constantNodesCache.set(name, node);
    return node;
  }

  /** True when the module-level `name` is bound to a call of one of `classes` (qualified names), e.g. `env = Env()`. */
  constructedFrom(name: string, classes: ReadonlySet<string>): boolean {
    const value = this.constantNode(name);
    const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
    return callee !== null && callee !== undefined && this.refersTo(callee, classes);
  }

  /** The top-level `class name...:` of this module, if there is exactly one. */
  classDefinition(name: string): SyntaxNode | undefined {
    const found = this.anchors(new RegExp(`^class[ \\t]+(?<anchor>${name})\\b`, 'm')).flatMap((identifier) => {
      const definition = identifier.parent;
      return definition?.type === 'class_definition' && sameNode(definition.childForFieldName('name'), identifier) && definition.parent?.type === 'module' ? [definition] : [];
    });
    return found.length === 1 ? found[0] : undefined;
  }

  /** Modules passed to `config.from_object(...)`/`from_pyfile(...)`; `__name__` means this module. */
  get configObjectModules(): string[] {
    if (!this.configModulesCache) this.configModulesCache = this.collectConfigObjectModules();
    return this.configModulesCache;
  }

  private factoryEvidence(callee: SyntaxNode): AppEvidence {
    const name = callee.type === 'identifier' ? callee.text : dottedParts(callee)?.at(-1);
    if (!name) return undefined;
    if (CONVENTIONAL_FACTORY.test(name)) return { kind: 'app' };
    if (callee.type !== 'identifier') return undefined;
    if (this.isFactory(name)) return { kind: 'app' };
    const imported = this.importedRef(name);
    return imported ? { kind: 'imported', ref: imported } : undefined;
  }

  /** Right-hand sides of every `name = ...` (also `name: T = ...` and chained `a = name = ...`). */
  private assignedValues(name: string): SyntaxNode[] {
    return this.anchors(new RegExp(`\\b(?<anchor>${name})[ \\t]*(?::[^=\\n]*)?=(?!=)`)).flatMap((identifier) => {
      const assignment = identifier.parent;
      if (identifier.type !== 'identifier' || assignment?.type !== 'assignment') return [];
      if (!sameNode(assignment.childForFieldName('left'), identifier)) return [];
      const value = innermostValue(assignment);
      return value ? [value] : [];
    });
  }

  private collectImports(moduleScopeOnly: boolean): Map<string, ImportBinding> {
    const imports = new Map<string, ImportBinding>();
    for (const keyword of this.anchors(/^[ \t]*(?<anchor>import|from)[ \t]/m)) {
      const statement = keyword.type === 'import_statement' || keyword.type === 'import_from_statement' ? keyword : keyword.parent;
      if (moduleScopeOnly && statement && enclosingScope(statement)) continue;
      if (statement?.type === 'import_statement') {
        for (const imported of statement.childrenForFieldName('name')) {
          if (imported.type === 'aliased_import') {
            const name = imported.childForFieldName('name');
            const alias = imported.childForFieldName('alias');
            if (name && alias) imports.set(alias.text, { module: name.text, name: null, level: 0 });
          } else {
            // `import a.b` binds `a`, and `a.b.x` resolves through it.
            const head = imported.text.split('.')[0]!;
            imports.set(head, { module: head, name: null, level: 0 });
          }
        }
      } else if (statement?.type === 'import_from_statement') {
        const moduleNode = statement.childForFieldName('module_name');
        if (!moduleNode) continue;
        let level = 0;
        let module = moduleNode.text;
        if (moduleNode.type === 'relative_import') {
          const prefix = moduleNode.namedChildren.find((child) => child.type === 'import_prefix');
          level = prefix ? prefix.text.length : 0;
          module = moduleNode.namedChildren.find((child) => child.type === 'dotted_name')?.text ?? '';
        }
        for (const imported of statement.childrenForFieldName('name')) {
          const nameNode = imported.type === 'aliased_import' ? imported.childForFieldName('name') : imported;
          const aliasNode = imported.type === 'aliased_import' ? imported.childForFieldName('alias') : imported;
          if (nameNode && aliasNode) imports.set(aliasNode.text, { module, name: nameNode.text, level });
        }
      }
    }
    return imports;
  }

  private collectConfigObjectModules(): string[] {
    const modules: string[] = [];
    for (const method of CONFIG_LOADING_KEYWORDS) {
      for (const call of this.methodCalls(method)) {
        const parts = callParts(call);
        if (!parts || dottedParts(parts.callee)?.at(-2) !== 'config') continue;
        const argument = parts.positional[0];
        if (!argument) continue;
        const text = stringLiteralValue(argument);
        if (method === 'from_pyfile') {
          // `from_pyfile('settings.py')` executes that file as config: name it like a module.
          const file = text?.split(/[\\/]/).at(-1) ?? '';
          if (file.endsWith('.py')) modules.push(file.slice(0, -3));
        } else if (text !== undefined) {
          modules.push(text);
        } else if (argument.type === 'identifier' && argument.text === '__name__') {
          modules.push('__name__');
        } else if (argument.type === 'identifier') {
          const binding = this.imports.get(argument.text);
          if (binding) modules.push(binding.name === null ? binding.module : `${binding.module}.${binding.name}`);
        }
      }
    }
    return modules;
  }
}

/** For `a = b = value`, the `value`. */
export function innermostValue(assignment: SyntaxNode): SyntaxNode | undefined {
  let value = assignment.childForFieldName('right');
  while (value?.type === 'assignment') value = value.childForFieldName('right');
  return value ?? undefined;
}

/** The statement an assignment (possibly one link of a chain) belongs to. */
export function assignmentStatement(assignment: SyntaxNode): SyntaxNode {
  let current = assignment;
  while (current.parent?.type === 'assignment') current = current.parent;
  return current.parent?.type === 'expression_statement' ? current.parent : current;
}

/** The value bound by `NAME = value` when that statement binds a global: not inside a function or class. */
function moduleScopeAssignmentValue(identifier: SyntaxNode): SyntaxNode | undefined {
  const assignment = identifier.parent;
  if (identifier.type !== 'identifier' || assignment?.type !== 'assignment') return undefined;
  if (!sameNode(assignment.childForFieldName('left'), identifier)) return undefined;
  const statement = assignmentStatement(assignment);
  if (statement.parent?.type !== 'module' && (statement.parent?.type !== 'block' || enclosingScope(statement))) return undefined;
  return innermostValue(assignment);
}

// A condition that reads the environment or a debug/testing switch means the code
// under it already chooses per environment.
const GUARD_CONDITION =
  /\b(?:environ|getenv|debug|DEBUG|APP_ENV|FLASK_ENV|FLASK_DEBUG|ENV|ENVIRONMENT|TESTING|testing|development|DEVELOPMENT|is_dev\w*|IS_DEV\w*|__debug__)\b/;

/** True when `node` sits inside an `if`/conditional whose condition reads the environment or a debug switch. */
export function isUnderDebugGuard(node: SyntaxNode): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    let condition: SyntaxNode | null = null;
    if (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') {
      condition = parent.childForFieldName('condition');
    } else if (parent.type === 'conditional_expression') {
      condition = parent.namedChildren[1] ?? null;
    }
    if (condition && !sameNode(condition, child) && GUARD_CONDITION.test(condition.text)) return true;
    if (parent.type === 'else_clause' || parent.type === 'elif_clause') {
      // `else:` of an environment check is guarded by the `if` it belongs to.
      const ownerCondition = parent.parent?.childForFieldName('condition');
      if (ownerCondition && GUARD_CONDITION.test(ownerCondition.text)) return true;
    }
  }
  return false;
}

/** The innermost function or class whose body holds `node` (its own scope), or undefined at module scope. */
export function enclosingScope(node: SyntaxNode): SyntaxNode | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'class_definition' || parent.type === 'lambda') return parent;
  }
  return undefined;
}
