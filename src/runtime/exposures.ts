/**
 * What a running server can give away, as data: the probe reports these, the
 * reports describe them (SARIF rules, text), and nothing else names them.
 */
export type ExposureId = 'debugger-served' | 'debugger-console' | 'error-traceback' | 'development-server';

export interface ExposureKind {
  id: ExposureId;
  title: string;
  /** error: the debugger or the code is exposed; warning: a risk, not a console. */
  severity: 'error' | 'warning';
  why: string;
  fix: string;
}

export const EXPOSURE_KINDS: Record<ExposureId, ExposureKind> = {
  'debugger-served': {
    id: 'debugger-served',
    title: "Werkzeug's debugger middleware answers requests",
    severity: 'error',
    why:
      "The server answers the debugger's own resource requests (?__debugger__=yes&cmd=resource), " +
      'so DebuggedApplication wraps the app: any exception shows source, locals and paths, ' +
      'and with evalex the page offers a Python console.',
    fix:
      'Turn debug mode off in production: no debug=True, no FLASK_DEBUG, no DebuggedApplication; ' +
      'serve with gunicorn or waitress.',
  },
  'debugger-console': {
    id: 'debugger-console',
    title: "Werkzeug's interactive console is served",
    severity: 'error',
    why:
      "Werkzeug's console runs Python inside the server. A PIN guards it only when pin_security is on; " +
      'without one (or with WERKZEUG_DEBUG_PIN=off) it is remote code execution for anyone who reaches the URL.',
    fix:
      'Remove the debugger from production (evalex=True, debug=True, FLASK_DEBUG); ' +
      'a PIN is not a production control.',
  },
  'error-traceback': {
    id: 'error-traceback',
    title: 'An error page shows a Python traceback',
    severity: 'error',
    why: 'A traceback in an HTTP answer discloses source lines, file paths and sometimes values (CWE-215).',
    fix: 'Let the WSGI server answer errors with a generic page; keep tracebacks in the server log.',
  },
  'development-server': {
    id: 'development-server',
    title: "Werkzeug's development server answers",
    severity: 'warning',
    why:
      "The Server header names Werkzeug's development server, which is not built for production traffic " +
      'and is what app.run() and flask run start.',
    fix: 'Serve the app with a WSGI server (gunicorn, waitress) in production.',
  },
};

export interface Exposure {
  id: ExposureId;
  severity: 'error' | 'warning';
  /** The request that showed it. */
  url: string;
  message: string;
  /** What in the answer showed it: status, content type, a header or a body marker. */
  evidence: string;
}

export function exposure(id: ExposureId, url: string, message: string, evidence: string): Exposure {
  return { id, severity: EXPOSURE_KINDS[id].severity, url, message, evidence };
}

export function isExposed(exposures: readonly Exposure[]): boolean {
  return exposures.some((found) => found.severity === 'error');
}
