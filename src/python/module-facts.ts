import type { ImportedAppRef } from '../core/findings.js';
import { appClassCallNames, appClassOf, APP_FAMILY_KEYWORDS, heldServerClass } from './app-classes.js';
import { selfAppClass, starImportBinds, type AppClass } from './app-classes.js';
import { isUnderDebugGuard } from './debug-guard.js';
import {
  collectImports,
  collectStarImports,
  isThirdPartyRoot,
  projectModuleAttribute,
  configObjectModulesOf,
  CONFIG_LOADING_KEYWORDS,
  type ImportBinding,
} from './import-bindings.js';
import { innermostValue, moduleScopeAssignmentValue } from './assignments.js';
import { enclosingScope, sameNode } from './nodes.js';
import { firstElementCall, returnedModuleApp, unpackedAppCalls } from './returned-apps.js';
import type { SyntaxNode, Tree } from './parser.js';

export { isUnderDebugGuard, CONFIG_LOADING_KEYWORDS, enclosingScope, sameNode, type ImportBinding };
export { assignmentStatement, innermostValue } from './assignments.js';
import { dottedParts, literalValue, type LiteralValue } from './syntax.js';

// A name this file imports from another module of the project (defined with the findings that depend on it).
export type { ImportedAppRef };

/**
 * Who receives a call like `x.run(...)`: an app we can prove (`appClass` says which family,
 * absent for one known only by a conventional factory's name), one we must confirm, or neither.
 */
export type AppEvidence = { kind: 'app'; appClass?: AppClass } | { kind: 'imported'; ref: ImportedAppRef } | undefined;

