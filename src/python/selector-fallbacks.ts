import { mapEntry } from './config-selection.js';
import { type DevelopmentSelection, mayBeOn, namesDevelopment, requirementOf } from './development-config.js';
import type { ModuleFacts } from './module-facts.js';
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
