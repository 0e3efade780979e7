import type { SyntaxNode, Tree } from './parser.js';
import { callParts, dottedParts, literalValue, stringLiteralValue, type LiteralValue } from './syntax.js';

/** Where a local name comes from: `import a.b as x` (name null) or `from ..a import b as x`. */
export interface ImportBinding {
  module: string;
  name: string | null;
  /** Leading dots of a relative import. */
  level: number;
}

/**
 * A name this file imports from another module of the project, which makes the
 * finding depend on that module: the engine confirms it once every file is read.
 */
export interface ImportedAppRef {
  module: string;
  name: string;
  level: number;
}

/** Who receives a call like `x.run(...)`: a Flask app we can prove, one we must confirm, or neither. */
export type AppEvidence = { kind: 'app' } | { kind: 'imported'; ref: ImportedAppRef } | undefined;

// Flask documents `create_app` as the factory's name; projects follow it closely.
const CONVENTIONAL_FACTORY = /^(?:create|make)_app$/;
const FLASK_CLASS = new Set(['flask.Flask', 'flask.app.Flask']);
const CURRENT_APP = new Set(['flask.current_app', 'flask.globals.current_app']);

/** Facts about one Python module that the rules share: imports, app names, constants, guards. */
export class ModuleFacts {
  readonly imports = new Map<string, ImportBinding>();
  /** Names bound to a Flask app in this file (by `Flask(...)` or a factory call). */
  readonly appNames = new Set<string>();
  /** Names imported from project modules that may be apps or factories: confirmed later. */
  readonly importedNames = new Map<string, ImportedAppRef>();
  /** Functions defined here that build a Flask app and return it. */
  readonly factoryNames = new Set<string>();
  /** Module-level names bound exactly once, to a literal. */
  readonly constants = new Map<string, LiteralValue>();
  /** Modules passed to `config.from_object(...)`, as dotted names; `__name__` means this module. */
  readonly configObjectModules: string[] = [];
  private readonly callsByType = new Map<string, SyntaxNode[]>();

  constructor(readonly tree: Tree) {
    this.collectImports();
    this.collectConstants();
    this.collectFactories();
    this.collectAppNames();
    this.collectConfigObjectModules();
  }

  /** All nodes of the given types, computed once per file (rules share the walk). */
  nodes(type: string): SyntaxNode[] {
    let found = this.callsByType.get(type);
    if (!found) {
      found = this.tree.rootNode.descendantsOfType(type);
      this.callsByType.set(type, found);
    }
    return found;
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

  /** True when `node` names something imported from one of `names` (dotted, fully qualified). */
  refersTo(node: SyntaxNode, names: ReadonlySet<string>): boolean {
    const qualified = this.qualifiedName(node);
    return qualified !== undefined && names.has(qualified);
  }

  isFlaskConstructor(call: SyntaxNode): boolean {
    const callee = call.childForFieldName('function');
    return call.type === 'call' && callee !== null && this.refersTo(callee, FLASK_CLASS);
  }

  /** What kind of evidence says `node` (a receiver or a call result) is a Flask app. */
  appEvidence(node: SyntaxNode): AppEvidence {
    if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return this.appEvidence(node.namedChildren[0]);
    if (node.type === 'call') {
      if (this.isFlaskConstructor(node)) return { kind: 'app' };
      const callee = node.childForFieldName('function');
      return callee ? this.factoryEvidence(callee) : undefined;
    }
    if (node.type === 'identifier') {
      if (this.appNames.has(node.text)) return { kind: 'app' };
      if (this.refersTo(node, CURRENT_APP)) return { kind: 'app' };
      const imported = this.importedNames.get(node.text);
      return imported ? { kind: 'imported', ref: imported } : undefined;
    }
    if (node.type === 'attribute') {
      // `myapp.app` after `import myapp`: the attribute of a project module.
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute || object.type !== 'identifier') return undefined;
      const binding = this.imports.get(object.text);
      if (binding && binding.name === null && !binding.module.startsWith('flask')) {
        return { kind: 'imported', ref: { module: binding.module, name: attribute.text, level: binding.level } };
      }
      if (this.refersTo(node, CURRENT_APP)) return { kind: 'app' };
    }
    return undefined;
  }

  private factoryEvidence(callee: SyntaxNode): AppEvidence {
    if (callee.type !== 'identifier') {
      const parts = dottedParts(callee);
      const last = parts?.at(-1);
      return last && CONVENTIONAL_FACTORY.test(last) ? { kind: 'app' } : undefined;
    }
    const name = callee.text;
    if (this.factoryNames.has(name) || CONVENTIONAL_FACTORY.test(name)) return { kind: 'app' };
    const imported = this.importedNames.get(name);
    return imported ? { kind: 'imported', ref: imported } : undefined;
  }