// Flask documents `create_app` as the factory's name; projects follow it closely.
const CONVENTIONAL_FACTORY = /^(?:create|make)_app$/;
const NOT_AN_APP = 'not-an-app';
const CURRENT_APP = new Set(['flask.current_app', 'flask.globals.current_app']);
// appEvidence finds an app through an app class (app-classes.ts), CURRENT_APP, a factory that builds one, or a
// conventional factory's name, in this module or one it imports: a project with none of these words has no app.
export const APP_EVIDENCE_KEYWORDS: readonly string[] = APP_FAMILY_KEYWORDS;

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
  private starImportsCache?: string[];
  private readonly constantsCache = new Map<string, LiteralValue | undefined>();
  private readonly constantNodesCache = new Map<string, SyntaxNode | undefined>();
  private readonly appNameCache = new Map<string, AppClass | null | typeof NOT_AN_APP>();
  private readonly factoryCache = new Map<string, AppClass | null>();
  private readonly selfAttributesFollowed = new Set<string>(); // `x = self.r`, `self.r = x`: one at a time
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
    if (!this.importsCache) this.importsCache = collectImports(this, false);
    return this.importsCache;
  }

  /** Modules star-imported by this file (`from dash import *`). */
  get starImports(): string[] {
    if (!this.starImportsCache) this.starImportsCache = collectStarImports(this);
    return this.starImportsCache;
  }

  /** Like `imports`, but only imports that bind a global name: none inside a function or class body. */
  get moduleScopeImports(): Map<string, ImportBinding> {
    if (!this.moduleScopeImportsCache) this.moduleScopeImportsCache = collectImports(this, true);
    return this.moduleScopeImportsCache;
  }

  /** Imported names that come from this project (not Flask, Werkzeug or the standard library basics). */
  importedRef(name: string): ImportedAppRef | undefined {
    const binding = this.imports.get(name);
    if (!binding || binding.name === null) return undefined;
    if (binding.level === 0 && isThirdPartyRoot(binding.module)) return undefined;
    return { module: binding.module, name: binding.name, level: binding.level };
  }

  /**
   * The fully qualified name an identifier or attribute chain refers to, through
   * imports: with `from werkzeug import serving as s`, `s.run_simple` is
   * `werkzeug.serving.run_simple`. Undefined for local names that were not imported.
   */
  qualifiedName(node: SyntaxNode): string | undefined {
    const parts = dottedParts(node);
    return parts ? this.qualifiedNameOfParts(parts) : undefined;
  }

  /** qualifiedName for a dotted name written as text (`dash.Dash`), as this module's imports bind it. */
  qualifiedNameOfParts(parts: readonly string[]): string | undefined {
    const [head, ...rest] = parts;
    if (head === undefined) return undefined;
    const binding = this.imports.get(head);
    if (!binding) {
      // `from dash import *` binds `Dash` (and the `dash` submodule): only the names the rules look up.
      const star = this.starImports.find((module) => starImportBinds(module, head));
      return star === undefined ? undefined : [`${star}.${head}`, ...rest].join('.');
    }
    if (binding.level > 0) return undefined;
    const base = binding.name === null ? binding.module : `${binding.module}.${binding.name}`;
    return [base, ...rest].join('.');
  }

  refersTo(node: SyntaxNode, names: ReadonlySet<string>): boolean {
    const qualified = this.qualifiedName(node);
    return qualified !== undefined && names.has(qualified);
  }

  /** Calls of an imported callable known by its qualified name, e.g. `werkzeug.serving.run_simple`. */
  callsOfQualified(names: ReadonlySet<string>): SyntaxNode[] {
    const shortNames = new Set([...names].map((name) => name.split('.').at(-1) ?? name));
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

  /** The app class a call constructs (`Flask(...)`, `dash.Dash(...)`, the project's `App(...)` deriving from Flask). */
  appClassOfCall(call: SyntaxNode): AppClass | undefined {
    const callee = call.childForFieldName('function');
    return call.type === 'call' && callee !== null ? appClassOf(this, callee) : undefined;
  }

  /** What says `node` (a receiver or a call result) is an app serving Werkzeug's debugger; Quart's is not one. */
  appEvidence(node: SyntaxNode): AppEvidence {
    const evidence = this.serverEvidence(node);
    return evidence?.kind === 'app' && evidence.appClass?.server === 'quart' ? undefined : evidence;
  }

  /** Like appEvidence, Quart apps included. */
  serverEvidence(node: SyntaxNode): AppEvidence {
    if (node.type === 'parenthesized_expression' && node.namedChildren[0])
      return this.serverEvidence(node.namedChildren[0]);
    const first = node.type === 'subscript' ? firstElementCall(node) : undefined;
    if (first) return this.serverEvidence(first);
    if (node.type === 'call') {
      const appClass = this.appClassOfCall(node);
      if (appClass) return { kind: 'app', appClass };
      const callee = node.childForFieldName('function');
      return callee ? this.factoryEvidence(callee) : undefined;
    }
    if (node.type === 'identifier') {
      if (this.refersTo(node, CURRENT_APP)) return { kind: 'app' };
      const own = selfAppClass(this, node); // `self` in a method of `class App(Flask)`
      if (own) return { kind: 'app', appClass: own };
      const appClass = this.appClassOfName(node.text);
      if (appClass !== undefined) return { kind: 'app', appClass: appClass ?? undefined };
      const imported = this.importedRef(node.text);
      if (imported) return { kind: 'imported', ref: imported };
      // `app = init_app(config)` with init_app imported, `app = config.connex_app` after `import config`,
      // or `app = connex_app` after `from config import connex_app`: confirmed in the module that binds it.
      const built = this.assignedValues(node.text)
        .concat(unpackedAppCalls(this, node.text))
        .filter((value) => ['call', 'attribute', 'identifier', 'subscript'].includes(value.type))
        .map((value) =>
          value.type === 'identifier' && value.text === node.text ? undefined : this.serverEvidence(value),
        );
      return built.find((evidence) => evidence?.kind === 'imported');
    }
    if (node.type === 'attribute') {
      if (this.refersTo(node, CURRENT_APP)) return { kind: 'app' };
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute) return undefined;
      const held = heldServerClass(attribute.text, () => this.serverEvidence(object)); // `dash_app.server`
      if (held) return { kind: 'app', appClass: held };
      // `self.app.run()` in a class whose `self.app = Flask(...)`.
      if (object.type === 'identifier' && object.text === 'self') return this.selfAttributeEvidence(attribute.text);
      // `holder.app.run()` with `holder = Holder()`, a class of this module whose `self.app = Flask(...)`.
      const made = object.type === 'identifier' ? this.constantNode(object.text)?.childForFieldName('function') : null;
      if (made?.type === 'identifier' && this.classDefinition(made.text))
        return this.selfAttributeEvidence(attribute.text);
      if (object.type !== 'identifier') return undefined;
      // `myapp.app` after `import myapp`: an attribute of a project module.
      const binding = this.imports.get(object.text);
      if (binding && binding.name === null && !isThirdPartyRoot(binding.module)) {
        return { kind: 'imported', ref: { module: binding.module, name: attribute.text, level: binding.level } };
      }
    }
    return undefined;
  }

  /** True when `name` is bound in this module to an app that serves Werkzeug's debugger, or to a factory's result. */
  isAppName(name: string): boolean {
    const appClass = this.appClassOfName(name);
    return appClass !== undefined && appClass?.server !== 'quart';
  }

  /** True when `name` is a class of this module that is, or derives from, an app class (`class App(Flask)`). */
  isAppClass(name: string): boolean {
    const definition = this.classDefinition(name);
    const nameNode = definition?.childForFieldName('name');
    return nameNode !== null && nameNode !== undefined && appClassOf(this, nameNode)?.server === 'flask';
  }

  /**
   * The app class of what `name` is bound to; null for an app
   * of unknown class (a factory by name), undefined for none.
   */
  appClassOfName(name: string): AppClass | null | undefined {
    const cached = this.appNameCache.get(name);
    if (cached !== undefined) return cached === NOT_AN_APP ? undefined : cached;
    this.appNameCache.set(name, NOT_AN_APP); // guards `app = app` style cycles
    let found: AppClass | null | undefined;
    // Bound once at module scope (and not a `None` placeholder a function fills in): that binding, not a
    // function's local of the same name.
    const global = this.constantNode(name);
    const values = global && global.type !== 'none' ? [global] : this.assignedValues(name);
    for (const value of [...values, ...unpackedAppCalls(this, name)]) {
      const evidence = this.serverEvidence(value);
      if (evidence?.kind !== 'app') continue;
      found = evidence.appClass ?? null;
      if (found) break;
    }
    this.appNameCache.set(name, found === undefined ? NOT_AN_APP : found);
    return found;
  }

  /** `self.<name> = Flask(...)` anywhere in this module's classes. */
  private selfAttributeEvidence(name: string): AppEvidence {
    if (this.selfAttributesFollowed.has(name) || !this.selfAttributesFollowed.add(name)) return undefined;
    let evidence: AppEvidence;
    for (const identifier of this.anchors(new RegExp(`\\bself\\.(?<anchor>${name})[ \\t]*(?::[^=\\n]*)?=(?!=)`))) {
      const attribute = identifier.parent;
      const assignment = attribute?.parent;
      const assigned = assignment?.type === 'assignment' && sameNode(assignment.childForFieldName('left'), attribute);
      if (attribute?.type !== 'attribute' || !assigned) continue;
      const value = innermostValue(assignment);
      evidence = value ? this.serverEvidence(value) : undefined;
      if (evidence?.kind === 'app') break;
    }
    this.selfAttributesFollowed.delete(name);
    return evidence?.kind === 'app' ? evidence : undefined;
  }

  /** The app class a function of this module builds and returns; null when it builds none. */
  factoryClass(name: string): AppClass | null {
    const cached = this.factoryCache.get(name);
    if (cached !== undefined) return cached;
    this.factoryCache.set(name, null);
    const callNames = appClassCallNames(this.imports, this.source).join('|');
    let result: AppClass | null = null;
    for (const identifier of this.anchors(new RegExp(`\\bdef\\s+(?<anchor>${name})\\s*\\(`))) {
      const definition = identifier.parent;
      const body = definition?.type === 'function_definition' ? definition.childForFieldName('body') : null;
      if (!body || !sameNode(definition?.childForFieldName('name'), identifier)) continue;
      if (!/\breturn\b/.test(this.source.slice(body.startIndex, body.endIndex))) continue;
      const built =
        this.callsNamed(callNames, body)
          .map((call) => this.appClassOfCall(call))
          .find((appClass) => appClass !== undefined) ?? returnedModuleApp(this, body);
      if (built) {
        result = built;
        break;
      }
    }
    this.factoryCache.set(name, result);
    return result;
  }

  /** True when `name` is a function of this module that builds an app serving Werkzeug's debugger and returns it. */
  isFactory(name: string): boolean {
    const built = this.factoryClass(name);
    return built !== null && built.server !== 'quart';
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
    const [only] = values;
    const node = values.length === 1 && only && !isUnderDebugGuard(only) ? only : undefined;
    this.constantNodesCache.set(name, node);
    return node;
  }

  /** The top-level `class name...:` of this module, if there is exactly one. */
  classDefinition(name: string): SyntaxNode | undefined {
    const found = this.anchors(new RegExp(`^class[ \\t]+(?<anchor>${name})\\b`, 'm')).flatMap((identifier) => {
      const definition = identifier.parent;
      return definition?.type === 'class_definition' &&
        sameNode(definition.childForFieldName('name'), identifier) &&
        definition.parent?.type === 'module'
        ? [definition]
        : [];
    });
    return found.length === 1 ? found[0] : undefined;
  }

  /** Modules passed to `config.from_object(...)`/`from_pyfile(...)`; `__name__` means this module. */
  get configObjectModules(): string[] {
    if (!this.configModulesCache) this.configModulesCache = configObjectModulesOf(this);
    return this.configModulesCache;
  }

  private factoryEvidence(callee: SyntaxNode): AppEvidence {
    const method = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    const name = callee.type === 'identifier' ? callee.text : (dottedParts(callee)?.at(-1) ?? method);
    if (!name) return undefined;
    // `App().create_app()`: a method of this module's class, called on a new instance, is a factory too.
    const made = callee.type === 'attribute' ? callee.childForFieldName('object')?.childForFieldName('function') : null;
    if (callee.type === 'identifier' || (made?.type === 'identifier' && this.classDefinition(made.text))) {
      const built = this.factoryClass(name);
      if (built) return { kind: 'app', appClass: built };
    }
    // An imported `create_app()` in a module that uses Quart: the module defining it says which framework.
    const importedFactory = callee.type === 'identifier' ? this.importedRef(name) : undefined;
    if (importedFactory && /\bquart\b/.test(this.source)) return { kind: 'imported', ref: importedFactory };
    if (CONVENTIONAL_FACTORY.test(name)) return { kind: 'app' };
    if (callee.type === 'attribute') {
      const ref = projectModuleAttribute(this.imports, callee);
      return ref ? { kind: 'imported', ref } : undefined;
    }
    if (callee.type !== 'identifier') return undefined;
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
}
