import { dirname, normalize, resolve } from 'node:path';
import { isMap, mapValue, parseYamlDocuments } from './yaml-nodes.js';
import { mayDefineDeployment } from './deploy-shape.js';
import { basename } from './model-command.js';
import { deployCommand, envFileSettings, type FileEntrypoint } from './formats/common.js';
import { appEngineServiceOf, isAppEngineConfig } from './formats/app-engine.js';
import { composeServicesOf } from './formats/compose.js';
import { composeVariables } from './formats/compose-interpolation.js';
import { dockerfileModel, type DockerfileModel } from './formats/dockerfile.js';
import { kubernetesEntrypoints } from './formats/kubernetes.js';
import { makefileEntrypoints } from './formats/makefile.js';
import { packageScriptEntrypoints } from './formats/package-json.js';
import { procfileEntrypoints } from './formats/procfile.js';
import { herokuEntrypoints, isHerokuManifest } from './formats/heroku.js';
import { isRenderBlueprint, renderServicesOf } from './formats/render.js';
import { supervisordEntrypoints } from './formats/supervisord.js';
import { gunicornConfigEntrypoints, namesNoApp } from './formats/gunicorn-config-file.js';
import { uwsgiIniEntrypoints, uwsgiYamlEntrypoints } from './formats/uwsgi.js';
import { vercelEntrypoints } from './formats/vercel.js';
import { platformStartEntrypoints } from './formats/platform-start.js';
import { zappaEntrypoints } from './formats/zappa.js';
import { isServerlessWsgi, serverlessWsgiEntrypoints } from './formats/serverless.js';
import { lambdaHandlerEntrypoints } from './formats/lambda-handler.js';
import { withoutCommandedConfigs } from './server-config-files.js';
import { withSiblingRole } from './sibling-role.js';
import { systemdEntrypoints } from './formats/systemd.js';
import { readSourceFile } from '../files/source-text.js';
import { completeEntrypoint } from './complete-entrypoint.js';
import { withServedModuleScope } from './host-scope.js';
import { DEVELOPMENT_SCRIPT_NAME } from './script-role.js';
import { servesApp, type DeployCopy, type DeployModel, type ModelFileKind } from './model.js';

/** The deploy files the model reads (shell scripts and env files are reached through them). */
export type { ModelFileKind } from './model.js';

export interface DeployFileRef {
  path: string;
  kind: ModelFileKind;
}

export interface DeployModelInput {
  /** The repository root: absolute paths in deploy files are looked up below it. */
  root: string;
  /** The deploy files to read; scripts and env files they name are read through `readText`. */
  files: readonly DeployFileRef[];
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /**
   * True for a file git ignores: a `.env` beside a compose file that git ignores is a developer's own, and its
   * values are not what compose substitutes elsewhere. Absent: every file counts as committed.
   */
  isGitIgnored?(path: string): boolean;
  /** The repository's Python files: where a supervisord program or systemd unit finds the module it serves. */
  pythonFiles?: readonly string[];
  /**
   * Shell scripts that may start the app on their own (`start_server.sh`: exports, then gunicorn): each one no
   * deploy file runs and that starts a server is an entrypoint of its own.
   */
  startScripts?: readonly string[];
}

/** A systemd unit's `[Service]` section and its ExecStart, in a file of any name. */
const SYSTEMD_UNIT = /^[ \t]*\[[ \t]*Service[ \t]*\][\s\S]*?^[ \t]*ExecStart[ \t]*=/m;

/** A copy that lands as the dotenv file `flask run` and python-dotenv load. */
const DOTENV_DESTINATION = /(?:^|\/)(?:\.env|\.flaskenv)$/;

/**
 * Reads a deploy file, script or env file from disk (size-limited,
 * decoded like source); undefined when it cannot be read.
 */
export function readDeployText(path: string): string | undefined {
  const read = readSourceFile(path, false);
  return read.ok ? read.source.text : undefined;
}

/**
 * Reads the deploy files into one model: every entrypoint with its role,
 * command, environment, and the scripts it runs (followed), compose services
 * linked to the Dockerfile stage they build.
 */
