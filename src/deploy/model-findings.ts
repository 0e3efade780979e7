import { basename } from 'node:path';
import type { Detection, Requirement } from '../core/findings.js';
import { debugVariableEffect, debugVariableFinding, type RunsWith } from './debug-variables.js';
import { flaskReleaseOf, oldestFlaskRelease } from './flask-release.js';
import {
  SERVER_ENV_ORIGINS,
  type DeployCommand,
  type DeployModel,
  type Entrypoint,
  type EnvSetting,
  type SourceSpan,
} from './model.js';

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
          `runs \`python ${target.module ? `-m ${target.module}` : target.script}\`, ` +
          "which starts Flask's development server (app.run) instead of a WSGI server",
        debug: false,
        requires: { kind: 'dev-server-script', script: target.script, ...(target.file ? { file: target.file } : {}) },
      };
    case 'manage-run':
      return {
        message:
          `runs \`python ${target.script} ${target.subcommand}\`, ` +
          "Flask's development server, instead of a WSGI server",
        debug: false,
        requires: {
          kind: 'flask-cli-script',
          script: target.script,
          subcommand: target.subcommand,
          ...(target.file ? { file: target.file } : {}),
        },
      };
    default:
      return undefined;
  }
}

/** What a debug variable set in a deploy file does where it is set, and when it matters. */
export interface DebugSettingFinding {
  effect: string;
  /** FLASK_ENV with no Flask older than 2.3 pinned, QUART_DEBUG: a warning wherever it is set. */
  warningOnly: boolean;
  /** What the project must hold for the setting to matter (DASH_DEBUG: a Dash app started with debug unset). */
  requires?: Requirement;
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
  const written = writtenSetting(setting);
  if (interpolation.unresolved.length > 0)
    return (
      `${written} is "${setting.value}" while ${listed(interpolation.unresolved)} ` +
      `${interpolation.unresolved.length === 1 ? 'is' : 'are'} unset: `
    );
  return `${written} is "${setting.value}" from ${interpolation.envFile ? basename(interpolation.envFile) : '.env'}: `;
}

/** `FLASK_DEBUG=${DEBUG}` as written, or `FLASK_DEBUG (passed through)` for a bare name. */
function writtenSetting(setting: EnvSetting): string {
  const written = setting.interpolation?.written ?? '';
  return setting.interpolation?.passThrough ? `${setting.name} (passed through)` : `${setting.name}=${written}`;
}

/**
 * A debug variable whose compose value follows variables nothing committed sets and the file gives no default
 * (`FLASK_DEBUG=${DEBUG}`), off while they are unset: debug mode is whatever the environment that runs compose
 * says. A warning that names them. A written default that is off (`${FLASK_ENV:-production}`) is the author's
 * choice of off, like a read that defaults off in code: no finding. One that is on (`${DEBUG:-1}`) is a finding
 * of its own (debugSettingFinding).
 */
export function debugPassThrough(setting: EnvSetting): { message: string; requires?: Requirement } | undefined {
  const undefaulted = setting.interpolation?.undefaulted ?? [];
  const on = ON_VALUES[setting.name];
  if (undefaulted.length === 0 || on === undefined || debugVariableEffect(setting.name, setting.value))
    return undefined;
  const one = undefaulted.length === 1;
  const local = (setting.interpolation?.ignoredValues ?? []).map(({ name, value }) => `${name}=${value}`);
  return {
    message:
      `${writtenSetting(setting)}: debug mode is on when ${listed(undefaulted)} ` +
      `${one ? 'is' : 'are'} set to ${on} in the environment that runs compose ` +
      (setting.interpolation?.passThrough
        ? `(unset, the container gets no ${setting.name}, which is off`
        : `(unset, the value is "${setting.value}", which is off`) +
      (local.length > 0
        ? `; the .env beside the file sets ${listed(local)}, but git ignores it: a developer's own, ` +
          'unless it was committed anyway)'
        : ')'),
    ...(setting.name === 'DASH_DEBUG' ? { requires: { kind: 'dash-run-reads-env' } } : {}),
  };
}

/** The debug variable a setting turns on, read with what the model knows of the processes that get it. */
export function debugSettingFinding(model: DeployModel, setting: EnvSetting): DebugSettingFinding | undefined {
  return debugVariableFindingAt(model, setting.name, setting.value, setting.at);
}

/** The same for a variable a rule reads itself (an env file's line, a manifest's entry) at `at`. */
export function debugVariableFindingAt(
  model: DeployModel,
  name: string,
  value: string,
  at: WrittenAt,
): DebugSettingFinding | undefined {
  if (!debugVariableEffect(name, value)) return undefined;
  return debugVariableFinding(name, value, at.path, runsWithSetting(model, at));
}

/** Where a deploy file writes a value: a file and the offsets of the entry. */
type WrittenAt = Pick<SourceSpan, 'path' | 'start' | 'end'>;

/** What runs the processes that get the variable written at `at` (an env entry, an env file's line, an export). */
export function runsWithSetting(model: DeployModel, at: WrittenAt): RunsWith {
  const getting = entrypointsGetting(model, at);
  const flask = oldestFlaskRelease(getting.map((entrypoint) => flaskReleaseOf(entrypoint, model.root)));
  const servers = getting.map((entrypoint) => entrypoint.serves.target);
  if (servers.length === 0 || !servers.every((target) => target.kind === 'wsgi-server')) return flask ? { flask } : {};
  return {
    productionServers: [...new Set(servers.map((target) => (target.kind === 'wsgi-server' ? target.server : '')))],
    ...(flask ? { flask } : {}),
  };
}

