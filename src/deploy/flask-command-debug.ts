import { dirname } from 'node:path';
import { debugVariableEffect, debugVariableIsWarningOnly } from './debug-variables.js';
import { flaskReleaseOf } from './flask-release.js';
import { effectiveEnvironment, type Entrypoint } from './model.js';

/**
 * True when the entrypoint serves the app with `flask run` in a way that overwrites the debug mode the app's
 * config sets: flask.cli's ScriptInfo.load_app sets `app.debug = get_debug_flag()` once the app is loaded, and
 * run_command serves the debugger and reloader only when that flag is on (Flask 1.0 to 3.1 alike). The flag is
 * FLASK_DEBUG (`--debug` sets it), or FLASK_ENV=development before Flask 2.3; `--debugger` serves the console
 * whatever it says. The environment includes the .flaskenv and .env that `flask run` loads.
 */
export function flaskCommandResetsDebug(entrypoint: Entrypoint): boolean {
  const { target } = entrypoint.serves;
  if (target.kind !== 'flask-run' || target.debug) return false;
  const environment = effectiveEnvironment(entrypoint);
  const debug = environment.get('FLASK_DEBUG');
  if (debug && debugVariableEffect(debug.name, debug.value)) return false;
  // FLASK_ENV=development turns it on before Flask 2.3: where the entrypoint's pin or image says that Flask runs
  // (the FLASK_ENV finding is an error there too).
  const env = environment.get('FLASK_ENV');
  if (!env || !debugVariableEffect(env.name, env.value)) return true;
  return debugVariableIsWarningOnly('FLASK_ENV', flaskReleaseOf(entrypoint, dirname(entrypoint.file)));
}

/**
 * True when the entrypoint imports the app with `flask run` and a module-level `app.run()` there serves nothing:
 * from Flask 1.0 the flask command sets FLASK_RUN_FROM_CLI and Flask.run returns at once under it. A Flask
 * before 1.0 pinned for the entrypoint starts its server (the debugger too) at import: not ignored there.
 */
export function flaskCommandIgnoresRun(entrypoint: Entrypoint): boolean {
  if (entrypoint.serves.target.kind !== 'flask-run') return false;
  const release = flaskReleaseOf(entrypoint, dirname(entrypoint.file));
  return release.major === undefined || release.major >= 1;
}
