import { basename, dirname, join } from 'node:path';
import type { DevServerCommand } from './dev-server-command.js';
import { DEVELOPMENT_ONLY_NAME } from './debug-variables.js';
import { dockerInstructions } from './formats/dockerfile-instructions.js';
import { dockerStages, stageAt, stagePython, type PythonVersion } from './formats/dockerfile-stages.js';
import { gunicornReleaseFor, type GunicornRelease } from './gunicorn-release.js';
import { resolveImage, resolvePlatformInstall, type InstallChange } from './install-location.js';
import { resolveAppRunAddress, resolveFlaskRunAddress, type ListenAddress } from './listen-address.js';
import { resolved, unresolved, type ProjectFiles, type Resolved } from './project-files.js';
import { withServedApp } from './served-app.js';

/** Everything a dev-server command's replacement needs, each part resolved with certainty. */
export interface ServerSwitch {
  /** Gunicorn's APP_MODULE, e.g. `app:app` or `app:create_app()`. */
  target: string;
  /** Where gunicorn runs and where gunicorn.conf.py goes (absolute). */
  folder: string;
  listen: ListenAddress;
  install: InstallChange;
  /** .env/.flaskenv files `flask run` loaded into the environment: gunicorn.conf.py loads them too. */
  dotenvFiles: string[];
  /** The gunicorn release that installs on the image's Python. */
  gunicorn: GunicornRelease;
}

export interface SwitchQuery {
  deployFile: string;
  command: DevServerCommand;
  commandText: string;
  /** True when a shell runs the command (Dockerfile shell form, Procfile, compose string): `$PORT` expands. */
  shell: boolean;
  /** A Dockerfile CMD that runs under an interpreter-only ENTRYPOINT, replaced together with it. */
  joinsEntrypoint?: boolean;
  /** What the deploy model says the entrypoint's process gets (FLASK_APP among them). */
  environment?: ReadonlyMap<string, string>;
}

export const SERVER_CONFIG = 'gunicorn.conf.py';

/**
 * Files meant for development only keep their development server (a developer chose them), by name
 * when the deploy model has no entrypoint for the command: `part` is e.g. `stage dev` or `service web-dev`.
 */
export function developmentOnlyReason(deployFile: string, part?: { label: string; name: string }): string | undefined {
  const name = basename(deployFile).replace(/\.ya?ml$/, '');
  if (DEVELOPMENT_ONLY_NAME.test(name))
    return `${basename(deployFile)} is for development only; it keeps its development server`;
  if (part && DEVELOPMENT_ONLY_NAME.test(part.name))
    return `${part.label} ${part.name} is for development only; it keeps its development server`;
  return undefined;
}

/** A Dockerfile CMD/ENTRYPOINT at `offset`: the image decides what is installed and where the app is. */
export function planDockerfileSwitch(
  query: SwitchQuery,
  offset: number,
  files: ProjectFiles,
  context = dirname(query.deployFile),
): Resolved<ServerSwitch> {
  const source = files.read(query.deployFile);
  if (source === undefined) return unresolved(`cannot read ${basename(query.deployFile)}`);
  const wrapped = query.joinsEntrypoint ? undefined : entrypointWrapping(source, offset);
  if (wrapped) return unresolved(wrapped);
  const image = resolveImage({ path: query.deployFile, source }, offset, context, files);
  if (!image.ok) return image;
  const stage = stageAt(dockerStages(query.deployFile, source), offset);
  const python = stage ? stagePython(stage) : undefined;
  return completeSwitch(query, image.value.appFolder, image.value.environment, image.value.install, files, python);
}

/** A Procfile process: the platform installs requirements.txt and runs the command in the app root. */
export function planProcfileSwitch(query: SwitchQuery, files: ProjectFiles): Resolved<ServerSwitch> {
  const folder = dirname(query.deployFile);
  const install = resolvePlatformInstall(folder, files);
  if (!install.ok) return install;
  return completeSwitch(query, folder, new Map(), install.value, files);
}

/**
 * A compose service built from a Dockerfile: its image decides;
 * a service that only names an image is not ours to change.
 */
