import { UsageError } from '../core/usage-error.js';
import type { Rule } from '../rules/rule.js';

/** Rule choices from the command line (`--select`, `--ignore`) and from the config file. */
export interface RuleChoice {
  select?: readonly string[];
  ignore?: readonly string[];
  configSelect?: readonly string[];
  configIgnore?: readonly string[];
}

/**
 * The rules a run uses, in catalog order. As in Ruff, the command line wins over the
 * config file: `--select` replaces the config's `select`, and a rule it names is on
 * even if the config ignores it; `--ignore` turns a rule off whatever selects it.
 */
export function selectRules(catalog: readonly Rule[], choice: RuleChoice): Rule[] {
  const known = new Set(catalog.map((rule) => rule.id));
  for (const [flag, ids] of [
    ['--select', choice.select],
    ['--ignore', choice.ignore],
  ] as const) {
    for (const id of ids ?? []) {
      if (!known.has(id)) throw new UsageError(`${flag}: unknown rule '${id}' (valid: ${[...known].join(', ')})`);
    }
  }
  const selected = new Set(choice.select ?? choice.configSelect ?? known);
  const ignored = new Set([
    ...(choice.ignore ?? []),
    ...(choice.configIgnore ?? []).filter((id) => !choice.select?.includes(id)),
  ]);
  return catalog.filter((rule) => selected.has(rule.id) && !ignored.has(rule.id));
}

/** `a,b, c` as a list of ids (flags may repeat: each value is split). */
export function ruleIdList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
}
