import { readDeployText, loadDeployModel, type ModelFileKind } from './model-loader.js';
import type { DeployModel } from './model.js';
import { MODEL_KINDS } from './project-model.js';

export interface DeployFileText {
  kind: string;
  path: string;
  source: string;
  /** The repository root, where absolute paths in the file are looked up. */
  root: string;
}

let last: { file: DeployFileText; model: DeployModel } | undefined;

/**
 * The deploy model of one deploy file, as a rule sees it: its entrypoints with
 * the scripts and env files it names read from disk. Several rules ask for the
 * same file in turn, so the last model is kept.
 */
export function deployModelOfFile(file: DeployFileText): DeployModel {
  if (last && last.file.path === file.path && last.file.source === file.source && last.file.root === file.root)
    return last.model;
  const files = MODEL_KINDS.has(file.kind) ? [{ path: file.path, kind: file.kind as ModelFileKind }] : [];
  const model = loadDeployModel({
    root: file.root,
    files,
    readText: (path) => (path === file.path ? file.source : readDeployText(path)),
  });
  last = { file, model };
  return model;
}
