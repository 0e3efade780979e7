import type { RuleReferences } from './rule.js';

/**
 * The documents and other tools' rules our rule pages cite, named once so each
 * rule object lists them by name. URLs point at "stable" docs, which follow releases.
 */

// CWE-489: active debug code; CWE-215: sensitive information in debugging code.
export const DEBUGGER_CWES = [489, 215] as const;

// CWE-215 alone: a debug mode that discloses (tracebacks, locals) without running code.
export const DISCLOSURE_CWES = [215] as const;

export const DOCS = {
  flaskDebugMode: {
    title: 'Flask: Debugging Application Errors',
    url: 'https://flask.palletsprojects.com/en/stable/debugging/',
  },
  flaskQuickstartDebug: {
    title: 'Flask quickstart: Debug Mode',
    url: 'https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode',
  },
  flaskDebugConfig: {
    title: 'Flask configuration: DEBUG',
    url: 'https://flask.palletsprojects.com/en/stable/config/#DEBUG',
  },
  flaskConfigBasics: {
    title: 'Flask configuration: Debug Mode',
    url: 'https://flask.palletsprojects.com/en/stable/config/#debug-mode',
  },
  flaskDotenv: {
    title: 'Flask CLI: Environment Variables From dotenv',
    url: 'https://flask.palletsprojects.com/en/stable/cli/#environment-variables-from-dotenv',
  },
  flaskDevServer: { title: 'Flask: Development Server', url: 'https://flask.palletsprojects.com/en/stable/server/' },
  flaskDeploying: {
    title: 'Flask: Deploying to Production',
    url: 'https://flask.palletsprojects.com/en/stable/deploying/',
  },
  werkzeugDebugger: {
    title: 'Werkzeug: Debugging Applications',
    url: 'https://werkzeug.palletsprojects.com/en/stable/debug/',
  },
  werkzeugServing: {
    title: 'Werkzeug: Serving WSGI Applications (run_simple)',
    url: 'https://werkzeug.palletsprojects.com/en/stable/serving/',
  },
  socketioDebug: {
    title: 'Flask-SocketIO: SocketIO.run()',
    url: 'https://flask-socketio.readthedocs.io/en/latest/api.html#flask_socketio.SocketIO.run',
  },
  quartDeploy: {
    title: 'Quart: Deploying to Production',
    url: 'https://quart.palletsprojects.com/en/latest/tutorials/deployment.html',
  },
  gunicornDeploy: { title: 'Gunicorn: Deploying Gunicorn', url: 'https://docs.gunicorn.org/en/stable/deploy.html' },
} as const;

export const EQUIVALENTS = {
  banditB201: {
    tool: 'Bandit',
    id: 'B201 flask_debug_true',
    url: 'https://bandit.readthedocs.io/en/latest/plugins/b201_flask_debug_true.html',
    note:
      'a literal `debug=True` in a `.run()` call of a module that imports flask: a Dash or Connexion module ' +
      'that does not import flask itself is not looked at',
  },
  ruffS201: {
    tool: 'Ruff',
    id: 'S201 flask-debug-true',
    url: 'https://docs.astral.sh/ruff/rules/flask-debug-true/',
    note: 'a literal `debug=True` in a `.run()` call',
  },
  semgrepDebugEnabled: {
    tool: 'Semgrep',
    id: 'python.flask.security.audit.debug-enabled.debug-enabled',
    url: 'https://semgrep.dev/r/python.flask.security.audit.debug-enabled.debug-enabled',
    note:
      'a literal `debug=True` in `$APP.run()` in a module that imports flask: a Dash or Connexion module ' +
      'that does not import flask itself is not looked at',
  },
  semgrepHardcodedDebug: {
    tool: 'Semgrep',
    id: 'python.flask.security.audit.hardcoded-config.avoid_hardcoded_config_DEBUG',
    url: 'https://semgrep.dev/r/python.flask.security.audit.hardcoded-config.avoid_hardcoded_config_DEBUG',
    note: "literal `config['DEBUG'] = True` and `.update(DEBUG=True)`",
  },
  codeqlFlaskDebug: {
    tool: 'CodeQL',
    id: 'py/flask-debug',
    url: 'https://codeql.github.com/codeql-query-help/python/py-flask-debug/',
    note: "a true `debug` argument to a Flask app's `run()`, followed through data flow",
  },
  sonarS4507: {
    tool: 'Sonar',
    id: 'S4507',
    url: 'https://rules.sonarsource.com/python/RSPEC-4507/',
    note: 'debug features activated in `app.run()`',
  },
} as const satisfies Record<string, RuleReferences['equivalents'][number]>;

export function cweUrl(id: number): string {
  return `https://cwe.mitre.org/data/definitions/${id}.html`;
}
