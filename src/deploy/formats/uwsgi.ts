import { basename } from '../model-command.js';
import { isMap, isScalar, type parseYamlDocuments } from '../yaml-nodes.js';
import { fileRole, spanAt, serverCommand, type FileEntrypoint } from './common.js';
import { iniEntries } from './ini.js';

/**
 * A uWSGI config file: an ini's `[uwsgi]` section or a YAML's top-level `uwsgi:` map, found by content whatever
 * the file's name (uwsgi.ini, app.ini, deploy/uwsgi/site.ini). uWSGI serves the app it names with a WSGI server,
 * so it is a production entrypoint even when no command in the repository runs `uwsgi --ini` (a host's emperor
 * or a platform loads it).
 */

/** An option as the file writes it: its value and where the line is. */
interface UwsgiOption {
  key: string;
  value: string;
  start: number;
  end: number;
}

/** True when an ini-style text has a `[uwsgi]` section. */
export const UWSGI_SECTION = /^[ \t]*\[[ \t]*uwsgi[ \t]*\]/m;

/** The entrypoint of an ini's `[uwsgi]` section; none without one. */
export function uwsgiIniEntrypoints(path: string, source: string): FileEntrypoint[] {
  if (!UWSGI_SECTION.test(source)) return [];
  const options = iniEntries(source)
    .filter((entry) => entry.section.toLowerCase() === 'uwsgi')
    .map(({ key, value, start, end }) => ({ key, value, start, end }));
  const header = UWSGI_SECTION.exec(source);
  const headerAt = header ? header.index + (header[0].length - header[0].trimStart().length) : 0;
  return [uwsgiEntrypoint(path, source, options, headerAt)];
}

/** The entrypoint of a YAML config's top-level `uwsgi:` map; none without one. */
export function uwsgiYamlEntrypoints(
  path: string,
  source: string,
  documents: ReturnType<typeof parseYamlDocuments>,
): FileEntrypoint[] {
  for (const document of documents) {
    const root = document.contents;
    if (!isMap(root)) continue;
    const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'uwsgi');
    if (!pair || !isMap(pair.value)) continue;
    const options: UwsgiOption[] = [];
    for (const item of pair.value.items) {
      const range = (item.key as { range?: [number, number, number] } | null)?.range;
      const valueRange = (item.value as { range?: [number, number, number] } | null)?.range;
      if (!isScalar(item.key) || !isScalar(item.value) || !range) continue;
      options.push({
        key: String(item.key.value),
        value: String(item.value.value),
        start: range[0],
        end: valueRange?.[1] ?? range[1],
      });
    }
    const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
    return [uwsgiEntrypoint(path, source, options, keyRange?.[0] ?? 0)];
  }
  return [];
}

function uwsgiEntrypoint(path: string, source: string, options: UwsgiOption[], headerAt: number): FileEntrypoint {
  const { app, option } = servedApp(options);
  const span = option ? spanAt(path, source, option.start, option.end) : spanAt(path, source, headerAt, headerAt);
  const name = basename(path);
  const configOption = name.endsWith('.ini') ? '--ini' : `--${name.replace(/^.*\./, '')}`;
  const command = serverCommand(['uwsgi', configOption, name], span, 'uwsgi', app);
  const role = fileRole(path, name.replace(/\.[^.]+$/, '')) ?? {
    role: 'production' as const,
    roleReason: 'uWSGI serves the app it names',
  };
  return {
    kind: 'uwsgi-config',
    name: `uWSGI config ${name}`,
    ...role,
    file: path,
    command,
    environment: [],
    envFiles: [],
  };
}

/**
 * The app uWSGI loads, as `module:callable`: `module = wsgi:app` (or `wsgi`/`w`), `wsgi-file = app.py` with
 * `callable = app` (uWSGI's default callable is `application`), or the app of a `mount = /=wsgi:app`.
 */
function servedApp(options: readonly UwsgiOption[]): { app?: string; option?: UwsgiOption } {
  const last = (...keys: string[]) => options.filter((option) => keys.includes(option.key)).at(-1);
  const callable = last('callable')?.value;
  const module = last('module', 'wsgi', 'w');
  if (module) return { app: withCallable(module.value, callable), option: module };
  const file = last('wsgi-file', 'file');
  if (file) return { app: withCallable(file.value, callable), option: file };
  const mount = last('mount');
  if (mount) return { app: withCallable(mount.value.slice(mount.value.indexOf('=') + 1), callable), option: mount };
  return {};
}

function withCallable(module: string, callable: string | undefined): string {
  const trimmed = module.trim();
  if (trimmed.includes(':')) return trimmed;
  return `${trimmed}:${callable?.trim() || 'application'}`;
}
