/** A command line that starts Flask's development server instead of a WSGI server. */
export interface DevServerCommand {
  /** `flask run`, `python -m flask run` or `python manage.py runserver`: certain; `python <script>.py`: if the script calls app.run(). */
  kind: 'flask-run' | 'python-script';
  /** `flask run --debug` (or `--debugger`): the interactive debugger too. */
  debug: boolean;
  script?: string;
  /** Offsets of the matched command within the text given. */
  start: number;
  end: number;
}

const COMMAND_START = String.raw`(?:^|[\s;&|"'\[,(/])`;
const FLASK_RUN = new RegExp(`${COMMAND_START}((?:python[\\d.]*\\s+-m\\s+)?flask\\b[^;&|\\n"'\\]]*?\\brun\\b[^;&|\\n]*)`);
const FLASK_DEBUG_FLAG = /\s--debug(?:ger)?\b/;
const MANAGE_RUNSERVER = new RegExp(`${COMMAND_START}(python[\\d.]*\\s+(?:\\S+/)?manage\\.py["',\\s]+runserver\\b)`);
const PYTHON_SCRIPT = new RegExp(`${COMMAND_START}(python[\\d.]*(?:\\s+-[a-zA-Z]+)*["',\\s]+((?:[\\w.-]+/)*[\\w.-]+\\.py)\\b)`);

export function findDevServerCommand(text: string): DevServerCommand | undefined {
  const flaskRun = FLASK_RUN.exec(text);
  if (flaskRun?.[1]) {
    const start = flaskRun.index + flaskRun[0].length - flaskRun[1].length;
    // `flask --debug run` puts the flag before the subcommand.
    const before = text.slice(Math.max(0, start - 1), start + flaskRun[1].length);
    return { kind: 'flask-run', debug: FLASK_DEBUG_FLAG.test(` ${before}`), start, end: start + flaskRun[1].length };
  }
  const runserver = MANAGE_RUNSERVER.exec(text);
  if (runserver?.[1]) {
    const start = runserver.index + runserver[0].length - runserver[1].length;
    return { kind: 'flask-run', debug: false, start, end: start + runserver[1].length };
  }
  const script = PYTHON_SCRIPT.exec(text);
  if (script?.[1] && script[2]) {
    const start = script.index + script[0].length - script[1].length;
    return { kind: 'python-script', debug: false, script: script[2], start, end: start + script[1].length };
  }
  return undefined;
}

export const DEV_SERVER_PREFILTER = /flask|python|runserver/;
