import type { Document } from 'yaml';
import { basename } from '../model-command.js';
import type { DeployCommand, DeployRole, EnvSetting, SourceSpan } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { interpolateCompose, type ComposeVariables } from './compose-interpolation.js';
import { commandText, composeEnvironment, composeServices, isMap, isScalar, isSeq, mapValue } from '../yaml-nodes.js';
import {
  deployCommand,
  developmentName,
  fileRole,
  placedCommand,
  spanAt,
  yamlListWords,
  type FileEntrypoint,
} from './common.js';

/** A compose file's services: command and entrypoint, environment, env_file, build, working_dir. */
export interface ComposeService {
  name: string;
  file: string;
  /** The service's key: where a finding about the whole service goes. */
  at: SourceSpan;
  image?: string;
  role: DeployRole;
  roleReason: string;
  /** `command:` (and `entrypoint:`) as the service gives them; undefined: the image's own command. */
  command?: DeployCommand;
  /** `entrypoint:` alone, which replaces the image's ENTRYPOINT and drops its CMD. */
  entrypointOverride?: DeployCommand;
  build?: { context: string; dockerfile: string; target?: string; at: SourceSpan };
  workingDirectory?: string;
  environment: EnvSetting[];
  envFiles: FileEntrypoint['envFiles'];
}

function yamlRange(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** compose `command:`: a string is split into words as a shell would (no shell runs it), a list is argv. */
function composeCommand(node: unknown, path: string, source: string): DeployCommand | undefined {
  const text = commandText(node);
  if (!text) return undefined;
  const at = spanAt(path, source, text.start, text.end);
  if (isSeq(node)) {
    const argv = node.items.map((item) => (isScalar(item) ? String(item.value) : ''));
    if (argv.length === 0) return undefined;
    const command = deployCommand(argv, at);
    const words = yamlListWords(node, source);
    if (words) command.words = words;
    return command;
  }
  const first = parseShellCommands(text.text)[0];
  if (!first || first.argv.length === 0) return undefined;
  // A plain scalar is the file's own text: its words have places there (a quoted one's escapes move them).
  if (source.slice(text.start, text.end) === text.text)
    return { ...placedCommand(first, { path, source, offset: text.start, at }), prefixEnv: [] };
  return deployCommand(first.argv, at);
}

const NO_VARIABLES: ComposeVariables = { lookup: () => undefined };

function ignoredValues(
  names: readonly string[],
  variables: ComposeVariables,
): { ignoredValues?: { name: string; value: string }[] } {
  const values = names.flatMap((name) => {
    const value = variables.ignoredValue?.(name);
    return value === undefined ? [] : [{ name, value }];
  });
  return values.length > 0 ? { ignoredValues: values } : {};
}

export function composeServicesOf(
  path: string,
  source: string,
  documents: readonly Document[],
  variables: ComposeVariables = NO_VARIABLES,
): ComposeService[] {
  const stem = basename(path).replace(/\.ya?ml$/i, '');
  const byFile = fileRole(path, stem);
  const services: ComposeService[] = [];
  for (const document of documents) {
    const servicesNode = mapValue(document.contents, 'services');
    for (const { name, service } of composeServices(document)) {
      if (!isMap(service)) continue;
      const keyNode = isMap(servicesNode)
        ? servicesNode.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === name)?.key
        : undefined;
      const keyRange = yamlRange(keyNode) ?? [0, 0];
      const image = mapValue(service, 'image');
      const role =
        byFile ??
        (developmentName(name)
          ? { role: 'development' as const, roleReason: `service ${name} is for development` }
          : { role: 'production' as const, roleReason: `${basename(path)} is not a development or override file` });
      const environment = composeEnvironment(mapValue(service, 'environment')).map((entry): EnvSetting => {
        // A bare name is `${NAME}`: compose takes the value from its environment or the `.env` beside the file.
        const interpolated = interpolateCompose(
          entry.passThrough ? `\${${entry.name}}` : entry.value,
          variables.lookup,
        );
        return {
          name: entry.name,
          value: interpolated?.value ?? entry.value,
          origin: 'compose-environment',
          at: spanAt(path, source, entry.start, entry.end),
          ...(interpolated
            ? {
                interpolation: {
                  written: entry.value,
                  ...(entry.passThrough ? { passThrough: true as const } : {}),
                  unresolved: interpolated.unresolved,
                  undefaulted: interpolated.undefaulted,
                  ...(interpolated.resolved.length > 0 && variables.envFile ? { envFile: variables.envFile } : {}),
                  ...ignoredValues(interpolated.unresolved, variables),
                },
              }
            : {}),
        };
      });
      const envFiles: ComposeService['envFiles'] = [];
      const envFileNode = mapValue(service, 'env_file');
      for (const item of isSeq(envFileNode) ? envFileNode.items : envFileNode === undefined ? [] : [envFileNode]) {
        const pathNode = isMap(item) ? mapValue(item, 'path') : item;
        const range = yamlRange(pathNode);
        if (!isScalar(pathNode) || !range) continue;
        const required = isMap(item) ? mapValue(item, 'required') : undefined;
        envFiles.push({
          path: String(pathNode.value),
          at: spanAt(path, source, range[0], range[1]),
          origin: 'compose-env-file',
          optional: isScalar(required) && required.value === false,
        });
      }
      const buildNode = mapValue(service, 'build');
      let build: ComposeService['build'];
      const buildRange = yamlRange(buildNode);
      if (buildRange && isScalar(buildNode))
        build = {
          context: String(buildNode.value),
          dockerfile: 'Dockerfile',
          at: spanAt(path, source, buildRange[0], buildRange[1]),
        };
      else if (buildRange && isMap(buildNode)) {
        const context = mapValue(buildNode, 'context');
        const dockerfile = mapValue(buildNode, 'dockerfile');
        const target = mapValue(buildNode, 'target');
        build = {
          context: isScalar(context) ? String(context.value) : '.',
          dockerfile: isScalar(dockerfile) ? String(dockerfile.value) : 'Dockerfile',
          ...(isScalar(target) ? { target: String(target.value) } : {}),
          at: spanAt(path, source, buildRange[0], buildRange[1]),
        };
      }
      const workingDir = mapValue(service, 'working_dir');
      const command = composeCommand(mapValue(service, 'command'), path, source);
      const entrypointOverride = composeCommand(mapValue(service, 'entrypoint'), path, source);
      services.push({
        name,
        file: path,
        at: spanAt(path, source, keyRange[0], keyRange[1]),
        ...(isScalar(image) ? { image: String(image.value) } : {}),
        ...role,
        ...(command ? { command } : {}),
        ...(entrypointOverride ? { entrypointOverride } : {}),
        ...(build ? { build } : {}),
        ...(isScalar(workingDir) ? { workingDirectory: String(workingDir.value) } : {}),
        environment,
        envFiles,
      });
    }
  }
  return services;
}
