import { sep } from 'node:path';
import type { Entrypoint } from './model.js';
import { servedModuleTails } from './model-reach.js';
import { scopeFolderOf } from './scope-folder.js';

// A supervisord program or systemd unit runs code at host paths (`cd /root/backend/vss; gunicorn api.api:app`),
// wherever the repository keeps its config (an Ansible role's templates/): the code it serves is the module its
// server imports, found in the repository by that name, not the code beside the config file.

const HOST_KINDS: ReadonlySet<Entrypoint['kind']> = new Set<Entrypoint['kind']>(['supervisord', 'systemd']);

/**
 * The entrypoint scoped to the folder its server imports the app from, when the folder of its config holds no
 * module of that name and the repository does (the nearest one to the config file, when several do).
 */
export function withServedModuleScope(entrypoint: Entrypoint, pythonFiles: readonly string[]): Entrypoint {
  if (!HOST_KINDS.has(entrypoint.kind) || entrypoint.scope !== undefined) return entrypoint;
  const tails = servedModuleTails(entrypoint);
  if (tails.length === 0) return entrypoint;
  const own = scopeFolderOf(entrypoint.file) + sep;
  const modules = pythonFiles.filter((path) => tails.some((tail) => path.endsWith(tail)));
  if (modules.length === 0 || modules.some((path) => path.startsWith(own))) return entrypoint;
  const nearest = modules.reduce((best, path) =>
    shared(path, entrypoint.file) > shared(best, entrypoint.file) ? path : best,
  );
  const tail = tails.find((candidate) => nearest.endsWith(candidate)) ?? '';
  return { ...entrypoint, scope: nearest.slice(0, nearest.length - tail.length) };
}

function shared(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return length;
}
