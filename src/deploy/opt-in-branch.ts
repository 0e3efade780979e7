import type { CommandBranch, DeployCommand, EnvSetting } from './model.js';
import { unquote } from './debug-variables.js';
import { optInTestPasses } from './shell/branch-condition.js';

/**
 * A script's debug opt-in branch (`if [ "$DEBUG" = true ]`) is development-only while nothing turns the
 * variable on. When the environment the script runs in does (compose `DEBUG: "true"`, Dockerfile `ENV DEBUG=1`,
 * an export of a calling script), that branch is what production runs.
 */
export function resolveOptIns<Facts extends { commands: DeployCommand[]; exports: EnvSetting[] }>(
  facts: Facts,
  environment: readonly EnvSetting[],
): Facts {
  const last = new Map<string, EnvSetting>();
  for (const setting of environment) if (!setting.branch?.development) last.set(setting.name, setting);
  if (last.size === 0) return facts;
  const resolved = (branch: CommandBranch | undefined): CommandBranch | undefined => {
    const setting = branch?.optIn ? last.get(branch.optIn) : undefined;
    return branch?.optInRunsWhen && setting && optInTestPasses(unquote(setting.value.trim()), branch.optInRunsWhen)
      ? { ...branch, development: false, turnedOnBy: setting }
      : branch;
  };
  const setting = (item: EnvSetting): EnvSetting => {
    const branch = resolved(item.branch);
    return branch === item.branch ? item : { ...item, branch };
  };
  return {
    ...facts,
    exports: facts.exports.map(setting),
    commands: facts.commands.map((command) => {
      const branch = resolved(command.branch);
      const prefixEnv = command.prefixEnv.map(setting);
      return { ...command, prefixEnv, ...(branch ? { branch } : {}) };
    }),
  };
}

/** The setting that turns a branch's opt-in variable on, among the entrypoints that run the script at `path`. */
export function optInTurnedOnFor(
  scripts: readonly { path: string; commands: DeployCommand[]; exports: EnvSetting[] }[],
  path: string,
  start: number,
  end: number,
): CommandBranch | undefined {
  for (const script of scripts) {
    if (script.path !== path) continue;
    const items = [...script.commands, ...script.exports, ...script.commands.flatMap((command) => command.prefixEnv)];
    for (const item of items)
      if (item.branch?.turnedOnBy && item.at.start === start && item.at.end === end) return item.branch;
  }
  return undefined;
}
