import { sep } from 'node:path';
import { expandShell, type FileEntrypoint } from './formats/common.js';
import { scopeFolderOf } from './scope-folder.js';
import { lastStarting } from './script-follow.js';

/** The entrypoint kinds a server's config file defines, for the server that reads it. */
const CONFIG_SERVERS: ReadonlyMap<string, string> = new Map([
  ['uwsgi-config', 'uwsgi'],
  ['gunicorn-config', 'gunicorn'],
]);

/**
 * A uWSGI or gunicorn config file is an entrypoint of its own only when no command of the repository runs that
 * server over its folder: `uwsgi --ini app.ini` or `gunicorn -c gunicorn.conf.py app:app` already is the run.
 */
export function withoutCommandedConfigs(entries: readonly FileEntrypoint[]): FileEntrypoint[] {
  const commanded = entries.filter((entry) => !CONFIG_SERVERS.has(entry.kind));
  return entries.filter((entry) => {
    const server = CONFIG_SERVERS.get(entry.kind);
    if (!server) return true;
    return !commanded.some((other) => {
      const target = lastStarting(expandShell(other.command))?.target ?? other.command.target;
      const scope = other.scope ?? scopeFolderOf(other.file);
      return (
        target.kind === 'wsgi-server' &&
        target.server === server &&
        (entry.file === scope || entry.file.startsWith(scope.endsWith(sep) ? scope : scope + sep))
      );
    });
  });
}
