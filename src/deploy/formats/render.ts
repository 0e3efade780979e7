import type { Document } from 'yaml';
import { dirname, resolve } from 'node:path';
import { basename } from '../model-command.js';
import type { DeployCommand, DeployRole, EnvSetting, SourceSpan } from '../model.js';
import type { YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq, mapValue } from '../yaml-nodes.js';
import { developmentName, fileRole, spanAt, yamlShellCommand } from './common.js';

/**
 * A Render Blueprint (`render.yaml`): a `services:` list whose items have a `type` (web, pserv, worker,
 * cron...). Native runtimes run `startCommand` through a shell; a `runtime: docker` service builds
 * `dockerfilePath` and runs its CMD, or `dockerCommand` instead. `envVars:` items with a literal `value`
 * (and those of an `envVarGroups` entry a `fromGroup:` item names) are the process's environment;
 * `rootDir` is the folder the service builds and starts in.
 */
export interface RenderService {
  name: string;
  file: string;
  /** The service's `name:` (or its list item): where a finding about the whole service goes. */
  at: SourceSpan;
  role: DeployRole;
  roleReason: string;
  /** `startCommand:` (native runtimes) or `dockerCommand:` (docker); undefined: the image's own command. */
  command?: DeployCommand;
  /**
   * The Dockerfile a `runtime: docker` service builds, absolute: `dockerfilePath` from `rootDir`, then from
   * the repository root (Render's pages say one or the other; the loader takes the first that exists).
   */
  dockerfiles?: string[];
  /** `rootDir`, absolute: the folder the service's code is in (without it, the repository's). */
  rootDir?: string;
  environment: EnvSetting[];
}

// Service types that run a process of the repository's code (static sites, Key Value and Redis do not).
const PROCESS_TYPES = new Set(['web', 'pserv', 'worker', 'cron', 'background_worker']);
const DOCKER_RUNTIMES = new Set(['docker']);

/** True when a YAML file is a Render Blueprint: a `services:` list of items with a `type`. */
export function isRenderBlueprint(documents: readonly Document[]): boolean {
  return documents.some((document) => {
    const services = mapValue(document.contents, 'services');
    return (
      isSeq(services) &&
      services.items.some((item) => isMap(item) && isScalar(mapValue(item, 'type'))) &&
      services.items.every((item) => isMap(item))
    );
  });
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

const scalarText = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;

/** Lists under `key` in the document, in the blueprint's own places and in `projects[].environments[]`. */
function nestedLists(root: unknown, key: string): unknown[] {
  const lists = [mapValue(root, key)];
  const projects = mapValue(root, 'projects');
  for (const project of isSeq(projects) ? projects.items : []) {
    lists.push(mapValue(project, key));
    const environments = mapValue(project, 'environments');
    for (const environment of isSeq(environments) ? environments.items : []) lists.push(mapValue(environment, key));
  }
  return lists.flatMap((list) => (isSeq(list) ? list.items : []));
}

/** Every `envVars:` list of a blueprint (services' and groups'), with the map that holds it: what fixes edit. */
export function renderEnvVarLists(root: unknown): { owner: unknown; list: YAMLSeq }[] {
  return [...nestedLists(root, 'services'), ...nestedLists(root, 'envVarGroups')].flatMap((owner) => {
    const list = mapValue(owner, 'envVars');
    return isSeq(list) ? [{ owner, list }] : [];
  });
}

/** The `envVars:` items with a literal value, as settings; `fromGroup:` items bring their group's. */
function envVarSettings(
  node: unknown,
  groups: ReadonlyMap<string, unknown>,
  path: string,
  source: string,
  seenGroups: ReadonlySet<string> = new Set(),
): EnvSetting[] {
  const settings: EnvSetting[] = [];
  for (const item of isSeq(node) ? node.items : []) {
    const key = scalarText(mapValue(item, 'key'));
    const value = mapValue(item, 'value');
    const range = rangeOf(item);
    if (key !== undefined && isScalar(value) && range) {
      settings.push({
        name: key,
        value: String(value.value ?? ''),
        origin: 'render-env-var',
        at: spanAt(path, source, range[0], range[1]),
      });
      continue;
    }
    // A group's entries are written in the group: findings and fixes go there, once for all its services.
    const group = scalarText(mapValue(item, 'fromGroup'));
    if (group !== undefined && !seenGroups.has(group) && groups.has(group))
      settings.push(...envVarSettings(groups.get(group), groups, path, source, new Set([...seenGroups, group])));
  }
  return settings;
}

/**
 * The services of a blueprint. Render reads it at the repository root, and `rootDir` and Docker paths start
 * there: from the blueprint's own folder (a blueprint in a subfolder is one project of a larger tree).
 */
export function renderServicesOf(path: string, source: string, documents: readonly Document[]): RenderService[] {
  const byFile = fileRole(path, basename(path).replace(/\.ya?ml$/i, ''));
  const folder = dirname(path);
  const services: RenderService[] = [];
  for (const document of documents) {
    const root = document.contents;
    const groups = new Map<string, unknown>();
    for (const group of nestedLists(root, 'envVarGroups')) {
      const name = scalarText(mapValue(group, 'name'));
      if (name !== undefined) groups.set(name, mapValue(group, 'envVars'));
    }
    for (const service of nestedLists(root, 'services')) {
      const type = scalarText(mapValue(service, 'type'));
      if (!isMap(service) || type === undefined || !PROCESS_TYPES.has(type)) continue;
      const name = scalarText(mapValue(service, 'name')) ?? type;
      const nameRange = rangeOf(mapValue(service, 'name')) ?? rangeOf(service) ?? [0, 0];
      const runtime = scalarText(mapValue(service, 'runtime')) ?? scalarText(mapValue(service, 'env'));
      const rootDirText = scalarText(mapValue(service, 'rootDir'));
      const rootDir = rootDirText ? resolve(folder, rootDirText) : undefined;
      if (runtime === 'static') continue;
      const docker = runtime !== undefined && DOCKER_RUNTIMES.has(runtime);
      const image = docker || runtime === 'image';
      const command = yamlShellCommand(mapValue(service, image ? 'dockerCommand' : 'startCommand'), path, source);
      // A native service runs nothing without a start command; an image (built here or pulled) runs its own.
      if (!command && !image) continue;
      const dockerfilePath = scalarText(mapValue(service, 'dockerfilePath')) ?? './Dockerfile';
      const role =
        byFile ??
        (developmentName(name)
          ? { role: 'development' as const, roleReason: `service ${name} is for development` }
          : { role: 'production' as const, roleReason: `a Render ${type} service` });
      services.push({
        name,
        file: path,
        at: spanAt(path, source, nameRange[0], nameRange[1]),
        ...role,
        ...(command ? { command } : {}),
        ...(docker
          ? { dockerfiles: [...new Set([resolve(rootDir ?? folder, dockerfilePath), resolve(folder, dockerfilePath)])] }
          : {}),
        ...(rootDir ? { rootDir } : {}),
        environment: envVarSettings(mapValue(service, 'envVars'), groups, path, source),
      });
    }
  }
  return services;
}