/** The entrypoints whose process gets the variable written at `at`: in their environment, scripts or commands. */
export function entrypointsGetting(model: DeployModel, at: WrittenAt): Entrypoint[] {
  const holds = (setting: EnvSetting) =>
    setting.at.path === at.path &&
    ((setting.at.start === at.start && setting.at.end === at.end) ||
      (setting.at.start < at.end && at.start < setting.at.end));
  return model.entrypoints.filter((entrypoint) =>
    [
      ...entrypoint.environment,
      ...entrypoint.command.prefixEnv,
      ...entrypoint.serves.prefixEnv,
      ...entrypoint.scripts.flatMap((script) => [
        ...script.exports,
        ...script.commands.flatMap((command) => command.prefixEnv),
      ]),
    ].some(holds),
  );
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

// Official images of services that run no Python app (databases, caches, proxies): a Flask variable set on them
// turns nothing on.
const IMAGE_WITHOUT_FLASK =
  /^(?:docker\.io\/)?(?:library\/)?(?:mongo|postgres|mysql|mariadb|redis|memcached|nginx|httpd|traefik|caddy|rabbitmq|elasticsearch|adminer|node)(?::[\w.-]+)?(?:@sha256:\w+)?$/i;

/** True for a compose service that runs a database, cache or proxy image and builds nothing of the project. */
export function runsImageWithoutFlask(entrypoint: Entrypoint): boolean {
  return entrypoint.image !== undefined && IMAGE_WITHOUT_FLASK.test(entrypoint.image);
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
 * startCommand or an App Engine entrypoint is a Procfile line): what process-dev-server and process-debug-env read.
 */
export const PROCESS_ENTRYPOINT_KINDS: ReadonlySet<string> = new Set([
  'procfile',
  'supervisord',
  'systemd',
  'npm-script',
  'render',
  'app-engine',
  // Lambda platforms: a zappa stage's environment_variables, a serverless.yml function's environment.
  'zappa',
  'serverless-wsgi',
]);

/** The entrypoints a deploy file defines itself (compose services count for their compose file). */
export function entrypointsDefinedIn(model: DeployModel, path: string): Entrypoint[] {
  return model.entrypoints.filter((entrypoint) => entrypoint.file === path);
}

/** `env.sample`, `.env.example`, `.env.dev-sample`, `config.env.template`: a file to copy from, which nothing loads. */
export const TEMPLATE_ENV_NAME = /(?:^|[._-])(?:example|examples|sample|samples|template|tmpl|dist)(?:[._-]|$)/i;

export function isTemplateEnvFile(path: string): boolean {
  return TEMPLATE_ENV_NAME.test(path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1));
}

/** The settings gunicorn applies itself (-e, GUNICORN_CMD_ARGS, raw_env), each once. */
export function serverSettings(model: DeployModel, of: readonly Entrypoint[] = model.entrypoints): EnvSetting[] {
  const settings = of.flatMap((entrypoint) =>
    entrypoint.environment.filter((setting) => SERVER_ENV_ORIGINS.has(setting.origin)),
  );
  // Each once: stages and services share a command. Two `-e` inside `sh -c "..."` share the command's span.
  const seen = new Set<string>();
  return settings.filter((setting) => {
    const key = `${setting.at.path}\u0000${setting.at.start}\u0000${setting.at.end}\u0000${setting.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a server's own setting is reported: a raw_env item at the command loading its file, others where written. */
export function serverSettingReportedAt(setting: EnvSetting): SourceSpan {
  return setting.origin === 'gunicorn-raw-env' ? (setting.via ?? setting.at) : setting.at;
}

/** How gunicorn came to set the variable, for the message. */
function serverSettingSource(setting: EnvSetting): string {
  const pair = `${setting.name}=${setting.value}`;
  if (setting.origin === 'gunicorn-raw-env')
    return `gunicorn loads ${basename(setting.at.path)}, whose raw_env (line ${setting.at.line}) puts ${pair}`;
  if (setting.origin === 'gunicorn-cmd-args') return `GUNICORN_CMD_ARGS gives gunicorn \`-e ${pair}\`, which puts it`;
  return `gunicorn's \`${setting.words?.map((word) => word.text).join(' ') ?? `-e ${pair}`}\` puts it`;
}

/**
 * gunicorn's own debug settings reported in the deploy file or script at `path` (every rule that reads commands
 * asks): `-e FLASK_DEBUG=1` where it is written, a raw_env item at the command that loads its config file.
 */
export function serverSettingDetections(model: DeployModel, path: string, kinds?: ReadonlySet<string>): Detection[] {
  // A YAML file is read by several rules: each reports the commands of the entrypoints it defines (`kinds`).
  const of = kinds
    ? model.entrypoints.filter((entrypoint) => kinds.has(entrypoint.kind) && entrypoint.file === path)
    : model.entrypoints;
  return serverSettings(model, of).flatMap((setting) => {
    const at = serverSettingReportedAt(setting);
    const found = at.path === path ? debugSettingFinding(model, setting) : undefined;
    if (!found) return [];
    return [
      {
        start: at.start,
        end: at.end,
        message: `${serverSettingSource(setting)} in the app's environment: ${found.effect}`,
        hint:
          setting.origin === 'gunicorn-raw-env'
            ? `remove "${setting.name}=${setting.value}" from raw_env in ${basename(setting.at.path)}; ` +
              'developers opt in with FLASK_DEBUG=1 on their own machine'
            : `remove -e ${setting.name}=${setting.value} from gunicorn's options; ` +
              'developers opt in with FLASK_DEBUG=1 on their own machine',
        ...(found.warningOnly ? { warningOnly: true } : {}),
        ...(found.requires ? { requires: found.requires } : {}),
      },
    ];
  });
}
