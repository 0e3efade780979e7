import { basename } from '../model-command.js';
import { fileRole, spanAt, serverCommand, type FileEntrypoint } from './common.js';

/**
 * A gunicorn config file on its own: `gunicorn.conf.py`, which gunicorn loads from its working folder by default,
 * or a `gunicorn_config.py`-like file. One that sets `wsgi_app = "app:app"` is how production serves that app
 * even when no command in the repository names gunicorn (a platform runs plain `gunicorn`). One that names no app
 * still says production serves a WSGI server: an `if __name__ == "__main__":` run beside it is not what runs.
 */

/** gunicorn.conf.py, gunicorn_config.py, gunicorn_conf.py, gunicorn-cfg.py, gunicornconf.py, gunicorn.py. */
export const GUNICORN_CONFIG_NAME = /^gunicorn(?:[._-]?(?:conf|config|cfg))?(?:\.conf)?\.py$/i;

// A top-level assignment of one of gunicorn's settings: what tells a config file from a module named like one.
const GUNICORN_SETTING =
  /^(?:bind|workers|worker_class|threads|timeout|wsgi_app|raw_env|accesslog|errorlog|loglevel|preload_app|keepalive|max_requests|worker_connections|graceful_timeout|daemon|pidfile|certfile|keyfile|chdir|reload|capture_output)[ \t]*=/m;

const WSGI_APP = /^wsgi_app[ \t]*=[ \t]*["']([^"'\n]+)["']/m;

/** True when the file's name and text are a gunicorn config's. */
export function isGunicornConfigFile(path: string, source?: string): boolean {
  return GUNICORN_CONFIG_NAME.test(basename(path)) && (source === undefined || GUNICORN_SETTING.test(source));
}

/** The entrypoint a gunicorn config file defines; none when its text sets no gunicorn setting. */
export function gunicornConfigEntrypoints(path: string, source: string): FileEntrypoint[] {
  if (!isGunicornConfigFile(path, source)) return [];
  const wsgiApp = WSGI_APP.exec(source);
  const name = basename(path);
  const start = wsgiApp?.index ?? 0;
  const at = spanAt(path, source, start, wsgiApp ? start + wsgiApp[0].length : 0);
  const app = wsgiApp?.[1]?.trim();
  const command = serverCommand(['gunicorn', '-c', name, ...(app ? [app] : [])], at, 'gunicorn', app);
  const role = fileRole(path, name.replace(/\.py$/, '')) ?? {
    role: 'production' as const,
    roleReason: app ? 'gunicorn serves the app its wsgi_app names' : 'production serves a WSGI server',
  };
  return [
    {
      kind: 'gunicorn-config',
      // Said in the message that reads it: a config naming no app is evidence of gunicorn, not of what it serves.
      name: app
        ? `gunicorn config ${name} (wsgi_app ${app})`
        : `gunicorn config ${name} (it names no app; production serves a WSGI server)`,
      ...role,
      file: path,
      command,
      environment: [],
      envFiles: [],
    },
  ];
}

/** True for a config entrypoint that names no app: it gives severity evidence, never findings or settings. */
export function namesNoApp(entry: Pick<FileEntrypoint, 'kind' | 'command'>): boolean {
  return entry.kind === 'gunicorn-config' && entry.command.target.kind === 'wsgi-server' && !entry.command.target.app;
}
