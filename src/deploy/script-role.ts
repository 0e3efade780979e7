import { basename, unwrapCommand } from './model-command.js';
import { servesApp, type DeployCommand, type ScriptRole } from './model.js';

/** A script named for development: run-local.sh, start_dev.sh, debug.sh. */
export const DEVELOPMENT_SCRIPT_NAME = /(?:^|[._-])(?:dev|develop|development|local|debug|test)(?:[._-]|$)/i;

const PYTHON = /^python(?:\d+(?:\.\d+)*)?w?$|^py$/;
// A virtualenv in the checkout (`source .venv/bin/activate`); one at an absolute path (/srv/app/venv) is a server's.
const ACTIVATES_VIRTUALENV = /^[ \t]*(?:source|\.)[ \t]+(?![/$~])\S*(?:bin|Scripts)[\\/]activate\b/m;

/** What a command does to set up a developer's environment, in words; undefined when it does none of it. */
function setupStep(command: DeployCommand): string | undefined {
  const argv = unwrapCommand(command.argv).argv;
  const program = basename(argv[0] ?? '');
  const [first, second] = [argv[1], argv[2]];
  // `python3 -m venv .venv`, `$PYTHON -m venv venv` (a variable naming the interpreter), `virtualenv env`.
  if (
    (PYTHON.test(program) || program.startsWith('$')) &&
    first === '-m' &&
    (second === 'venv' || second === 'virtualenv')
  )
    return 'creates a virtualenv';
  if (program === 'virtualenv' || (program === 'uv' && first === 'venv') || (program === 'conda' && first === 'create'))
    return 'creates a virtualenv';
  // `pip install -r requirements.txt`, `python -m pip install ...`: packages installed where the script runs.
  const pip =
    program === 'pip' || program === 'pip3' ? 1 : PYTHON.test(program) && first === '-m' && second === 'pip' ? 3 : 0;
  if (pip > 0 && argv[pip] === 'install') return 'installs its packages with pip';
  return undefined;
}

/**
 * The role a shell script decides from what it does as a whole, when it decides one: starting a WSGI server is
 * production; a script named for development, or one that sets up its own environment (makes a virtualenv,
 * pip-installs) and then starts only Flask's development server (`flask run`, `python app.py`, `python -m pkg`),
 * is a developer's local setup. Undefined: the script takes its caller's role.
 */
export function scriptRole(path: string, commands: readonly DeployCommand[], text = ''): ScriptRole | undefined {
  const server = commands.find((command) => command.target.kind === 'wsgi-server' && !command.branch?.development);
  if (server?.target.kind === 'wsgi-server') return { role: 'production', reason: `it starts ${server.target.server}` };
  const name = basename(path);
  if (DEVELOPMENT_SCRIPT_NAME.test(name)) return { role: 'development', reason: `${name} is named for development` };
  const devServer = commands.some((command) => servesApp(command.target));
  // `source .venv/bin/activate` (a shell builtin, not among the commands): the checkout's own virtualenv, a
  // developer's. A script that also starts gunicorn is production above.
  const setup =
    commands.map(setupStep).find((step) => step !== undefined) ??
    (ACTIVATES_VIRTUALENV.test(text) ? 'activates a virtualenv' : undefined);
  if (devServer && setup)
    return {
      role: 'development',
      reason: `it ${setup} and starts Flask's development server: a developer's local setup`,
    };
  return undefined;
}
