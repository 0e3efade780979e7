import { mapEntry } from './config-selection.js';
import { type DevelopmentSelection, mayBeOn, namesDevelopment, requirementOf } from './development-config.js';
import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { callParts } from './syntax.js';
import { environmentSelectors } from './selector-function.js';

/**
 * `def get_config(): return CONFIGS[os.getenv("FLASK_ENV", "development")]` in a module that never calls it:
 * whoever imports and calls it gets the development config, and its DEBUG, while the variable is unset.
 * Reported at the fallback, where the fix goes, once another module is seen to read the function.
 */
export function importedSelectorFallbacks(facts: ModuleFacts): DevelopmentSelection[] {
  return environmentSelectors(facts).flatMap(({ name, fallback, lookup }) => {
    if (!namesDevelopment(fallback.name) || facts.callsNamed(name).length > 0) return [];
    const selected = mapEntry(facts, lookup.map, fallback.name);
    if (!mayBeOn(selected)) return [];
    const then = requirementOf(selected, undefined);
    return [
      {
        at: fallback.literal,
        message: `${name}() falls back to the "${fallback.name}" config, and its DEBUG, when ${fallback.when}`,
        requires: { kind: 'read-elsewhere', name, ...(then ? { then } : {}) },
        ...(fallback.read ? { selector: fallback.read } : {}),
      },
    ];
  });
}

// What a read's default may say to select a development entry (`os.getenv("APP_ENV", "dev")`).
const DEVELOPMENT_KEYS = ['dev', 'development', 'develop', 'local', 'debug', 'Dev', 'Development', 'DEV'];

/**
 * `from_object(config_env[env])` with `env` imported from another module (`env = os.getenv("APP_ENV", "dev")`
 * there): the entry that read selects while unset, confirmed once that module is read. Undefined when the key
 * is no imported name or no development entry of the map could turn DEBUG on.
 */
export function importedKeyFallback(facts: ModuleFacts, call: SyntaxNode): DevelopmentSelection | undefined {
  const argument = callParts(call)?.positional[0];
  const map = argument?.type === 'subscript' ? argument.childForFieldName('value') : null;
  const key = argument?.type === 'subscript' ? argument.childForFieldName('subscript') : null;
  const ref = key?.type === 'identifier' ? facts.importedRef(key.text) : undefined;
  if (!argument || !map || !key || !ref) return undefined;
  const entries = DEVELOPMENT_KEYS.map((name) => ({ name, selected: mapEntry(facts, map, name) }));
  const importedMap = entries.find(({ selected }) => selected.elsewhereMap)?.selected.elsewhereMap?.ref;
  const keys = entries.filter(({ selected }) => selected.state === 'on').map(({ name }) => name);
  if (!importedMap && keys.length === 0) return undefined;
  const from = `${'.'.repeat(ref.level)}${ref.module}`;
  return {
    at: key,
    message:
      `${argument.text} falls back to a development config, and its DEBUG, when the variable ${key.text} ` +
      `(from ${from}) reads is unset`,
    requires: { kind: 'imported-selector-key', ref, ...(importedMap ? { map: importedMap } : { keys }) },
  };
}
