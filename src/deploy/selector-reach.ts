import type { DeployModel, Entrypoint, EnvSetting } from './model.js';
import { describe, type FindingReach } from './reach-basics.js';
import { ENVIRONMENT_NAMES } from '../python/env-reads.js';

/** The environment variable a config is selected by, and its value when unset (see Detection.selector). */
export interface ConfigSelector {
  variable: string;
  unset: string;
}

/**
 * The reach of a fallback to the development config (`config[os.getenv("FLASK_ENV", "development")]`): an
 * entrypoint that sets the variable to another value (`ENV FLASK_ENV=production`) selects another config, so it
 * does not count. When only such entrypoints would reach the finding, it is a warning that names them.
 */
export function reachOfSelection(
  model: DeployModel,
  selector: ConfigSelector,
  reach: (model: DeployModel) => FindingReach,
): FindingReach {
  const choosing = model.entrypoints.filter((entrypoint) => setsOtherValue(entrypoint, selector));
  if (choosing.length === 0) return reach(model);
  const rest = reach({
    ...model,
    entrypoints: model.entrypoints.filter((entrypoint) => !choosing.includes(entrypoint)),
  });
  if (rest.reach !== 'unknown') return rest;
  // The entrypoints that set it and would reach the finding: the ones to name.
  const reaching = choosing.filter((entrypoint) => reach({ ...model, entrypoints: [entrypoint] }).reach !== 'unknown');
  if (reaching.length === 0) return rest;
  const shown = reaching.slice(0, 3);
  const named = shown.map((entrypoint) => {
    const value = settingOf(entrypoint, selector.variable);
    return `${entrypoint.name} (${selector.variable}=${value})`;
  });
  return {
    reach: 'not-run',
    level: 'warning',
    entrypoints: shown.map(describe),
    reason: `production sets ${selector.variable} and selects another config: ${named.join(', ')}`,
  };
}

function setsOtherValue(entrypoint: Entrypoint, { variable, unset }: ConfigSelector): boolean {
  const value = settingOf(entrypoint, variable);
  return (
    value !== undefined &&
    value !== '' &&
    value.toLowerCase() !== unset.toLowerCase() &&
    !ENVIRONMENT_NAMES.test(value) &&
    !value.includes('$')
  );
}

/** What an entrypoint's process gets for `variable`: the last of its settings that names it. */
export function settingOf(entrypoint: Entrypoint, variable: string): string | undefined {
  return processSettings(entrypoint)
    .filter((setting) => setting.name === variable)
    .at(-1)?.value;
}

/**
 * The variables an entrypoint's process gets, later ones winning: its environment, its scripts' exports, its
 * command's prefix.
 */
export function processSettings(entrypoint: Entrypoint): EnvSetting[] {
  return [
    ...entrypoint.environment,
    ...entrypoint.scripts.flatMap((script) => script.exports),
    ...entrypoint.command.prefixEnv,
    ...(entrypoint.serves === entrypoint.command ? [] : entrypoint.serves.prefixEnv),
  ];
}
