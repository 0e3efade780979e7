import { enclosingScope, parameterDefaultValue } from './nodes.js';
import type { SyntaxNode } from './parser.js';
import type { ImportedAppRef } from '../core/findings.js';

/** Where a local name comes from: `import a.b as x` (name null) or `from ..a import b as x`. */
export interface ImportBinding {
  module: string;
  name: string | null;
  /** Leading dots of a relative import. */
  level: number;
}

/** Calls that load a module as config (configObjectModules): a file without them loads none. */
export const CONFIG_LOADING_KEYWORDS: readonly string[] = ['from_object', 'from_pyfile'];

/** What reading imports needs of a module (ModuleFacts provides it). */
export interface ImportSource {
  anchors(pattern: RegExp, within?: SyntaxNode): SyntaxNode[];
  methodCalls(method: string): SyntaxNode[];
  readonly imports: ReadonlyMap<string, ImportBinding>;
}

import { callParts, dottedParts, stringLiteralValue } from './syntax.js';
import { sameBlockBinding } from './assignments.js';

/** Local name -> where it was imported from; with moduleScopeOnly, only imports that bind a global name. */
export function collectImports(
  facts: Pick<ImportSource, 'anchors'>,
  moduleScopeOnly: boolean,
): Map<string, ImportBinding> {
  const imports = new Map<string, ImportBinding>();
  for (const keyword of facts.anchors(/^[ \t]*(?<anchor>import|from)[ \t]/m)) {
    const statement =
      keyword.type === 'import_statement' || keyword.type === 'import_from_statement' ? keyword : keyword.parent;
    if (moduleScopeOnly && statement && enclosingScope(statement)) continue;
    if (statement?.type === 'import_statement') {
      for (const imported of statement.childrenForFieldName('name')) {
        if (imported.type === 'aliased_import') {
          const name = imported.childForFieldName('name');
          const alias = imported.childForFieldName('alias');
          if (name && alias) imports.set(alias.text, { module: name.text, name: null, level: 0 });
        } else {
          // `import a.b` binds `a`, and `a.b.x` resolves through it.
          const head = imported.text.split('.')[0] ?? '';
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

/** Modules this file star-imports at any level (`from dash import *`), absolute imports only. */
export function collectStarImports(facts: Pick<ImportSource, 'anchors'>): string[] {
  const modules: string[] = [];
  for (const star of facts.anchors(/^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+(?<anchor>\*)/m)) {
    const statement = star.type === 'wildcard_import' ? star.parent : undefined;
    const moduleNode = statement?.type === 'import_from_statement' ? statement.childForFieldName('module_name') : null;
    if (moduleNode?.type === 'dotted_name') modules.push(moduleNode.text);
  }
  return modules;
}

/** Modules passed to `config.from_object(...)`/`from_pyfile(...)`; `__name__` means this module. */
export function configObjectModulesOf(facts: ImportSource): string[] {
  const modules: string[] = [];
  for (const method of CONFIG_LOADING_KEYWORDS) {
    for (const call of facts.methodCalls(method)) {
      const parts = callParts(call);
      if (!parts || dottedParts(parts.callee)?.at(-2) !== 'config') continue;
      const argument = parts.positional[0];
      if (!argument) continue;
      const text = stringLiteralValue(argument);
      // `from_object(os.environ.get("CONFIG", "config_dev"))`, or through a name bound so just above in the same
      // function: the fallback is loaded whenever the variable is unset.
      const envFallback =
        readDefault(argument) ?? (argument.type === 'identifier' ? readDefault(sameBlockBinding(argument)) : undefined);
      if (method === 'from_pyfile') {
        // `from_pyfile('settings.py')` executes that file as config: name it like a module. A path with a folder
        // (`'../instance/config.py'`) is that file only, from the app's root_path: `file:` marks it.
        const file = text?.split(/[\\/]/).at(-1) ?? '';
        if (text && /[\\/]/.test(text) && file.endsWith('.py')) modules.push(`file:${text}`);
        else if (file.endsWith('.py')) modules.push(file.slice(0, -3));
      } else if (text !== undefined) {
        modules.push(text);
      } else if (envFallback !== undefined) {
        modules.push(envFallback);
      } else if (argument.type === 'identifier' && argument.text === '__name__') {
        modules.push('__name__');
      } else if (argument.type === 'identifier') {
        const binding = facts.imports.get(argument.text);
        // `def create_app(config_object="pkg.settings")`, then `from_object(config_object)`: a bare call loads it.
        const fallback = binding ? undefined : parameterDefaultValue(argument);
        const fallbackPath = fallback && stringLiteralValue(fallback);
        if (binding) modules.push(binding.name === null ? binding.module : `${binding.module}.${binding.name}`);
        else if (fallbackPath) modules.push(fallbackPath);
      }
    }
  }
  return modules;
}

/** The string default of `os.environ.get("X", "default")` / `os.getenv(...)` written in place. */
function readDefault(node: SyntaxNode | undefined): string | undefined {
  const parts = node?.type === 'call' ? callParts(node) : undefined;
  if (!parts || !/^(?:os\.)?(?:environ\.get|getenv)$/.test(parts.callee.text.replace(/\s+/g, ''))) return undefined;
  const given = parts.keywords.get('default')?.value ?? parts.positional[1];
  return given ? stringLiteralValue(given) : undefined;
}

/**
 * Imports of these are Flask itself, its extensions the rules know by name and the standard library basics:
 * never a module of the project. The other frameworks' names (dash, connexion, quart, eve, apiflask, flask_api)
 * are not here: a project's own package often takes one (`flask_api/` of a course project), and a name that is
 * no file of the project resolves to nothing anyway.
 */
const THIRD_PARTY_ROOTS = new Set(['flask', 'werkzeug', 'flask_socketio', 'os', 'sys', 'typing', 'dotenv']);

/** True when `module` (dotted) is one of THIRD_PARTY_ROOTS or below one. */
export function isThirdPartyRoot(module: string): boolean {
  return THIRD_PARTY_ROOTS.has(module.split('.')[0] ?? '');
}

/**
 * `base.BaseApp` after `import myproject.base as base` or `from . import base`: the name
 * `attribute` of a project module the object names, to be confirmed where it is defined.
 */
export function projectModuleAttribute(
  imports: ReadonlyMap<string, ImportBinding>,
  callee: SyntaxNode,
): ImportedAppRef | undefined {
  const parts = dottedParts(callee);
  const head = parts?.[0];
  const name = parts?.at(-1);
  const binding = head === undefined ? undefined : imports.get(head);
  if (!parts || !binding || name === undefined || parts.length < 2) return undefined;
  const module = [binding.module, binding.name ?? '', ...parts.slice(1, -1)].filter((part) => part !== '').join('.');
  if (binding.level === 0 && isThirdPartyRoot(module)) return undefined;
  return { module, name, level: binding.level };
}
