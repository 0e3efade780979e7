import { basename, dirname } from 'node:path';
import type { DeployModel, Entrypoint } from './model.js';
import { describe, type FindingReach, inScope } from './reach-basics.js';

/** What the caller knows of the project's code: whether code under a folder loads `.env` itself. */
export interface DotenvOptions {
  /** True when Python code under `folder` loads a .env file (python-dotenv, environs, decouple...). */
  codeLoadsDotenv?: (folder: string) => boolean;
}

/**
 * A committed `.flaskenv` or `.env` that production never reads: only the flask command and app.run() load
 * them (python-dotenv), and not with FLASK_SKIP_DOTENV set. Where every production entrypoint of its project
 * is a WSGI server (or skips them), the file is a warning, unless (for `.env`) the project's code loads it.
 * Undefined when production may read it, or when nothing says how production runs.
 */
export function dotenvNotRead(model: DeployModel, path: string, options: DotenvOptions): FindingReach | undefined {
  const name = basename(path);
  if (name !== '.flaskenv' && name !== '.env') return undefined;
  if (name === '.env' && (options.codeLoadsDotenv?.(dirname(path)) ?? true)) return undefined;
  const inProduction = model.entrypoints.filter(
    (entrypoint) => entrypoint.role === 'production' && inScope(entrypoint, path),
  );
  // The flask command, `python app.py` and `manage.py runserver` load the files (python-dotenv), unless skipped.
  const loadsFiles = (entrypoint: Entrypoint) =>
    ['flask-run', 'python-script', 'manage-run'].includes(entrypoint.serves.target.kind) &&
    entrypoint.dotenvSkipped === undefined;
  const production = inProduction.filter(
    (entrypoint) => entrypoint.serves.target.kind === 'wsgi-server' || entrypoint.dotenvSkipped !== undefined,
  );
  if (production.length === 0 || inProduction.some(loadsFiles)) return undefined;
  const named = (entrypoint: Entrypoint) => `${entrypoint.name} (\`${describe(entrypoint).command}\`)`;
  const skipping = production.filter((entrypoint) => entrypoint.dotenvSkipped);
  const serving = production.filter((entrypoint) => !entrypoint.dotenvSkipped);
  const readers = name === '.env' ? '`flask run`, app.run() and code that loads it do; nothing here does' : '';
  const parts = [
    ...(serving.length > 0
      ? [
          `${serving.slice(0, 3).map(named).join(', ')}, which does not read ${name} ` +
            `(${readers || 'only `flask run` and app.run() do'})`,
        ]
      : []),
    ...(skipping.length > 0
      ? [
          `${skipping.slice(0, 3).map(named).join(', ')} with ` +
            `FLASK_SKIP_DOTENV=${skipping[0]?.dotenvSkipped?.value ?? ''}, so flask never loads ${name} there`,
        ]
      : []),
  ];
  return {
    reach: 'not-run',
    level: 'warning',
    entrypoints: production.map(describe),
    reason: `production runs ${parts.join('; and ')}`,
  };
}
