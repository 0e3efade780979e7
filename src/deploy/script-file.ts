import { dirname, join, posix, relative, resolve } from 'node:path';
import type { FileEntrypoint } from './formats/common.js';
import type { FileCopy } from './formats/dockerfile.js';
import type { DeployCommand } from './model.js';

// The repository file a `python <script>` (or `python manage.py run`) runs, found once in the model so that every
// rule asks the same question the same way. In an image the script is what the image holds at that path: the
// WORKDIR-relative path through the COPY that put a file there, then the Dockerfile's folder, then the build
// context or the repository root (`docker build -f sub/Dockerfile .`). A compose service's image is its own
// build folder's: a file of the same name elsewhere in the repository is another service's.

export interface ScriptFileContext {
  entry: Pick<FileEntrypoint, 'kind' | 'file' | 'workingDirectory' | 'buildContext' | 'dockerfile' | 'stage'>;
  root: string;
  read: (path: string) => string | undefined;
  /** The COPYs of the Dockerfile whose image the entrypoint runs (none when it runs no image of the repository). */
  copies: readonly FileCopy[];
}

/** Sets `target.file` of a script run when the repository holds the file it runs; leaves it unset otherwise. */
export function resolveScriptFile(command: DeployCommand, context: ScriptFileContext): void {
  const { target } = command;
  if ((target.kind !== 'python-script' && target.kind !== 'manage-run') || target.file !== undefined) return;
  const file = scriptFileOf(command, target.script, context);
  if (file) target.file = file;
}

function scriptFileOf(command: DeployCommand, script: string, context: ScriptFileContext): string | undefined {
  const { entry, root, read } = context;
  const exists = (path: string) => (read(path) !== undefined ? path : undefined);
  const relativeScript = script.replace(/^\.\//, '');
  const dockerfile = entry.dockerfile ?? (entry.kind === 'dockerfile' ? entry.file : undefined);
  if (!dockerfile) {
    // A host command (Procfile, systemd, a script): its own folder, then the repository root.
    if (script.startsWith('/')) return undefined;
    return exists(resolve(dirname(command.at.path), relativeScript)) ?? exists(resolve(root, relativeScript));
  }
  // The build context's folders COPY sources are relative to: the one compose names, else the Dockerfile's
  // folder or one above it, nearest first, up to the repository root (`docker build -f sub/Dockerfile .`).
  const contexts = entry.buildContext ? [entry.buildContext] : foldersUp(dirname(dockerfile), root);
  const inImage = posix.resolve(entry.workingDirectory ?? '/', script);
  // A later COPY to the same path replaces an earlier one.
  for (const copy of [...context.copies].reverse()) {
    if (copy.fromStage || !inThisImage(copy, entry.stage?.index)) continue;
    const found = copiedTo(copy, inImage, contexts, exists);
    if (found) return found;
  }
  if (script.startsWith('/')) return undefined;
  const folders = [dirname(command.at.path), dirname(dockerfile), ...contexts];
  for (const folder of new Set(folders)) {
    const found = exists(resolve(folder, relativeScript));
    if (found) return found;
  }
  return undefined;
}

/** True when the image of the stage holds the copy's files (any stage, when the entrypoint names none). */
function inThisImage(copy: FileCopy, stageIndex: number | undefined): boolean {
  return stageIndex === undefined || copy.images.length === 0 || copy.images.includes(stageIndex);
}

/** The repository file the copy puts at `inImage`, when it puts one there. */
function copiedTo(
  copy: FileCopy,
  inImage: string,
  contexts: readonly string[],
  exists: (path: string) => string | undefined,
): string | undefined {
  const destination = copy.target.replace(/\/$/, '') || '/';
  const exact = inImage === destination && !copy.destination.endsWith('/');
  const rest = destination === '/' ? inImage.slice(1) : inImage.slice(destination.length + 1);
  const below = destination === '/' || inImage.startsWith(`${destination}/`);
  if (!exact && !below) return undefined;
  for (const source of copy.sources) {
    // A build-context path only (a `RUN cp` of image paths is not the repository's).
    if (source.startsWith('/') || /[*?[]/.test(source)) continue;
    for (const folder of contexts) {
      const found = exact
        ? exists(resolve(folder, source))
        : (exists(join(folder, source, rest)) ??
          (posix.basename(source) === rest ? exists(resolve(folder, source)) : undefined));
      if (found) return found;
    }
  }
  return undefined;
}

/** The folder and each one above it up to the root (the folder alone when it is outside the root). */
function foldersUp(folder: string, root: string): string[] {
  const folders = [folder];
  for (let current = folder; current !== root && dirname(current) !== current; ) {
    current = dirname(current);
    if (relative(root, current).startsWith('..')) break;
    folders.push(current);
  }
  return folders;
}
