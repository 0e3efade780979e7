import { dirname, resolve, sep } from 'node:path';
import { flaskCommandIgnoresRun, flaskCommandResetsDebug } from './flask-command-debug.js';
import { type DotenvOptions, dotenvNotRead } from './dotenv-reach.js';
import { covers, describe, type FindingReach, inScope, scopeOf } from './reach-basics.js';
import { processSettings } from './selector-reach.js';

export { isHelmChart, scopeFolderOf } from './scope-folder.js';
import {
  effectiveEnvironment,
  servesApp,
  type CommandBranch,
  type DeployCommand,
  type DeployModel,
  type Entrypoint,
  type EnvSetting,
  type ScriptRole,
} from './model.js';

/**
 * Deployment-aware severity: which entrypoints reach a finding. Reached by a
 * production entrypoint: error. Only by development ones: warning. Nothing
 * known (no deploy files, or none that runs this code): error, as without
 * a model, since we cannot show it is safe.
 */

export type { FindingReach, Reach, ReachingEntrypoint } from './reach-basics.js';

function fromReachers(reachers: Entrypoint[], what: string): FindingReach {
  const [first] = reachers;
  if (!first) throw new Error(`no entrypoint runs ${what}: a reach needs at least one`);
  const production = reachers.filter((entrypoint) => entrypoint.role === 'production');
  const chosen = production.length > 0 ? production : reachers;
  const names = chosen
    .slice(0, 3)
    .map((entrypoint) => {
      // A final stage without CMD runs its base image's own command: say so, not an empty ``.
      const command = describe(entrypoint).command;
      return `${entrypoint.name} (${command ? `\`${command}\`` : "its base image's command"})`;
    })
    .join(', ');
  const more = chosen.length > 3 ? ` and ${chosen.length - 3} more` : '';
  return production.length > 0
    ? {
        reach: 'production',
        level: 'error',
        entrypoints: production.map(describe),
        reason: `production runs ${what}: ${names}${more}`,
      }
    : {
        reach: 'development',
        level: 'warning',
        entrypoints: reachers.map(describe),
        reason: `only development runs ${what}: ${names}${more} (${first.roleReason})`,
      };
}

const UNKNOWN: FindingReach = { reach: 'unknown', level: 'error', entrypoints: [], reason: '' };

/**
 * The development-only branch of a script (`if [ "$APP_ENV" =
 * development ]`) that a command or export at the span runs in.
 */
function developmentBranchAt(model: DeployModel, path: string, start: number, end: number): CommandBranch | undefined {
  for (const script of model.entrypoints.flatMap((entrypoint) => entrypoint.scripts)) {
    if (script.path !== path) continue;
    const settings = [...script.exports, ...script.commands.flatMap((command) => command.prefixEnv)];
    for (const item of [...script.commands, ...settings]) {
      if (item.branch?.development && item.at.start === start && item.at.end === end) return item.branch;
    }
  }
  return undefined;
}

/** A finding in a deploy file, script or env file: the entrypoints whose command, environment or scripts hold it. */
export function reachOfDeployFinding(
  model: DeployModel,
  path: string,
  start: number,
  end: number,
  options: DotenvOptions = {},
): FindingReach {
  const branch = developmentBranchAt(model, path, start, end);
  if (branch) {
    const runners = model.entrypoints.filter((entrypoint) => entrypoint.scripts.some((script) => script.path === path));
    const names = runners
      .slice(0, 3)
      .map((entrypoint) => entrypoint.name)
      .join(', ');
    return {
      reach: 'development',
      level: 'warning',
      entrypoints: runners.map(describe),
      reason: branch.optIn
        ? `only development runs it: the branch \`${branch.condition}\` is an opt-in (${branch.optIn} is off ` +
          `unless set, and ${names}, which runs the script, does not set it)`
        : `only development runs it: the branch \`${branch.condition}\` of a script ${names} runs; ` +
          'production takes another branch',
    };
  }
  const reachers = model.entrypoints.flatMap((entrypoint) => {
    if (
      entrypoint.command.parts.some((span) => covers(span, path, start, end)) ||
      covers(entrypoint.command.at, path, start, end) ||
      covers(entrypoint.serves.at, path, start, end) ||
      entrypoint.environment.some(
        (setting) =>
          covers(setting.at, path, start, end) || (setting.via !== undefined && covers(setting.via, path, start, end)),
      )
    )
      return [entrypoint];
    // A script's line runs in the role of the script it is in (a venv-making dev script a start script calls).
    const scripts = entrypoint.scripts.filter((script) => script.path === path);
    return scripts.length > 0
      ? [
          inRoles(
            entrypoint,
            scripts.map((script) => script.role),
          ),
        ]
      : [];
  });
  if (reachers.length > 0) return fromReachers(reachers, 'it');
  const unread = dotenvNotRead(model, path, options);
  if (unread) return unread;
  const copy = model.copies.find((candidate) => covers(candidate.at, path, start, end));
  const sameFile = model.entrypoints.filter((entrypoint) => entrypoint.file === path);
  if (copy || sameFile.length > 0) {
    if (
      copy?.role === 'development' ||
      (sameFile.length > 0 && sameFile.every((entrypoint) => entrypoint.role === 'development'))
    ) {
      return fromReachers(sameFile, 'this file');
    }
    return sameFile.length > 0 ? fromReachers(sameFile, 'this file') : UNKNOWN;
  }
  return UNKNOWN;
}

