import type { ModuleFacts } from '../../src/python/module-facts.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { stringLiteralValue } from '../../src/python/syntax.js';
import { productionEntry } from './production-key.js';

// dev-config-selected's rewrite of a config map's "default" entry.

// A production class that refuses to start without a SECRET_KEY: local runs that relied on the default now fail.
const REQUIRES_SECRET_KEY =
  /\b(?:assert|raise|if\s+not)\b[^\n]*SECRET_KEY|SECRET_KEY[^\n]*\b(?:assert|raise)\b|environ\s*\[\s*['"]SECRET_KEY['"]\s*\]/;

/** The config map's "default" becomes its production entry; the notice says what local runs now need. */
export function configMapFix(facts: ModuleFacts, pair: SyntaxNode, namesDevelopment: (name: string) => boolean) {
  const value = pair.childForFieldName('value');
  const map = pair.parent;
  if (!value || map?.type !== 'dictionary') return undefined;
  // Its production entry (`"prod"`, `"live"`...), whose class leaves DEBUG off.
  const productionValue = productionEntry(facts, map)?.value;
  const developmentKey = map.namedChildren
    .map((entry) => (entry.type === 'pair' ? entry.childForFieldName('key') : null))
    .map((key) => (key ? stringLiteralValue(key) : undefined))
    .find((key) => key !== undefined && key !== 'default' && namesDevelopment(key));
  if (!productionValue) return undefined;
  const productionClass =
    productionValue.type === 'identifier' ? facts.classDefinition(productionValue.text) : undefined;
  const needsSecret = productionClass !== undefined && REQUIRES_SECRET_KEY.test(productionClass.text);
  const selector = configSelector(facts, map);
  const localRun = developmentKey
    ? `select "${developmentKey}"${selector ? ` (${selector}=${developmentKey})` : ''} for local runs`
    : 'select the development config explicitly for local runs';
  return {
    title:
      `make the config map's "default" ${productionValue.text}: ` +
      'with no variable set, the app runs production settings',
    edits: [{ start: value.startIndex, end: value.endIndex, replacement: productionValue.text }],
    notice: needsSecret
      ? `with no config selected the app now loads ${productionValue.text}, ` +
        `which refuses to start without SECRET_KEY: set SECRET_KEY, or ${localRun}`
      : `with no config selected the app now loads ${productionValue.text}: ${localRun}`,
  };
}

/** The environment variable this module reads to pick an entry of the map, if it reads one. */
function configSelector(facts: ModuleFacts, map: SyntaxNode): string | undefined {
  const assignment = map.parent?.type === 'assignment' ? map.parent.childForFieldName('left') : null;
  if (assignment?.type !== 'identifier') return undefined;
  for (const subscript of facts.anchors(new RegExp(`\\b(?<anchor>${assignment.text})\\s*\\[`))) {
    const index = subscript.parent?.type === 'subscript' ? subscript.parent.childForFieldName('subscript') : null;
    const variable = index && /(?:environ\.get|getenv|environ\s*\[)\s*\(?\s*['"](\w+)['"]/.exec(index.text)?.[1];
    if (variable) return variable;
  }
  return undefined;
}
