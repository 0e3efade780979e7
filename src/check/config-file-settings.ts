import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { envAssignments } from '../deploy/env-file.js';
import { scopeFolderOf } from '../deploy/model-reach.js';
import type { DeployModel } from '../deploy/model.js';
import { readSourceFile } from '../files/source-text.js';
import { debugInConfigFile, resolveConfigFile } from '../python/config-files.js';

/** A file `from_envvar(variable)` loads because a deploy file or a committed env file names it, and its DEBUG line. */
export interface ConfigFileFromEnv {
  /** `APP_SETTINGS=/app/config/prod.cfg (Dockerfile:4) is config/prod.cfg, whose DEBUG = True (line 2)`. */
  note: string;
}

/**
 * What `app.config.from_envvar(variable)` in `loader` loads: the value a deploy file (or a committed
 * `.env`/`.flaskenv` beside the app) gives the variable, resolved like Flask does (relative to the app's
 * folder), or for a container path, as the project file with the same tail. Undefined unless that
 * file sets DEBUG on.
 */
export function configFileFromEnv(
  model: DeployModel,
  root: string,
  loader: string,
  variable: string,
  folder: string,
): ConfigFileFromEnv | undefined {
  const scoped = (path: string) => {
    const scope = scopeFolderOf(path);
    return loader.startsWith(scope.endsWith(sep) ? scope : scope + sep);
  };
  const settings = model.entrypoints
    .filter((entrypoint) => scoped(entrypoint.file))
    .flatMap((entrypoint) => entrypoint.environment)
    .filter((setting) => setting.name === variable)
    .map((setting) => ({ value: setting.value, at: `${display(root, setting.at.path)}:${setting.at.line}` }));
  for (const name of ['.flaskenv', '.env']) {
    for (const base of new Set([folder, root])) {
      const read = readSourceFile(join(base, name), true);
      if (!read.ok) continue;
      for (const assignment of envAssignments(read.source.text))
        if (assignment.name === variable)
          settings.push({
            value: assignment.value.replace(/^(["'])(.*)\1$/, '$2'),
            at: `${display(root, join(base, name))}:${assignment.line}`,
          });
    }
  }
  for (const setting of settings) {
    const path = projectFile(root, folder, setting.value);
    const debug = path ? debugInConfigFile(path, 'python') : undefined;
    if (path && debug)
      return {
        note:
          ` (${variable}=${setting.value} at ${setting.at} is ${display(root, path)}, ` +
          `whose ${debug.describe} is on line ${debug.line})`,
      };
  }
  return undefined;
}

/**
 * The project file a value names: relative to the app's folder, or a container path's longest tail found in
 * the project.
 */
function projectFile(root: string, folder: string, value: string): string | undefined {
  if (!value || value.includes('$')) return undefined;
  if (!isAbsolute(value)) return resolveConfigFile(folder, value);
  const parts = value.split('/').filter((part) => part !== '');
  for (let skip = 0; skip < parts.length; skip++) {
    const tail = parts.slice(skip);
    for (const base of [root, folder]) {
      const candidate = join(base, ...tail);
      if (existsSync(candidate)) return resolveConfigFile(base, tail.join('/'));
    }
  }
  return undefined;
}

function display(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