/**
 * True when a command's `python <script>` names this file
 * (relative to where it is written, or an absolute path's tail).
 */
function runsScript(entrypoint: Entrypoint, file: string): boolean {
  return scriptRunsOf(entrypoint, file).length > 0;
}

/** The commands of the entrypoint that run `file` as a script (see runsScript). */
function scriptRunsOf(entrypoint: Entrypoint, file: string): DeployCommand[] {
  const commands = [entrypoint.command, entrypoint.serves, ...entrypoint.scripts.flatMap((script) => script.commands)];
  // The file the model found the command to run (the image's, the deploy file's folder's): that one only.
  const found = commands.filter(
    (command) =>
      (command.target.kind === 'python-script' || command.target.kind === 'manage-run') && command.target.file === file,
  );
  if (found.length > 0) return found;
  if (!inScope(entrypoint, file)) return [];
  return commands.filter((command) => {
    const { target } = command;
    if (target.kind !== 'python-script' && target.kind !== 'manage-run') return false;
    if (target.file !== undefined) return false;
    const script = target.script.replace(/^\.\//, '');
    if (resolve(dirname(command.at.path), script) === file || resolve(scopeOf(entrypoint), script) === file)
      return true;
    // `python /srv/app/run.py`, or a container WORKDIR: match the path's tail within the scope.
    const parts = script.split('/').filter((part) => part !== '' && part !== '.');
    if (!script.startsWith('/') && entrypoint.workingDirectory === undefined) return false;
    return parts.some((_part, index) => file.endsWith(sep + parts.slice(index).join(sep)));
  });
}

/**
 * The value a deploy entrypoint that runs `file` as a script gives `variable`, when `accepts` takes it
 * (its environment, then its scripts' exports, then the command's own prefix: later settings win).
 */
export function scriptSettingOf(
  model: DeployModel,
  file: string,
  variable: string,
  accepts: (value: string) => boolean,
): { entrypoint: Entrypoint; setting: EnvSetting } | undefined {
  for (const entrypoint of model.entrypoints.filter((candidate) => runsScript(candidate, file))) {
    const setting = processSettings(entrypoint)
      .filter((candidate) => candidate.name === variable)
      .at(-1);
    if (setting && accepts(setting.value)) return { entrypoint, setting };
  }
  return undefined;
}

/** The module a WSGI server or `flask run` imports, as file path tails: `app:app` -> app.py, app/__init__.py. */
export function servedModuleTails(entrypoint: Entrypoint): string[] {
  const { target } = entrypoint.serves;
  let app: string | undefined;
  if (target.kind === 'wsgi-server') app = target.app;
  else if (target.kind === 'flask-run') {
    // FLASK_APP wherever the entrypoint sets it: its environment, a script's export, `FLASK_APP=run.py flask run`.
    const flaskApp = target.app ?? effectiveEnvironment(entrypoint).get('FLASK_APP')?.value;
    app = flaskApp ?? 'app';
  }
  if (!app) return [];
  const module = (app.split(':')[0] ?? '').replace(/\.py$/, '').replace(/\(.*$/, '');
  const parts = module.split(/[./]/).filter(Boolean);
  return parts.length > 0 ? [`${sep + parts.join(sep)}.py`, sep + [...parts, '__init__.py'].join(sep)] : [];
}

/** The entrypoint serves the app: a server, `flask run`, or a script that may run it (not `python3 configure.py`). */
function importsProjectCode(entrypoint: Entrypoint): boolean {
  return servesApp(entrypoint.serves.target);
}

/**
 * The entrypoint as the commands or scripts that reach a finding run it: development when each of them is in a
 * script that decides it is for development (a start script calling a venv-making dev script), else as it is.
 */
/** A command in a script's development-only branch (`if [ "$1" = "-d" ]`, `"$APP_ENV" = development`). */
function branchRole(command: DeployCommand): ScriptRole | undefined {
  const branch = command.branch;
  return branch?.development
    ? { role: 'development', reason: `it runs only in the branch \`${branch.condition}\` of its script` }
    : undefined;
}

function inRoles(
  entrypoint: Entrypoint,
  roles: readonly (ScriptRole | undefined)[],
  runs: readonly DeployCommand[] = [],
): Entrypoint {
  const [first] = roles;
  if (entrypoint.role === 'development' || !first || roles.some((role) => role?.role !== 'development'))
    return entrypoint;
  // Named by the command that reaches the finding, not the server the entrypoint ends with.
  const [run] = runs;
  return { ...entrypoint, role: 'development', roleReason: first.reason, ...(run ? { serves: run } : {}) };
}

/**
 * A finding in Python code. Code under `if __name__ == "__main__":` runs only
 * when an entrypoint runs the file as a script; other code runs wherever the
 * app is imported (a script run directly, like a dev_server.py, only there).
 */
export function reachOfPythonFinding(
  model: DeployModel,
  file: string,
  underMainGuard: boolean,
  importedWithin: (file: string, folders: readonly string[]) => boolean = () => true,
  options: PythonReachOptions = {},
): FindingReach {
  // Each runner in the role of the commands that run the file (a dev script's `python -m app.run` is development).
  const scriptRunners = model.entrypoints.flatMap((entrypoint) => {
    const runs = scriptRunsOf(entrypoint, file);
    return runs.length > 0
      ? [
          inRoles(
            entrypoint,
            runs.map((command) => branchRole(command) ?? command.role),
            runs,
          ),
        ]
      : [];
  });
  const appServers = model.entrypoints.filter(
    (entrypoint) => importsProjectCode(entrypoint) && inScope(entrypoint, file),
  );
  const nameAndCommand = (entrypoint: Entrypoint): string => `${entrypoint.name} (\`${describe(entrypoint).command}\`)`;
  const notRun = (never: string): FindingReach =>
    notRunBy(appServers, (who, shown) => `${who} ${shown.map(nameAndCommand).join(', ')}, which ${never}`);
  if (underMainGuard) {
    if (scriptRunners.length > 0) return fromReachers(scriptRunners, 'this file as a script');
    if (appServers.length === 0) return UNKNOWN;
    return notRun('never runs this `if __name__ == "__main__":` block');
  }
  const served = appServers.filter((entrypoint) =>
    servedModuleTails(entrypoint).some((tail) => file === scopeOf(entrypoint) + tail || file.endsWith(tail)),
  );
  const reachedBy = (reachers: Entrypoint[], what: string): FindingReach =>
    options.debugThroughConfig ? configReach(reachers, what) : fromReachers(reachers, what);
  // An app.run() the flask command imports returns at once there (Flask 1.0 and later): those serve no debugger.
  const ignoring = options.runCall ? served.filter(flaskCommandIgnoresRun) : [];
  const serving = served.filter((entrypoint) => !ignoring.includes(entrypoint));
  if (ignoring.length > 0 && serving.length === 0 && scriptRunners.length === 0)
    return runIgnoredReach(ignoring, nameAndCommand);
  // A script an entrypoint runs directly (a dev_server.py) and that no server imports is reached by its runners only.
  if (serving.length > 0 || scriptRunners.length > 0)
    return reachedBy(
      [...new Set([...serving, ...scriptRunners])],
      serving.length > 0 ? 'the app' : 'this file as a script',
    );
  if (appServers.length === 0) return UNKNOWN;
  // A script no module of the served code imports (a manage.py calling the shared factory) runs only where it is run.
  if (!importedWithin(file, [...new Set(appServers.map(scopeOf))]))
    return notRun('never imports this file: no module beside it imports it');
  // Other modules: wherever the app is imported.
  return reachedBy(appServers, 'the app');
}

export interface PythonReachOptions {
  /** The finding turns debug mode on through the app's config, which the flask command resets (debugThroughConfig). */
  debugThroughConfig?: boolean;
  /** The finding is an app.run() call, which the flask command (Flask 1.0 and later) makes return at once. */
  runCall?: boolean;
}

/** A module-level app.run() that only `flask run` imports: from Flask 1.0 it returns there without serving. */
function runIgnoredReach(ignoring: Entrypoint[], named: (entrypoint: Entrypoint) => string): FindingReach {
  return notRunBy(
    ignoring,
    (who, shown) =>
      `${who} the app with \`flask run\`: ${shown.map(named).join(', ')}, under which app.run() returns without ` +
      'serving (Flask 1.0 and later); a Flask before 1.0 would start its server, debugger included, on import',
  );
}

/** A warning: the entrypoints run the app but not the finding's code. Names the production ones, else the others. */
function notRunBy(entrypoints: Entrypoint[], reason: (who: string, shown: Entrypoint[]) => string): FindingReach {
  const production = entrypoints.filter((entrypoint) => entrypoint.role === 'production');
  const shown = (production.length > 0 ? production : entrypoints).slice(0, 3);
  const who = production.length > 0 ? 'production runs' : 'only development runs';
  return { reach: 'not-run', level: 'warning', entrypoints: shown.map(describe), reason: reason(who, shown) };
}

/**
 * The reach of a debug setting in the app's config: `flask run` sets app.debug from FLASK_DEBUG once it has loaded
 * the app and serves the debugger only when that flag is on, so a production `flask run` without it serves none.
 */
function configReach(reachers: Entrypoint[], what: string): FindingReach {
  const production = reachers.filter((entrypoint) => entrypoint.role === 'production');
  const resetting = production.filter(flaskCommandResetsDebug);
  if (production.length === 0 || resetting.length < production.length)
    return fromReachers(
      reachers.filter((entrypoint) => !resetting.includes(entrypoint)),
      what,
    );
  const names = resetting
    .slice(0, 3)
    .map((entrypoint) => {
      // A final stage without CMD runs its base image's own command: say so, not an empty ``.
      const command = describe(entrypoint).command;
      return `${entrypoint.name} (${command ? `\`${command}\`` : "its base image's command"})`;
    })
    .join(', ');
  return {
    reach: 'not-run',
    level: 'warning',
    entrypoints: resetting.map(describe),
    reason:
      `production runs ${what} with \`flask run\`: ${names}, which sets debug mode from FLASK_DEBUG (not set ` +
      'there) once it has loaded the app, so this setting serves no debugger there; app.run(), gunicorn and ' +
      'waitress keep it',
  };
}
