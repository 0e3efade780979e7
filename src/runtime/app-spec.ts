import { existsSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * Gunicorn, Flask and Waitress import the module an app spec names and call
 * what follows the colon, literal arguments included: `gunicorn "os:system('touch x')"`
 * runs a shell command. verify only starts what the repository itself defines:
 * `module:name` or `module:factory(literal, args)`, whose top-level module is a
 * file or package of the repository.
 */

const LITERAL = String.raw`(?:'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?|True|False|None)`;
const ARGUMENT = String.raw`\s*(?:[A-Za-z_]\w*\s*=\s*)?${LITERAL}\s*`;
const APP_SPEC = new RegExp(
  String.raw`^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?::[A-Za-z_]\w*(?:\((?:${ARGUMENT}(?:,${ARGUMENT})*,?\s*)?\))?)?$`,
);

function inside(path: string, root: string): boolean {
  try {
    const real = realpathSync.native(path);
    const realRoot = realpathSync.native(root);
    return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  } catch {
    return false;
  }
}

/** Why verify will not start this app spec, or undefined when it names the repository's own module. */
export function appSpecProblem(spec: string, searchFolders: readonly string[], root: string): string | undefined {
  const match = APP_SPEC.exec(spec);
  if (!match)
    return `app spec '${spec}' is not module:name or module:factory(literal arguments); verify does not run it`;
  const topLevel = (match[1] ?? '').split('.')[0] ?? '';
  const found = searchFolders.some((folder) => {
    const base = resolve(folder, topLevel);
    return [`${base}.py`, join(base, '__init__.py'), base].some(
      (candidate) => existsSync(candidate) && inside(candidate, root),
    );
  });
  return found
    ? undefined
    : `app spec '${spec}' names module '${topLevel}', which is not in the repository; ` +
        "verify only runs the repository's own app";
}

// Gunicorn options that take a value (a word after them is that value, not the app).
const GUNICORN_VALUE_OPTIONS = new Set([
  '-c',
  '--config',
  '-b',
  '--bind',
  '--backlog',
  '-w',
  '--workers',
  '-k',
  '--worker-class',
  '--threads',
  '--worker-connections',
  '--max-requests',
  '--max-requests-jitter',
  '-t',
  '--timeout',
  '--graceful-timeout',
  '--keep-alive',
  '--limit-request-line',
  '--limit-request-fields',
  '--limit-request-field_size',
  '--chdir',
  '-e',
  '--env',
  '-p',
  '--pid',
  '--worker-tmp-dir',
  '-u',
  '--user',
  '-g',
  '--group',
  '-m',
  '--umask',
  '--forwarded-allow-ips',
  '--access-logfile',
  '--access-logformat',
  '--error-logfile',
  '--log-file',
  '--log-level',
  '--logger-class',
  '--log-config',
  '--log-config-json',
  '--log-syslog-to',
  '--log-syslog-prefix',
  '--log-syslog-facility',
  '--dogstatsd-tags',
  '--statsd-host',
  '--statsd-prefix',
  '-n',
  '--name',
  '--pythonpath',
  '--paste',
  '--paster',
  '--proxy-allow-from',
  '--keyfile',
  '--certfile',
  '--ssl-version',
  '--cert-reqs',
  '--ca-certs',
  '--ciphers',
  '--reload-engine',
  '--reload-extra-file',
  '--header-map',
  '--forwarder-headers',
  '-R',
]);

/** Gunicorn's positional words (the app spec), and the folders its --chdir/--pythonpath add. */
export function gunicornAppSpecs(args: readonly string[]): { specs: string[]; folders: string[] } {
  const specs: string[] = [];
  const folders: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? '';
    const [option, inlineValue] =
      word.startsWith('--') && word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
    if (option === '--chdir' || option === '--pythonpath') {
      const value = inlineValue ?? args[index + 1];
      if (value !== undefined) folders.push(...value.split(','));
    }
    if (word.startsWith('-')) {
      if (inlineValue === undefined && GUNICORN_VALUE_OPTIONS.has(option)) index += 1;
      continue;
    }
    specs.push(word);
  }
  return { specs, folders };
}

/** Gunicorn options that write files (logs, pid, worker heartbeat); verify keeps its own output instead. */
export const GUNICORN_FILE_OPTIONS = [
  '--access-logfile',
  '--error-logfile',
  '--log-file',
  '-p',
  '--pid',
  '--worker-tmp-dir',
  '--log-syslog-to',
  '--statsd-host',
];
