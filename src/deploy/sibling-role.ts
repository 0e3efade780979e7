import { dirname } from 'node:path';
import type { FileEntrypoint } from './formats/common.js';
import { basename } from './model-command.js';

const PRODUCTION_NAME = /(?:^|[._-])(?:prod|production)(?:[._-]|$)/i;

/** The family a deploy file belongs to: a plain file and a `.prod` sibling of the same family are alternatives. */
function familyOf(path: string): string | undefined {
  const name = basename(path).toLowerCase();
  if (name.includes('compose')) return 'compose';
  if (name.includes('dockerfile') || name.includes('containerfile')) return 'dockerfile';
  return undefined;
}

/**
 * `docker-compose.yml` beside `docker-compose.prod.yml` (or `Dockerfile` beside `Dockerfile.prod`) is the
 * development variant: the project names its production file, so the plain one is for local runs.
 */
export function withSiblingRole(entry: FileEntrypoint, files: readonly { path: string }[]): FileEntrypoint {
  const family = familyOf(entry.file);
  if (!family || entry.role !== 'production' || PRODUCTION_NAME.test(basename(entry.file)) || entry.kind === 'makefile')
    return entry;
  if (entry.stage && entry.stage.name !== '' && PRODUCTION_NAME.test(entry.stage.name)) return entry;
  const sibling = files.find(
    (file) =>
      file.path !== entry.file &&
      dirname(file.path) === dirname(entry.file) &&
      familyOf(file.path) === family &&
      PRODUCTION_NAME.test(basename(file.path)),
  );
  return sibling
    ? { ...entry, role: 'development', roleReason: `${basename(sibling.path)} is the production file` }
    : entry;
}
