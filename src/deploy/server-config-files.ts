import { sep } from 'node:path';
import type { Entrypoint } from './model.js';
import { scopeFolderOf } from './scope-folder.js';

/** The entrypoint kinds a server's config file defines, for the server that reads it. */
const CONFIG_SERVERS: ReadonlyMap<string, string> = new Map([
  ['uwsgi-config', 'uwsgi'],
  ['gunicorn-config', 'gunicorn'],
]);

/**
 * A uWSGI or gunicorn config file is an entrypoint of its own only when nothing of the repository runs that
 * server over its folder: `uwsgi --ini app.ini`, or an entrypoint script ending in `exec gunicorn -c
 * gunicorn.conf.py app:app`, already is the run (what the entrypoint finally serves is compared).
 */
export function withoutCommandedConfigs(entrypoints: readonly Entrypoint[]): Entrypoint[] {
  const commanded = entrypoints.filter((entrypoint) => !CONFIG_SERVERS.has(entrypoint.kind));
  return entrypoints.filter((entrypoint) => {
    const server = CONFIG_SERVERS.get(entrypoint.kind);
    if (!server) return true;
    return !commanded.some((other) => {
      const { target } = other.serves;
      const scope = other.scope ?? scopeFolderOf(other.file);
      return (
        target.kind === 'wsgi-server' &&
        target.server === server &&
        (entrypoint.file === scope || entrypoint.file.startsWith(scope.endsWith(sep) ? scope : scope + sep))
      );
    });
  });
}