  private collectImports(): void {
    for (const statement of this.nodes('import_statement')) {
      for (const imported of statement.childrenForFieldName('name')) {
        if (imported.type === 'aliased_import') {
          const name = imported.childForFieldName('name');
          const alias = imported.childForFieldName('alias');
          if (name && alias) this.imports.set(alias.text, { module: name.text, name: null, level: 0 });
        } else {
          // `import a.b` binds `a`, and `a.b.x` resolves through it.
          const head = imported.text.split('.')[0]!;
          this.imports.set(head, { module: head, name: null, level: 0 });
        }
      }
    }
    for (const statement of this.nodes('import_from_statement')) {
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
        if (!nameNode || !aliasNode) continue;
        this.imports.set(aliasNode.text, { module, name: nameNode.text, level });
        if (!isThirdPartyModule(module, level)) {
          this.importedNames.set(aliasNode.text, { module, name: nameNode.text, level });
        }
      }
    }
  }

  private collectConstants(): void {
    const seen = new Map<string, number>();
    for (const statement of this.tree.rootNode.namedChildren) {
      if (statement.type !== 'expression_statement') continue;
      for (const { target, value } of assignmentsIn(statement.namedChildren[0])) {
        if (target.type !== 'identifier') continue;
        seen.set(target.text, (seen.get(target.text) ?? 0) + 1);
        this.constants.set(target.text, literalValue(value));
      }
    }
    for (const [name, count] of seen) {
      // A name bound twice could hold either value: not a constant we can rely on.
      if (count > 1) this.constants.delete(name);
    }
  }

  private collectFactories(): void {
    for (const definition of this.nodes('function_definition')) {
      const name = definition.childForFieldName('name');
      const body = definition.childForFieldName('body');
      if (!name || !body) continue;
      const buildsApp = body.descendantsOfType('call').some((call) => this.isFlaskConstructor(call));
      const returns = body.descendantsOfType('return_statement').length > 0;
      if (buildsApp && returns) this.factoryNames.add(name.text);
    }
  }

  private collectAppNames(): void {
    // Two passes so that `app = create_app()` counts even when the factory is defined below.
    for (const assignment of this.nodes('assignment')) {
      const target = assignment.childForFieldName('left');
      const value = assignment.childForFieldName('right');
      if (!target || !value || target.type !== 'identifier') continue;
      if (this.appEvidence(value)?.kind === 'app') this.appNames.add(target.text);
    }
  }

  private collectConfigObjectModules(): void {
    for (const call of this.nodes('call')) {
      const parts = callParts(call);
      const calleeParts = parts && dottedParts(parts.callee);
      const method = calleeParts?.at(-1);
      if (!parts || !calleeParts || calleeParts.at(-2) !== 'config' || (method !== 'from_object' && method !== 'from_pyfile')) continue;
      const argument = parts.positional[0];
      if (!argument) continue;
      const text = stringLiteralValue(argument);
      if (text !== undefined && method === 'from_pyfile') {
        // `from_pyfile('settings.py')` executes that file as config: name it like a module.
        const file = text.split(/[\\/]/).at(-1) ?? '';
        if (file.endsWith('.py')) this.configObjectModules.push(file.slice(0, -3));
      } else if (text !== undefined) this.configObjectModules.push(text);
      else if (argument.type === 'identifier' && argument.text === '__name__') this.configObjectModules.push('__name__');
      else if (argument.type === 'identifier') {
        const binding = this.imports.get(argument.text);
        if (binding) this.configObjectModules.push(binding.name === null ? binding.module : `${binding.module}.${binding.name}`);
      }
    }
  }
}

/** `a = b = value` yields both targets with the shared value. */
export function assignmentsIn(node: SyntaxNode | undefined): { target: SyntaxNode; value: SyntaxNode; assignment: SyntaxNode }[] {
  const found: { target: SyntaxNode; value: SyntaxNode; assignment: SyntaxNode }[] = [];
  const targets: SyntaxNode[] = [];
  let current = node;
  while (current && current.type === 'assignment') {
    const left = current.childForFieldName('left');
    if (left) targets.push(left);
    const right = current.childForFieldName('right');
    if (!right) return found;
    if (right.type !== 'assignment') {
      for (const target of targets) found.push({ target, value: right, assignment: node! });
      return found;
    }
    current = right;
  }
  return found;
}

const THIRD_PARTY_ROOTS = new Set(['flask', 'werkzeug', 'flask_socketio', 'os', 'sys', 'typing', 'dotenv']);

function isThirdPartyModule(module: string, level: number): boolean {
  return level === 0 && THIRD_PARTY_ROOTS.has(module.split('.')[0]!);
}

// A condition that reads the environment or a debug/testing switch means the code
// under it already chooses per environment (PRODUCT.md: guarded code is never a finding).
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
    if (condition && condition !== child && GUARD_CONDITION.test(condition.text)) return true;
    if (parent.type === 'else_clause' || parent.type === 'elif_clause') {
      // `else:` of an env check is guarded by the `if` it belongs to.
      const owner = parent.parent;
      const ownerCondition = owner?.childForFieldName('condition');
      if (ownerCondition && GUARD_CONDITION.test(ownerCondition.text)) return true;
    }
  }
  return false;
}
