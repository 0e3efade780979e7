import { basename } from 'node:path';
import type { Requirement } from '../core/findings.js';
import { debugVariableFinding } from './debug-variables.js';
import type { DeployCommand, DeployModel, Entrypoint, EnvSetting, SourceSpan } from './model.js';

/**
 * What deploy rules report, read off the model: a dev server a command starts,
 * a setting that turns debug mode on. Rules decide where (which file) to report.
 */

export interface DevServerFinding {
  message: string;
  /** `flask run --debug`, `flask --debug run`: the interactive debugger is served. */
  debug: boolean;
  /** The flag found on the command (`--debug` or `--debugger`), for the message. */
  debugFlag?: string;
  requires?: Requirement;
}

/** `, with --debugger: the interactive debugger is served` for a command that turns it on; '' otherwise. */
export function debugFlagNote(finding: DevServerFinding): string {
  return finding.debug ? `, with ${finding.debugFlag ?? '--debug'}: the interactive debugger is served` : '';
}

export function devServerFinding(command: DeployCommand): DevServerFinding | undefined {
  const { target } = command;
  switch (target.kind) {
    case 'flask-run':
      return {
        message: "runs Flask's development server (`flask run`) instead of a WSGI server",
        debug: target.debug,
        ...(target.debugFlag ? { debugFlag: target.debugFlag } : {}),
      };
    case 'python-script':
      return {
        message:
          `runs \`python ${target.script}\`, ` +
          "which starts Flask's development server (app.run) instead of a WSGI server",
        debug: false,
        requires: { kind: 'dev-server-script', script: target.script },
      };
    case 'manage-run':
      return {
        message:
          `runs \`python ${target.script} ${target.subcommand}\`, ` +
          "Flask's development server, instead of a WSGI server",
        debug: false,
        requires: { kind: 'flask-cli-script', script: target.script, subcommand: target.subcommand },
      };
    default:
      return undefined;
  }
}

export function debugSettingEffect(setting: EnvSetting): string | undefined {
  return debugVariableFinding(setting.name, setting.value, setting.at.path)?.effect;
}

/** The values that turn each debug variable on, for a message about a value the deploy file does not fix. */
const ON_VALUES: Readonly<Record<string, string>> = {
  FLASK_DEBUG: 'a value other than 0/false/no',
  QUART_DEBUG: 'a value other than 0/false/no',
  DASH_DEBUG: '1/true/yes/on',
  FLASK_ENV: 'development',
};

const listed = (names: readonly string[]) =>
  names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;

/**
 * Where an interpolated compose value came from, before what it does: `FLASK_DEBUG=${DEBUG:-1} is "1" while DEBUG
 * is unset: `, `FLASK_DEBUG=${DEBUG} is "1" from .env: `; '' for a value written as it is.
 */
export function interpolationNote(setting: EnvSetting): string {
  const { interpolation } = setting;
  if (!interpolation) return '';
  const written = `${setting.name}=${interpolation.written}`;
  if (interpolation.unresolved.length > 0)
    return (
      `${written} is "${setting.value}" while ${listed(interpolation.unresolved)} ` +
      `${interpolation.unresolved.length === 1 ? 'is' : 'are'} unset: `
    );
  return `${written} is "${setting.value}" from ${interpolation.envFile ? basename(interpolation.envFile) : '.env'}: `;
}

/**
 * A debug variable whose compose value follows variables nothing committed sets and the file gives no default
 * (`FLASK_DEBUG=${DEBUG}`), off while they are unset: debug mode is whatever the environment that runs compose
 * says. A warning that names them. A written default that is off (`${FLASK_ENV:-production}`) is the author's
 * choice of off, like a read that defaults off in code: no finding. One that is on (`${DEBUG:-1}`) is a finding
 * of its own (debugSettingEffect).
 */
