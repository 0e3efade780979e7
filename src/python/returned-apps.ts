import type { AppClass } from './app-classes.js';
import { innermostValue } from './assignments.js';
import { sameNode } from './nodes.js';
import type { SyntaxNode } from './parser.js';

/** What these helpers ask of a module (ModuleFacts). */
interface AppFacts {
  readonly source: string;
  anchors(pattern: RegExp, within?: SyntaxNode): SyntaxNode[];
  appClassOfName(name: string): AppClass | null | undefined;
}

// In `app, celery = create_app()`, the name that holds the app.
const APP_LIKE_NAME = /^(?:app|application|\w+_app|app_\w+|server)$/i;

/**
 * `def init_app(config): ...; return app` (or `return app, celery`) with a module-level `app = Flask(...)`:
 * the app class of a returned module-level name that the function does not bind itself.
 */
export function returnedModuleApp(facts: AppFacts, body: SyntaxNode): AppClass | undefined {
  const text = facts.source.slice(body.startIndex, body.endIndex);
  for (const match of text.matchAll(/\breturn[ \t]+\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)/g)) {
    for (const name of (match[1] ?? '').split(',').map((part) => part.trim())) {
      // A name the function binds itself is not the module's app.
      if (new RegExp(`^[ \\t]*${name}[ \\t]*=(?!=)`, 'm').test(text)) continue;
      const appClass = facts.appClassOfName(name);
      if (appClass) return appClass;
    }
  }
  return undefined;
}

/**
 * `app, celery = create_app()`: the call whose result the app-like name `name` unpacks from (a factory
 * that returns the app beside other objects). The caller judges the call as it judges `app = create_app()`.
 */
export function unpackedAppCalls(facts: AppFacts, name: string): SyntaxNode[] {
  if (!APP_LIKE_NAME.test(name)) return [];
  const pattern = new RegExp(String.raw`\b(?<anchor>${name})[ \t]*(?:,[ \t]*[A-Za-z_][\w.]*[ \t]*)*\)?[ \t]*=(?!=)`);
  return facts.anchors(pattern).flatMap((identifier) => {
    const list = identifier.parent;
    const assignment = list?.parent;
    if (list?.type !== 'pattern_list' && list?.type !== 'tuple_pattern') return [];
    if (assignment?.type !== 'assignment' || !sameNode(assignment.childForFieldName('left'), list)) return [];
    const value = innermostValue(assignment);
    return value?.type === 'call' ? [value] : [];
  });
}

/** `create_app()[0]`: the call a first-element subscript reads the app from. */
export function firstElementCall(node: SyntaxNode): SyntaxNode | undefined {
  const value = node.childForFieldName('value');
  const index = node.namedChildren.filter((child) => !sameNode(child, value));
  return value?.type === 'call' && index.length === 1 && index[0]?.text === '0' ? value : undefined;
}
