import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { execa } from 'execa';
import { discoveredDeployModel } from '../deploy/project-model.js';
import { discoverFiles } from '../files/discover.js';
import { effectiveEnvironment, type DeployModel, type Entrypoint } from '../deploy/model.js';
import type { RuntimeEntrypoint } from './entrypoint.js';

const CONTAINER_KINDS = new Set<Entrypoint['kind']>(['dockerfile', 'compose', 'kubernetes']);

/**
 * The repository's entrypoints from the deploy model (src/deploy), in verify's
 * terms. The model says what runs and with which environment; this only maps
 * it onto this machine: the repository folder the command runs in, and the
 * dotenv files a fresh checkout has.
 */
export async function runtimeEntrypointsOf(root: string): Promise<RuntimeEntrypoint[]> {
  // The same files and model check builds (discovery is git-ignore aware).
  const discovery = discoverFiles([root], { includeTests: false, exclude: [], cwd: root });
  const model = await discoveredDeployModel(root, discovery.files);
  const tracked = await trackedFiles(root);
  return model.entrypoints.map((entrypoint) => toRuntimeEntrypoint(model, entrypoint, tracked));
}

function toRuntimeEntrypoint(
  model: DeployModel,
  entrypoint: Entrypoint,
  tracked: ReadonlySet<string> | undefined,
): RuntimeEntrypoint {
  const env: Record<string, string> = {};
  for (const setting of effectiveEnvironment(entrypoint).values()) {
    // A git-ignored local .env is a developer's, not what a checkout (or an image) gets.
    if (setting.origin === 'flask-dotenv' && tracked && !tracked.has(resolve(setting.at.path))) continue;
    env[setting.name] = setting.value;
  }
  const served = entrypoint.serves;
  const line = entrypoint.command.at.path === entrypoint.file ? entrypoint.command.at.line : undefined;
  return {
    file: toPosix(relative(model.root, entrypoint.file)),
    ...(line ? { line } : {}),
    name: entrypoint.name,
    kind: served.target.kind === 'wsgi-server' ? served.target.server : served.target.kind,
    role: entrypoint.role,
    argv: served.argv,
    workdir: toPosix(relative(model.root, workingFolder(model, entrypoint))) || '.',
    env,
    container: CONTAINER_KINDS.has(entrypoint.kind),
  };
}

/**
 * The repository folder a command starts in. A container's WORKDIR is an image
 * path: the files there came from the build context, which is the Dockerfile's
 * folder in the common layout. Among the candidate folders, the one that holds
 * what the command runs (the script, the app module) wins.
 */
function workingFolder(model: DeployModel, entrypoint: Entrypoint): string {
  const dockerfile =
    entrypoint.command.at.path !== entrypoint.file || entrypoint.kind === 'dockerfile'
      ? entrypoint.command.at.path
      : undefined;
  // A compose service with its own command names no Dockerfile here: any build context may be its.
  const buildContexts =
    entrypoint.kind === 'compose'
      ? model.entrypoints.filter((other) => other.kind === 'dockerfile').map((other) => dirname(other.file))
      : [];
  // A folder the deploy file names for the service's code (a Render service's rootDir) is where it starts.
  const scope = entrypoint.scope && !dockerfile ? [entrypoint.scope] : [];
  const candidates = [
    ...new Set([
      ...scope,
      ...(dockerfile ? [dirname(dockerfile)] : []),
      dirname(entrypoint.file),
      model.root,
      ...buildContexts,
    ]),
  ].filter((folder) => folder === model.root || folder.startsWith(model.root + sep));
  const needed = neededFile(entrypoint);
  if (needed) {
    const holder = candidates.find((folder) => needed.some((path) => existsSync(join(folder, path))));
    if (holder) return holder;
  }
  return candidates[0] ?? model.root;
}

/** What must be in the working folder for the command to start: `app.py`, `wsgi.py` for `wsgi:app`. */
function neededFile(entrypoint: Entrypoint): string[] | undefined {
  const target = entrypoint.serves.target;
  if (target.kind === 'python-script' || target.kind === 'manage-run') return [target.script];
  const app = target.kind === 'flask-run' || target.kind === 'wsgi-server' ? target.app : undefined;
  if (target.kind === 'flask-run' && !app) return ['app.py', 'wsgi.py'];
  if (!app) return undefined;
  const module = (app.split(':')[0] ?? '').replace(/\(.*$/, '').split('.').join('/');
  return [`${module}.py`, join(module, '__init__.py')];
}

async function trackedFiles(root: string): Promise<Set<string> | undefined> {
  const listed = await execa('git', ['ls-files', '-z', '--full-name'], { cwd: root, reject: false });
  if (listed.exitCode !== 0) return undefined;
  const top = await execa('git', ['rev-parse', '--show-toplevel'], { cwd: root, reject: false });
  const base = String(top.stdout).trim() || root;
  return new Set(
    String(listed.stdout)
      .split('\0')
      .filter(Boolean)
      .map((path) => resolve(base, path)),
  );
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
