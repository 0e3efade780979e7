import type { DeployCommand } from './model.js';

// What a Python script's text shows of serving an app: a server's run (app.run(), run_server(), socketio.run(app),
// but not subprocess/asyncio's run), a WSGI server it starts itself, or a CLI or entry function it imports (which
// may start one elsewhere). Any of them, or any doubt, and the script may serve: only a script that shows none is
// a tool (a compose generator, a database seed).
const SERVES =
  /(?<!\b(?:subprocess|asyncio|trio|anyio|runpy))\.run(?:_server)?\s*\(|\b(?:serve|run_simple|make_server|run_path|run_module|execfile|exec)\s*\(|\b(?:WSGIServer|HTTPServer|FlaskGroup|uvicorn|gunicorn|waitress|hypercorn|cheroot|bjoern|tornado|eventlet|gevent|werkzeug\.serving)\b|^[ \t]*(?:from[ \t]+\S+[ \t]+)?import[ \t]+[^\n#]*\b(?:main|cli|run|run_app|start|start_app|serve|manager)\b|\bflask[ \t]+run\b/m;

/**
 * Marks a `python <script>` (or a resolved `python -m`) whose file the repository holds and whose text starts no
 * server: it is not a run of the app (`python3 configure.py` writing a compose file). `find` locates the script
 * as the command names it; a script not found is left as it is, as one that may serve.
 */
export function markNonServingScript(
  command: DeployCommand,
  find: (script: string) => string | undefined,
  read: (path: string) => string | undefined,
): void {
  const { target } = command;
  if (target.kind !== 'python-script' || target.servesApp !== undefined) return;
  const path = find(target.script);
  const text = path === undefined ? undefined : read(path);
  if (text === undefined || SERVES.test(text)) return;
  // A module of the project it imports starts the server when imported if it calls run() at its top level (no
  // __main__ guard); one that only builds the app (`from app import create_app` in a seed script) does not.
  const folder = target.script.includes('/') ? target.script.slice(0, target.script.lastIndexOf('/') + 1) : '';
  for (const [, from, plain] of text.matchAll(IMPORT)) {
    const module = from ?? plain ?? '';
    if (module.startsWith('.')) return;
    const first = module.split('.')[0] ?? '';
    for (const candidate of [`${folder}${first}.py`, `${folder}${first}/__init__.py`]) {
      const found = find(candidate);
      if (found !== undefined && TOP_LEVEL_RUN.test(read(found) ?? '')) return;
    }
  }
  target.servesApp = false;
}

// `app.run(...)`, `socketio.run(app)`, `app.run_server()` written at a module's top level (not indented).
const TOP_LEVEL_RUN = /^[A-Za-z_][\w.]*\.run(?:_server)?[ \t]*\(/m;
const IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w.]+))/gm;