export function debugPassThrough(setting: EnvSetting): { message: string; requires?: Requirement } | undefined {
  const undefaulted = setting.interpolation?.undefaulted ?? [];
  const on = ON_VALUES[setting.name];
  if (undefaulted.length === 0 || on === undefined || debugSettingEffect(setting)) return undefined;
  const one = undefaulted.length === 1;
  const local = (setting.interpolation?.ignoredValues ?? []).map(({ name, value }) => `${name}=${value}`);
  return {
    message:
      `${setting.name}=${setting.interpolation?.written ?? ''}: debug mode is on when ${listed(undefaulted)} ` +
      `${one ? 'is' : 'are'} set to ${on} in the environment that runs compose ` +
      `(unset, the value is "${setting.value}", which is off` +
      (local.length > 0
        ? `; the .env beside the file sets ${listed(local)}, but git ignores it: a developer's own, ` +
          'unless it was committed anyway)'
        : ')'),
    ...(setting.name === 'DASH_DEBUG' ? { requires: { kind: 'dash-run-reads-env' } } : {}),
  };
}

/** What the project must hold for the setting to matter (DASH_DEBUG: a Dash app started with debug unset). */
export function debugSettingRequirement(setting: EnvSetting): { requires?: Requirement } {
  const requires = debugVariableFinding(setting.name, setting.value, setting.at.path)?.requires;
  return requires ? { requires } : {};
}

/** FLASK_ENV with no Flask older than 2.3 pinned, QUART_DEBUG: a warning wherever it is set. */
export function debugSettingIsWarningOnly(setting: EnvSetting): boolean {
  return debugVariableFinding(setting.name, setting.value, setting.at.path)?.warningOnly === true;
}

/**
 * `ENV DEBUG True`: not Flask's variable, but apps read such names to pick a debug config class.
 * A candidate only; the engine confirms the app does and names the class.
 */
export function debugSelectorCandidate(setting: EnvSetting): { message: string; requires: Requirement } | undefined {
  return debugSelectorCandidateOf(setting.name, setting.value);
}

// `APP_SETTINGS=config.DevelopmentConfig`: an import path to a class, which `from_object()` may load.
const CONFIG_CLASS_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.[A-Z]\w*$/;

/** debugSelectorCandidate for a name and value read from anywhere (a ConfigMap, Helm values). */
export function debugSelectorCandidateOf(
  name: string,
  value: string,
): { message: string; requires: Requirement } | undefined {
  if (CONFIG_CLASS_PATH.test(value) && name !== 'FLASK_APP')
    return {
      message: `${name}=${value} makes the app load ${value} as its config`,
      requires: { kind: 'selects-debug-config', variable: name, value },
    };
  if (!/DEBUG/i.test(name) || name === 'FLASK_DEBUG' || !/^[A-Za-z0-9_.-]+$/.test(value)) return undefined;
  if (['0', 'false', 'no', 'off', 'none', ''].includes(value.toLowerCase())) return undefined;
  return {
    message: `${name}=${value} makes the app choose its debug config`,
    requires: { kind: 'selects-debug-config', variable: name, value },
  };
}

/** Each span once: stages and services that share an instruction or env file report it once. */
export function uniqueBySpan<T>(items: T[], spanOf: (item: T) => SourceSpan): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const span = spanOf(item);
    const key = `${span.path}\u0000${span.start}\u0000${span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Entrypoints of process managers and the platforms that run a process the same way (a Render service's
 * startCommand is a Procfile line): what process-dev-server and process-debug-env read.
 */
export const PROCESS_ENTRYPOINT_KINDS: ReadonlySet<string> = new Set(['procfile', 'supervisord', 'systemd', 'render']);

/** The entrypoints a deploy file defines itself (compose services count for their compose file). */
export function entrypointsDefinedIn(model: DeployModel, path: string): Entrypoint[] {
  return model.entrypoints.filter((entrypoint) => entrypoint.file === path);
}

/** `env.sample`, `.env.example`, `.env.dev-sample`, `config.env.template`: a file to copy from, which nothing loads. */
export const TEMPLATE_ENV_NAME = /(?:^|[._-])(?:example|examples|sample|samples|template|tmpl|dist)(?:[._-]|$)/i;

export function isTemplateEnvFile(path: string): boolean {
  return TEMPLATE_ENV_NAME.test(path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1));
}
