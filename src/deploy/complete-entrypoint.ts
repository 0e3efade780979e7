import { dirname, join, normalize } from 'node:path';
import { envFileSettings, expandShell, type FileEntrypoint } from './formats/common.js';
import type { DockerfileModel } from './formats/dockerfile.js';
import { followCommands, lastStarting, locate } from './script-follow.js';
import type { Entrypoint, EnvSetting, ScriptRun } from './model.js';
import { skipsDotenv } from './debug-variables.js';
import { gunicornEnvironment } from './gunicorn-env.js';

// An entrypoint as a deploy file writes it, completed from the repository: its env files read, the scripts it
// runs followed to the command that finally serves, and the settings gunicorn and python-dotenv add.

/** Follows scripts and env files: the whole environment and the command it finally serves. */
export function completeEntrypoint(
  entry: FileEntrypoint,
  root: string,
  read: (path: string) => string | undefined,
  dockerfiles: ReadonlyMap<string, DockerfileModel>,
): Entrypoint {
  let environment: EnvSetting[] = [...entry.environment];
  for (const envFile of entry.envFiles) {
    const path = locate(envFile.path, dirname(entry.file), root, read);
    const text = path ? read(path) : undefined;
    // concat, not push(...): a .env of 200,000 lines is more arguments than the stack holds.
    if (path && text !== undefined)
      environment = environment.concat(envFileSettings(path, text, envFile.at, envFile.origin));
  }
  const scripts: ScriptRun[] = [];
  const copies = dockerfiles.get(normalize(entry.dockerfile ?? entry.file))?.copies ?? [];
  // `sh -c "cd /app && exec gunicorn ..."` and `a && b` lines: the command is the simple one that serves.
  const ownCommands = expandShell(entry.command);
  const command = lastStarting(ownCommands) ?? entry.command;
  const served = followCommands(ownCommands, {
    entry,
    root,
    read,
    copies,
    scripts,
    environment: [...environment, ...command.prefixEnv],
    depth: 0,
    visited: new Set(),
  });
  const serves = served ?? command;
  // `flask run` and `app.run()` load .flaskenv and .env from the app's folder (python-dotenv),
  // unless FLASK_SKIP_DOTENV says not to.
  const dotenvSkipped = skipDotenvSetting([
    ...environment,
    ...command.prefixEnv,
    ...scripts.flatMap((script) => script.exports),
    ...serves.prefixEnv,
  ]);
  const folder = serves.at.path === entry.file ? (entry.scope ?? dirname(entry.file)) : dirname(serves.at.path);
  // gunicorn's -e and the raw_env of the config file it loads: set last, over what it inherited.
  const inherited = [...environment, ...command.prefixEnv, ...scripts.flatMap((script) => script.exports)];
  environment = environment.concat(
    gunicornEnvironment({
      serves,
      inherited: [...inherited, ...serves.prefixEnv],
      locate: (reference) => locate(reference, entry.buildContext ?? folder, root, read),
      read,
    }),
  );
  if (!dotenvSkipped && ['flask-run', 'manage-run', 'python-script'].includes(serves.target.kind)) {
    for (const name of ['.env', '.flaskenv']) {
      const text = read(join(folder, name));
      if (text !== undefined)
        environment = envFileSettings(join(folder, name), text, serves.at, 'flask-dotenv').concat(environment);
    }
  }
  return {
    kind: entry.kind,
    name: entry.name,
    role: entry.role,
    roleReason: entry.roleReason,
    file: entry.file,
    ...(entry.stage ? { stage: entry.stage } : {}),
    ...(entry.buildContext ? { buildContext: entry.buildContext } : {}),
    ...(entry.dockerfile ? { dockerfile: entry.dockerfile } : {}),
    ...(entry.image ? { image: entry.image } : {}),
    ...(entry.imagePython ? { imagePython: entry.imagePython } : {}),
    command,
    ...(entry.workingDirectory ? { workingDirectory: entry.workingDirectory } : {}),
    ...(entry.scope ? { scope: entry.scope } : {}),
    environment,
    scripts,
    serves,
    ...(dotenvSkipped ? { dotenvSkipped } : {}),
  };
}

/** The FLASK_SKIP_DOTENV setting that stops flask loading dotenv files, when the last one does. */
function skipDotenvSetting(settings: readonly EnvSetting[]): EnvSetting | undefined {
  const last = settings
    .filter((setting) => setting.name === 'FLASK_SKIP_DOTENV' && !setting.branch?.development)
    .at(-1);
  return last && skipsDotenv(last.value) ? last : undefined;
}