export function planComposeSwitch(
  query: SwitchQuery,
  build: { context: string; dockerfile?: string; target?: string } | undefined,
  serviceEnvironment: Map<string, string>,
  files: ProjectFiles,
): Resolved<ServerSwitch> {
  if (!build)
    return unresolved(
      'the service runs an image built elsewhere, so it is not certain that gunicorn is installed in it',
    );
  const context = join(dirname(query.deployFile), build.context);
  const dockerfile = join(context, build.dockerfile ?? 'Dockerfile');
  const source = files.read(dockerfile);
  if (source === undefined)
    return unresolved(`cannot read the service's Dockerfile (${build.dockerfile ?? 'Dockerfile'})`);
  const stages = dockerStages(dockerfile, source);
  const target = build.target?.toLowerCase();
  const stage = target
    ? stages.stages.find((candidate) => candidate.name.toLowerCase() === target)
    : stages.stages.at(-1);
  if (!stage)
    return unresolved(build.target ? `the Dockerfile has no stage ${build.target}` : 'the Dockerfile has no FROM');
  const offset = (stage.instructions.at(-1) ?? stage.from).start + 1;
  // The stage resolver's chain: an ENTRYPOINT of the stage or a stage it builds on.
  if ((stages.steps[stage.index] ?? []).some((step) => step.instruction.keyword === 'ENTRYPOINT')) {
    return unresolved("the image's ENTRYPOINT receives the service command as its arguments");
  }
  const image = resolveImage({ path: dockerfile, source }, offset, context, files);
  if (!image.ok) return image;
  if (image.value.install.kind === 'pip-line')
    return unresolved(
      `gunicorn must be added to ${image.value.install.evidence} in ${build.dockerfile ?? 'Dockerfile'} first`,
    );
  const environment = new Map([...image.value.environment, ...serviceEnvironment]);
  return completeSwitch(query, image.value.appFolder, environment, image.value.install, files, stagePython(stage));
}

function completeSwitch(
  query: SwitchQuery,
  folder: string,
  environment: Map<string, string>,
  install: InstallChange,
  files: ProjectFiles,
  python?: PythonVersion,
): Resolved<ServerSwitch> {
  const gunicorn = gunicornReleaseFor(python);
  if (!gunicorn.ok) return gunicorn;
  if (files.read(join(folder, SERVER_CONFIG)) !== undefined)
    return unresolved(`there already is a ${SERVER_CONFIG}; check its bind and point the command at it by hand`);
  const appQuery = {
    folder,
    command: query.command,
    environment: new Map([...environment, ...(query.environment ?? [])]),
  };
  return withServedApp(appQuery, files, (served) => {
    if (!served.ok) return served;
    let listen: Resolved<ListenAddress>;
    const dotenvFiles: string[] = [];
    if (query.command.kind === 'flask-run') {
      listen = resolveFlaskRunAddress(query.command.argv, { shell: query.shell });
      for (const file of ['.env', '.flaskenv'])
        if (files.read(join(folder, file)) !== undefined) dotenvFiles.push(file);
    } else {
      listen = served.value.runCall
        ? resolveAppRunAddress(served.value.runCall, served.value.facts, served.value.mainBindings)
        : unresolved('no app.run() call to take the host and port from');
    }
    if (!listen.ok) return listen;
    const { target } = served.value;
    return resolved({ target, folder, listen: listen.value, install, dotenvFiles, gunicorn: gunicorn.value });
  });
}

/** Why replacing the instruction at `offset` alone would not change what the container runs, if so. */
function entrypointWrapping(source: string, offset: number): string | undefined {
  const instructions = dockerInstructions(source);
  const command = instructions.find((instruction) => instruction.start === offset);
  if (!command) return 'cannot find the command instruction';
  const after = instructions.filter((instruction) => instruction.start > offset);
  const nextStage = after.findIndex((instruction) => instruction.keyword === 'FROM');
  if (
    (nextStage === -1 ? after : after.slice(0, nextStage)).some(
      (instruction) => instruction.keyword === command.keyword,
    )
  ) {
    return (
      `a later ${command.keyword} in the same stage replaces this one (Docker keeps only the last); ` +
      'remove the dead one by hand'
    );
  }
  const sameStage = instructions.filter((instruction) => instruction.stage === command.stage);
  const other = command.keyword === 'CMD' ? 'ENTRYPOINT' : 'CMD';
  const partner = sameStage.find((instruction) => instruction.keyword === other);
  if (!partner) return undefined;
  return command.keyword === 'CMD'
    ? `an ENTRYPOINT (${partner.args.trim()}) receives this CMD as its arguments`
    : `a CMD (${partner.args.trim()}) would be passed to gunicorn as arguments`;
}

/** An offset inside the stage named `target` (or the last stage) after all its instructions. */
