import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DiscoveredFile } from '../files/discover.js';
import { GitIgnore } from '../files/gitignore.js';
import { loadDeployModel, readDeployText, type DeployFileRef, type ModelFileKind } from './model-loader.js';
import type { DeployModel } from './model.js';
import { withLazyParsers } from './lazy-parsers.js';
import { isGunicornConfigFile } from './formats/gunicorn-config-file.js';
import { isLambdaHandlerFile } from './formats/lambda-handler.js';

import { MODEL_KINDS } from './model.js';

export { MODEL_KINDS };
/**
 * The deploy file a discovered file is to the model: its own kind, or among Python files a gunicorn config or a
 * Lambda handler by its name (the model reads its text to tell).
 */
export function modelFileKind(file: Pick<DiscoveredFile, 'path' | 'kind'>): ModelFileKind | undefined {
  if (MODEL_KINDS.has(file.kind)) return file.kind as ModelFileKind;
  if (file.kind !== 'python') return undefined;
  if (isGunicornConfigFile(file.path)) return 'gunicorn-config';
  return isLambdaHandlerFile(file.path) ? 'lambda-handler' : undefined;
}

/**
 * The repository's deploy model, from the deploy files discovery found, plus
 * the Makefiles beside them (development entrypoints: `make dev`). `deployFolders`
 * are the folders of every file of a deploy kind, read or not. The bash grammar
 * is loaded only if some command needs it.
 */
export function projectDeployModel(
  root: string,
  files: readonly Pick<DiscoveredFile, 'path' | 'kind'>[],
  deployFolders: readonly string[] = files.map((file) => dirname(file.path)),
  startScripts: readonly string[] = [],
  pythonFiles: readonly string[] = [],
): Promise<DeployModel> {
  // Each file is read once, also when the model is built again once the bash grammar has loaded.
  const texts = new Map<string, string | undefined>();
  const readText = (path: string) => {
    if (!texts.has(path)) texts.set(path, readDeployText(path));
    return texts.get(path);
  };
  const refs: DeployFileRef[] = files.flatMap((file) => {
    const kind = modelFileKind(file);
    return kind ? [{ path: file.path, kind }] : [];
  });
  // Makefiles are looked for beside every deploy file, also those screening found nothing to read in.
  const folders = new Set([root, ...deployFolders]);
  for (const folder of folders) {
    const makefile = join(folder, 'Makefile');
    if (readText(makefile) !== undefined) refs.push({ path: makefile, kind: 'makefile' });
  }
  // Asked only for a compose file's `.env` when a value refers to a variable: the rules are read then.
  let gitIgnore: GitIgnore | undefined;
  const isGitIgnored = (path: string) => {
    gitIgnore ??= new GitIgnore(root, existsSync(join(root, '.git')));
    gitIgnore.loadFolder(dirname(path));
    return gitIgnore.isIgnored(path, false);
  };
  return withLazyParsers(() =>
    loadDeployModel({ root, files: refs, readText, startScripts, isGitIgnored, pythonFiles }),
  );
}

/**
 * The deploy model of a project from what discovery found, chosen as check chooses: the files of a deploy kind,
 * and Makefiles beside them. verify reads this; check builds the same from its screening (project-model is the
 * one builder).
 */
export function discoveredDeployModel(
  root: string,
  files: readonly Pick<DiscoveredFile, 'path' | 'kind'>[],
): Promise<DeployModel> {
  const deployKinds = files.filter((file) => MODEL_KINDS.has(file.kind));
  return projectDeployModel(
    root,
    files.filter((file) => modelFileKind(file) !== undefined),
    deployKinds.map((file) => dirname(file.path)),
    [],
    files.flatMap((file) => (file.kind === 'python' ? [file.path] : [])),
  );
}
