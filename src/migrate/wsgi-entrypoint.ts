import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Fix } from '../rules/rule.js';
import type { DevServerCommand } from '../deploy/dev-server-command.js';
import { envAssignments } from '../deploy/env-file.js';
import { readSourceFile } from '../files/source-text.js';
import { withPythonTree } from '../python/parser.js';
import { ModuleFacts } from '../python/module-facts.js';
import { callParts, literalValue } from '../python/syntax.js';
import { packageRoot } from '../files/package-root.js';

// Rules import this module in every check worker; handlebars (~40 ms to load) is only needed by migrate.
const require = createRequire(import.meta.url);
function renderTemplate(relativePath: string, context: object): string {
  const handlebars = require('handlebars') as typeof import('handlebars');
  const source = readFileSync(join(packageRoot(), 'templates', relativePath), 'utf8');
  return handlebars.compile(source, { noEscape: true, strict: true })(context);
}

/** The WSGI server command that replaces a dev server, as argv. */
export const GUNICORN_ARGV = ['gunicorn', '-c', 'gunicorn.conf.py', 'wsgi:app'];
// `python app.py` served on app.run()'s port, 5000 unless it said otherwise.
const FLASK_DEFAULT_PORT = 5000;

export interface WsgiEntrypoint {
  /** The new files and requirement lines the replacement command needs. */
  supportingChanges: Pick<Fix, 'newFiles' | 'appendLines'>;
  /** Words for the fix title, e.g. "add wsgi.py and gunicorn.conf.py". */
  summary: string;
}

/** The module and attribute that hold the app, read from the script or FLASK_APP. */
function appSource(folder: string, command: DevServerCommand, commandText: string): { module: string; file: string } | undefined {
  if (command.kind === 'python-script') {
    if (!command.script || command.script.includes('/')) return undefined;
    return { module: command.script.replace(/\.py$/, ''), file: join(folder, command.script) };
  }
  const fromCommand = /(?:--app[= ]|FLASK_APP=)([\w.]+)/.exec(commandText)?.[1];
  let flaskApp = fromCommand;
  if (!flaskApp && existsSync(join(folder, '.flaskenv'))) {
    flaskApp = envAssignments(readFileSync(join(folder, '.flaskenv'), 'utf8')).find((entry) => entry.name === 'FLASK_APP')?.value;
  }
  // Flask's own default when FLASK_APP is unset: wsgi.py, then app.py.
  const module = (flaskApp ?? (existsSync(join(folder, 'app.py')) ? 'app' : undefined))?.replace(/\.py$/, '');
  if (!module || module.includes('.') || module.includes(':')) return undefined;
  return { module, file: join(folder, `${module}.py`) };
}

/** The lines that bind `app` in wsgi.py, or undefined when the module has no app we can see. */
function importLines(module: string, facts: ModuleFacts): string | undefined {
  if (facts.isAppName('app')) return `from ${module} import app  # noqa: F401`;
  for (const factory of ['create_app', 'make_app']) {
    if (facts.isFactory(factory)) return `from ${module} import ${factory}\n\napp = ${factory}()`;
  }
  const named = /^(\w+)\s*(?::[^=\n]*)?=\s*(?:flask\.)?Flask\(/m.exec(facts.source)?.[1];
  return named && facts.isAppName(named) ? `from ${module} import ${named} as app  # noqa: F401` : undefined;
}

function portOf(facts: ModuleFacts, commandText: string): number {
  const cliPort = /(?:--port[= ]|-p\s+)(\d+)/.exec(commandText)?.[1];
  if (cliPort) return Number(cliPort);
  for (const call of facts.methodCalls('run')) {
    const parts = callParts(call);
    const port = parts?.keywords.get('port')?.value ?? parts?.positional[1];
    const value = port ? literalValue(port) : undefined;
    if (value?.kind === 'number') return value.value;
  }
  return FLASK_DEFAULT_PORT;
}

/**
 * What replacing a dev-server command with Gunicorn needs in the deploy file's
 * folder: wsgi.py exposing `app`, gunicorn.conf.py, and gunicorn in
 * requirements.txt. Undefined when the app cannot be located with certainty.
 */
export function planWsgiEntrypoint(deployFile: string, command: DevServerCommand, commandText: string): WsgiEntrypoint | undefined {
  const folder = dirname(deployFile);
  const source = appSource(folder, command, commandText);
  if (!source || !existsSync(source.file)) return undefined;
  const read = readSourceFile(source.file, true);
  if (!read.ok) return undefined;
  const text = read.source.text;
  return withPythonTree(text, (tree) => planFor(source, new ModuleFacts(tree, text), folder, commandText));
}

function planFor(source: { file: string; module: string }, facts: ModuleFacts, folder: string, commandText: string): WsgiEntrypoint | undefined {
  const newFiles: NonNullable<Fix['newFiles']> = [];
  const added: string[] = [];
  const wsgiPath = join(folder, 'wsgi.py');
  if (!existsSync(wsgiPath)) {
    const lines = importLines(source.module, facts);
    if (!lines) return undefined;
    newFiles.push({ path: wsgiPath, contents: renderTemplate('migrate/wsgi.py.hbs', { script: basename(source.file), importLines: lines }) });
    added.push('wsgi.py');
  }
  const configPath = join(folder, 'gunicorn.conf.py');
  if (!existsSync(configPath)) {
    newFiles.push({ path: configPath, contents: renderTemplate('project/gunicorn.conf.py.hbs', { defaultPort: portOf(facts, commandText) }) });
    added.push('gunicorn.conf.py');
  }
  const appendLines: NonNullable<Fix['appendLines']> = [];
  const requirements = join(folder, 'requirements.txt');
  if (existsSync(requirements)) appendLines.push({ path: requirements, line: 'gunicorn>=23', unlessMatches: '^\\s*gunicorn\\b' });
  const summary = [added.length > 0 ? `add ${added.join(' and ')}` : '', appendLines.length > 0 ? 'add gunicorn to requirements.txt' : ''].filter(Boolean).join(', ');
  return { supportingChanges: { newFiles, appendLines }, summary };
}
