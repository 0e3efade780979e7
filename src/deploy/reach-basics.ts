import { sep } from 'node:path';
import type { DeployRole, Entrypoint, SourceSpan } from './model.js';
import { scopeFolderOf } from './scope-folder.js';

/**
 * What deployment-aware severity says of a finding, and the small pieces every reach question uses:
 * an entrypoint in words, a span that covers another, an entrypoint's scope folder.
 */
export type Reach = 'production' | 'development' | 'not-run' | 'unknown';

export interface ReachingEntrypoint {
  name: string;
  role: DeployRole;
  /** The deploy file (absolute) and line of the command. */
  path: string;
  line: number;
  command: string;
}

export interface FindingReach {
  reach: Reach;
  level: 'error' | 'warning';
  /** The entrypoints that run the finding's code or file (or, for `not-run`, the ones that serve the app instead). */
  entrypoints: ReachingEntrypoint[];
  /** One sentence for the message: "production runs it: Dockerfile (final stage) `python3 -u app.py`". */
  reason: string;
}

export function describe(entrypoint: Entrypoint): ReachingEntrypoint {
  const command =
    entrypoint.serves.argv.length > 0 ? entrypoint.serves.argv.join(' ') : entrypoint.command.argv.join(' ');
  return {
    name: entrypoint.name,
    role: entrypoint.role,
    path: entrypoint.serves.at.path,
    line: entrypoint.serves.at.line,
    command,
  };
}

export function covers(span: SourceSpan, path: string, start: number, end: number): boolean {
  return span.path === path && span.start <= start && end <= span.end;
}

// An entrypoint's scope, found once per model: reach asks it for every finding, and finding it asks the disk
// whether a folder is a Helm chart (2,000 small apps: 1.3 s of existsSync before it was kept).
const scopes = new WeakMap<Entrypoint, string>();

export function scopeOf(entrypoint: Entrypoint): string {
  let scope = scopes.get(entrypoint);
  if (scope === undefined) scopes.set(entrypoint, (scope = entrypoint.scope ?? scopeFolderOf(entrypoint.file)));
  return scope;
}

/** True when `file` is code the entrypoint can run: in its scope folder (monorepo services do not reach each other). */
export function inScope(entrypoint: Entrypoint, file: string): boolean {
  const scope = scopeOf(entrypoint);
  return file.startsWith(scope.endsWith(sep) ? scope : scope + sep);
}
