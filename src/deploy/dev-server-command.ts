import { unwrapCommand } from './model-command.js';
import type { DeployCommand } from './model.js';

/** A command line that starts Flask's development server instead of a WSGI server. */
export interface DevServerCommand {
  /**
   * `flask run`, `python -m flask run` or `python manage.py runserver`:
   * certain; `python <script>.py`: if the script calls app.run().
   */
  kind: 'flask-run' | 'python-script';
  /** `flask run --debug` (or `--debugger`): the interactive debugger too. */
  debug: boolean;
  script?: string;
  /** The command's words as the model read them, wrappers (`exec`, `env A=1`) removed: options are read here. */
  argv: readonly string[];
  /** Variables set on the command line itself (`FLASK_APP=shop flask run`, `env FLASK_APP=shop ...`). */
  assignments: ReadonlyMap<string, string>;
}

/**
 * What a fix needs to know of a dev-server command, read off the model's
 * classification (the same words check reported): `python -X dev app.py` is
 * the script app.py, as `python -u app.py` is.
 */
export function devServerCommandOf(command: DeployCommand | undefined): DevServerCommand | undefined {
  const kind = devServerKind(command);
  if (!command || !kind) return undefined;
  const words = {
    argv: unwrapCommand(command.argv).argv,
    assignments: new Map(command.prefixEnv.map((setting) => [setting.name, setting.value] as const)),
  };
  return { ...kind, ...words };
}

function devServerKind(command: DeployCommand | undefined): Omit<DevServerCommand, 'argv' | 'assignments'> | undefined {
  const target = command?.target;
  switch (target?.kind) {
    case 'flask-run':
      return { kind: 'flask-run', debug: target.debug };
    case 'manage-run':
      // Flask-Script's runserver is the dev server itself; `manage.py run` is confirmed in Python like a script.
      return target.subcommand === 'runserver'
        ? { kind: 'flask-run', debug: false }
        : { kind: 'python-script', debug: false, script: target.script };
    case 'python-script':
      return { kind: 'python-script', debug: false, script: target.script };
    default:
      return undefined;
  }
}

export const DEV_SERVER_PREFILTER = /flask|python|runserver/;
