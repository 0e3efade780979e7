export { GUNICORN_PIN } from './gunicorn-release.js';
import { describeListenValue, pythonExpression } from './listen-address.js';
import type { ServerSwitch } from './server-switch.js';

/**
 * gunicorn.conf.py for a migrated dev-server command: it listens where the old
 * command did (the same variable with the same default), runs one process with
 * threads as Werkzeug's server did (in-process state keeps working), and loads
 * the .env/.flaskenv files `flask run` loaded.
 */
export function renderGunicornConfig(plan: ServerSwitch): string {
  // The replaced command is not named here (the notice names it): commands of one folder that listened
  // alike share this file, so it must read the same whichever of them asked for it.
  const lines = [
    `"""Gunicorn settings added by secure-flask migrate, replacing Flask's development server.`,
    '',
    `It listens where the command it replaced did: host ${describeListenValue(plan.listen.host)}, ` +
      `port ${describeListenValue(plan.listen.port)}.`,
    'One worker process with threads, like the development server it replaces; set WEB_CONCURRENCY',
    'for more processes once the app keeps no state in memory between requests.',
    '"""',
    '',
    'import os',
    '',
  ];
  if (plan.dotenvFiles.length > 0) {
    lines.push(
      `# \`flask run\` loaded ${plan.dotenvFiles.join(' and ')} into the environment (python-dotenv); keep doing that.`,
      'try:',
      '    from dotenv import load_dotenv',
      'except ImportError:',
      '    pass',
      'else:',
      ...plan.dotenvFiles.map((file) => `    load_dotenv(${JSON.stringify(file)})`),
      '',
    );
  }
  lines.push(
    `_host = ${pythonExpression(plan.listen.host)}`,
    `_port = ${pythonExpression(plan.listen.port)}`,
    'bind = f"{_host}:{_port}"',
    'workers = int(os.environ.get("WEB_CONCURRENCY", "1"))',
    'threads = int(os.environ.get("GUNICORN_THREADS", "4"))',
    'timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))',
    '# Logs go to stdout/stderr, where containers and platforms collect them.',
    'accesslog = "-"',
    'errorlog = "-"',
    '',
  );
  return lines.join('\n');
}
