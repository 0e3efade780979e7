import type { Document } from 'yaml';
import { basename } from '../model-command.js';
import { isMap, isScalar, isSeq, mapValue } from '../yaml-nodes.js';
import { type FileEntrypoint, yamlShellCommand } from './common.js';
import { processEntrypoint } from './procfile.js';

/** True for a heroku.yml manifest (Heroku's container stack): its name says so. */
export function isHerokuManifest(path: string): boolean {
  return /^heroku\.ya?ml$/i.test(basename(path));
}

/**
 * heroku.yml: `run:` maps each process type to the command Heroku runs for it (`web: python app.py`, or
 * `web: {command: [...]}`); a process without one runs its image's CMD, which the Dockerfile's own entrypoint
 * already reports. As in a Procfile, every process type but a development-named one runs in production.
 */
export function herokuEntrypoints(path: string, source: string, documents: readonly Document[]): FileEntrypoint[] {
  const run = documents.map((document) => mapValue(document.contents, 'run')).find(isMap);
  if (!run) return [];
  return run.items.flatMap((pair) => {
    const processType = isScalar(pair.key) ? String(pair.key.value) : undefined;
    // `command:` is a list of one shell line in Heroku's examples.
    const given = isMap(pair.value) ? mapValue(pair.value, 'command') : pair.value;
    const value = isSeq(given) ? given.items[0] : given;
    const command = processType ? yamlShellCommand(value, path, source) : undefined;
    return processType && command ? [processEntrypoint(path, processType, command)] : [];
  });
}