export function loadDeployModel(input: DeployModelInput): DeployModel {
  const { root } = input;
  const texts = new Map<string, string | undefined>();
  const read = (path: string) => {
    if (!texts.has(path)) texts.set(path, input.readText(path));
    return texts.get(path);
  };
  const dockerfiles = new Map<string, DockerfileModel>();
  const fileEntrypoints: FileEntrypoint[] = [];
  type YamlFile = { path: string; source: string; documents: ReturnType<typeof parseYamlDocuments> };
  const composeFiles: YamlFile[] = [];
  const renderFiles: YamlFile[] = [];
  for (const file of input.files) {
    const source = read(file.path);
    if (source === undefined || !mayDefineDeployment(file.kind, source)) continue;
    switch (file.kind) {
      case 'dockerfile': {
        const model = dockerfileModel(file.path, source);
        dockerfiles.set(normalize(file.path), model);
        fileEntrypoints.push(...model.entrypoints);
        break;
      }
      case 'procfile':
        fileEntrypoints.push(...procfileEntrypoints(file.path, source));
        break;
      case 'systemd':
        fileEntrypoints.push(...systemdEntrypoints(file.path, source));
        break;
      case 'supervisord':
        // `.ini`/`.conf` files: supervisord's programs, or a uWSGI config's `[uwsgi]` section.
        fileEntrypoints.push(...supervisordEntrypoints(file.path, source), ...uwsgiIniEntrypoints(file.path, source));
        // A systemd unit under another name (`app.conf`, a template's): its `[Service]` with an ExecStart.
        if (SYSTEMD_UNIT.test(source)) fileEntrypoints.push(...systemdEntrypoints(file.path, source));
        break;
      case 'gunicorn-config':
        fileEntrypoints.push(...gunicornConfigEntrypoints(file.path, source));
        break;
      case 'vercel':
        fileEntrypoints.push(...vercelEntrypoints(file.path, source, (path) => read(path) !== undefined));
        break;
      case 'platform-start':
        fileEntrypoints.push(...platformStartEntrypoints(file.path, source));
        break;
      case 'zappa':
        fileEntrypoints.push(...zappaEntrypoints(file.path, source));
        break;
      case 'lambda-handler':
        fileEntrypoints.push(...lambdaHandlerEntrypoints(file.path, source));
        break;
      case 'makefile':
        fileEntrypoints.push(...makefileEntrypoints(file.path, source));
        break;
      case 'package-json':
        fileEntrypoints.push(...packageScriptEntrypoints(file.path, source));
        break;
      case 'yaml': {
        const documents = parseYamlDocuments(source);
        if (documents.some((document) => isMap(mapValue(document.contents, 'services'))))
          composeFiles.push({ path: file.path, source, documents });
        else if (isRenderBlueprint(documents)) renderFiles.push({ path: file.path, source, documents });
        else if (isAppEngineConfig(file.path, documents))
          fileEntrypoints.push(...appEngineEntrypoints(file.path, source, documents));
        else if (isServerlessWsgi(documents))
          fileEntrypoints.push(...serverlessWsgiEntrypoints(file.path, source, documents));
        else if (isHerokuManifest(file.path)) fileEntrypoints.push(...herokuEntrypoints(file.path, source, documents));
        else {
          const uwsgi = uwsgiYamlEntrypoints(file.path, source, documents);
          fileEntrypoints.push(...(uwsgi.length > 0 ? uwsgi : kubernetesEntrypoints(file.path, source, documents)));
        }
        break;
      }
    }
  }

  // Compose services: their own command, or the command of the Dockerfile stage they build.
  for (const compose of composeFiles) {
    const variables = composeVariables(compose.path, read, input.isGitIgnored);
    for (const service of composeServicesOf(compose.path, compose.source, compose.documents, variables)) {
      const context = service.build ? resolve(dirname(compose.path), service.build.context) : undefined;
      const dockerfile = context && service.build ? normalize(resolve(context, service.build.dockerfile)) : undefined;
      const built = dockerfile ? dockerfiles.get(dockerfile) : undefined;
      const stage = built && service.build ? builtStage(built, service.build.target) : undefined;
      let command = service.command;
      if (service.entrypointOverride) {
        // compose `entrypoint:` replaces the image's ENTRYPOINT and drops its CMD; `command:` is its arguments.
        const { entrypointOverride: head, command: tail } = service;
        command = tail
          ? deployCommand([...head.argv, ...tail.argv], tail.at, [head.at, tail.at])
          : service.entrypointOverride;
        if (tail && head.words && tail.words) command.words = [...head.words, ...tail.words];
      }
      // An image we cannot see into still runs something, with the environment the service gives it.
      command ??= stage?.command ?? {
        argv: [],
        at: service.at,
        parts: [],
        target: { kind: 'other', program: service.image ?? 'the image command' },
        prefixEnv: [],
      };
      fileEntrypoints.push({
        kind: 'compose',
        name: `${basename(compose.path)} service ${service.name}`,
        role: service.role,
        roleReason: service.roleReason,
        file: compose.path,
        ...(stage?.stage ? { stage: stage.stage } : {}),
        ...(context ? { buildContext: context } : {}),
        ...(built && dockerfile ? { dockerfile } : {}),
        ...(!service.build && service.image ? { image: service.image } : {}),
        ...(stage?.imagePython ? { imagePython: stage.imagePython } : {}),
        command,
        ...((service.workingDirectory ?? stage?.workingDirectory)
          ? { workingDirectory: service.workingDirectory ?? stage?.workingDirectory }
          : {}),
        environment: [...(stage?.environment ?? []), ...service.environment],
        envFiles: service.envFiles,
      });
    }
  }

  // Render services: their start command, or (runtime: docker) the Dockerfile's, which dockerCommand replaces.
  for (const blueprint of renderFiles) {
    for (const service of renderServicesOf(blueprint.path, blueprint.source, blueprint.documents)) {
      const built = service.dockerfiles
        ?.map((path) => dockerfiles.get(normalize(path)))
        .find((model) => model !== undefined);
      const stage = built ? builtStage(built, undefined) : undefined;
      const command = service.command ??
        stage?.command ?? {
          argv: [],
          at: service.at,
          parts: [],
          target: { kind: 'other', program: service.dockerfiles ? 'the image command' : 'no start command' },
          prefixEnv: [],
        };
      fileEntrypoints.push({
        kind: 'render',
        name: `${basename(blueprint.path)} service ${service.name}`,
        role: service.role,
        roleReason: service.roleReason,
        file: blueprint.path,
        ...(stage?.stage ? { stage: stage.stage } : {}),
        command,
        ...(stage?.workingDirectory ? { workingDirectory: stage.workingDirectory } : {}),
        ...(service.rootDir ? { scope: service.rootDir } : {}),
        environment: [...(stage?.environment ?? []), ...service.environment],
        envFiles: [],
      });
    }
  }

  const entrypoints = fileEntrypoints
    .map((entry) => completeEntrypoint(withSiblingRole(entry, input.files), root, read, dockerfiles))
    // A gunicorn config that names no app is evidence of a WSGI server, not a process of its own: no settings.
    .map((entrypoint) => (namesNoApp(entrypoint) ? { ...entrypoint, environment: [] } : entrypoint))
    // An npm script is an entrypoint only when it serves the app (not `python3 copy_build.py`).
    .filter((entrypoint) => entrypoint.kind !== 'npm-script' || servesApp(entrypoint.serves.target))
    .map((entrypoint) => withServedModuleScope(entrypoint, input.pythonFiles ?? []));
  const followed = new Set(entrypoints.flatMap((entrypoint) => entrypoint.scripts.map((script) => script.path)));
  for (const path of input.startScripts ?? []) {
    // A script named for development (run-local.sh, start_dev.sh) is a developer's own tool: no deployment.
    if (followed.has(path) || DEVELOPMENT_SCRIPT_NAME.test(basename(path)) || read(path) === undefined) continue;
    const entrypoint = completeEntrypoint(startScriptEntry(path), root, read, dockerfiles);
    // Only a script that serves the app is a run of it (`python3 configure.py` then `docker-compose up` is not).
    if (!servesApp(entrypoint.serves.target)) continue;
    // The script that serves decides the role, from what it does as a whole (script-role.ts): one that makes
    // its own virtualenv and then starts Flask's development server is a developer's setup.
    const decided = entrypoint.serves.role;
    entrypoints.push(decided ? { ...entrypoint, role: decided.role, roleReason: decided.reason } : entrypoint);
  }
  const copies: DeployCopy[] = [];
  for (const [path, model] of dockerfiles) {
    for (const copy of model.copies) {
      if (copy.fromStage) continue;
      // A COPY reaches the entrypoints whose image holds its files: its stage's, the stages built on it, and
      // the stages that `COPY --from` them (the stage resolver answers).
      const stageRoles = model.entrypoints
        .filter((entry) => entry.stage && copy.images.includes(entry.stage.index))
        .map((entry) => entry.role);
      const sources = copy.sources
        .map((source) => resolve(dirname(path), source))
        .filter((source) => read(source) !== undefined);
      const dotenv = DOTENV_DESTINATION.test(copy.destination)
        ? sources.flatMap((source) => {
            const text = read(source);
            return text === undefined
              ? []
              : [{ path: source, settings: envFileSettings(source, text, copy.at, 'flask-dotenv') }];
          })
        : [];
      copies.push({
        sources,
        destination: copy.destination,
        at: copy.at,
        role:
          stageRoles.length > 0 && stageRoles.every((role) => role === 'development') ? 'development' : 'production',
        inImage: copy.images.length > 0,
        ...(dotenv.length > 0 ? { dotenv } : {}),
      });
    }
  }
  return {
    root,
    entrypoints: withoutCommandedConfigs(entrypoints),
    copies,
    files: input.files.map((file) => file.path),
  };
}

/** An App Engine app.yaml: one service, which runs its entrypoint (or gunicorn main:app) in the file's folder. */
function appEngineEntrypoints(
  path: string,
  source: string,
  documents: ReturnType<typeof parseYamlDocuments>,
): FileEntrypoint[] {
  const service = appEngineServiceOf(path, source, documents);
  return service ? [{ kind: 'app-engine', ...service, envFiles: [] }] : [];
}

/** `sh ./start_server.sh` from the script's own folder: the model follows it as a deploy file's command would be. */
function startScriptEntry(path: string): FileEntrypoint {
  const name = basename(path);
  const at = { path, start: 0, end: 0, line: 1 };
  return {
    kind: 'script',
    name: `${name} (a start script no deploy file runs)`,
    role: 'production',
    roleReason: 'a start script that starts a server',
    file: path,
    command: deployCommand(['sh', `./${name}`], at),
    environment: [],
    envFiles: [],
  };
}

function builtStage(model: DockerfileModel, target: string | undefined): FileEntrypoint | undefined {
  return model.entrypoints.find((entry) => (target ? entry.stage?.name === target : entry.stage?.final));
}
