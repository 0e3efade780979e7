import { dirname, join } from 'node:path';
import { loadDeployModel, readDeployText, type DeployFileRef, type ModelFileKind } from '../deploy/model-loader.js';
import type { DeployModel } from '../deploy/model.js';
import type { DiscoveredFile } from './discover.js';

/** The kinds of file the deploy model reads (Makefiles are found beside them). */
export const MODEL_KINDS = new Set<string>(['dockerfile', 'procfile', 'yaml', 'systemd', 'supervisord']);

/**
 * The repository's deploy model, from the deploy files discovery found, plus
 * the Makefiles beside them (development entrypoints: `make dev`). `deployFolders`
 * are the folders of every file of a deploy kind, read or not.
 */
export function projectDeployModel(root: string, files: readonly DiscoveredFile[], deployFolders: readonly string[] = files.map((file) => dirname(file.path))): DeployModel {
  const refs: DeployFileRef[] = files.filter((file) => MODEL_KINDS.has(file.kind)).map((file) => ({ path: file.path, kind: file.kind as ModelFileKind }));
  // Makefiles are looked for beside every deploy file, also those screening found nothing to read in.
  const folders = new Set([root, ...deployFolders]);
  for (const folder of folders) {
    const makefile = join(folder, 'Makefile');
    if (readDeployText(makefile) !== undefined) refs.push({ path: makefile, kind: 'makefile' });
  }
  return loadDeployModel({ root, files: refs, readText: readDeployText });
}
