import { debugVariableEffect } from './debug-variables.js';
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
  // FLASK_ENV=development turns it on under an older Flask: which one is installed is not settled here.
  return ['FLASK_DEBUG', 'FLASK_ENV'].every((name) => {
    const setting = environment.get(name);
    return setting === undefined || debugVariableEffect(name, setting.value) === undefined;
  });
}
