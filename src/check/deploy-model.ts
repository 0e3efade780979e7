import { dirname, join } from 'node:path';
import { loadDeployModel, readDeployText, type DeployFileRef, type ModelFileKind } from '../deploy/model-loader.js';
import type { DeployModel } from '../deploy/model.js';
import type { DiscoveredFile } from './discover.js';

const MODEL_KINDS = new Set<string>(['dockerfile', 'procfile', 'yaml', 'systemd', 'supervisord']);

/**
 * The repository's deploy model, from the deploy files discovery found, plus
 * the Makefiles beside them (development entrypoints: `make dev`).
 */
export function projectDeployModel(root: string, files: readonly DiscoveredFile[]): DeployModel {
  const refs: DeployFileRef[] = files.filter((file) => MODEL_KINDS.has(file.kind)).map((file) => ({ path: file.path, kind: file.kind as ModelFileKind }));
  const folders = new Set([root, ...refs.map((ref) => dirname(ref.path))]);
  for (const folder of folders) {
    const makefile = join(folder, 'Makefile');
    if (readDeployText(makefile) !== undefined) refs.push({ path: makefile, kind: 'makefile' });
  }
  return loadDeployModel({ root, files: refs, readText: readDeployText });
}
