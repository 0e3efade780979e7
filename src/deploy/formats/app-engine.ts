import type { Document } from 'yaml';
import { dirname } from 'node:path';
import { basename } from '../model-command.js';
import type { DeployCommand, DeployRole, EnvSetting } from '../model.js';
import { isMap, isScalar, mapValue } from '../yaml-nodes.js';
import { deployCommand, fileRole, spanAt, yamlShellCommand } from './common.js';

/**
 * A Google App Engine `app.yaml` for a Python app: App Engine runs its `entrypoint:` through a shell, or, in
 * the standard environment's Python 3 runtimes, `gunicorn main:app` when it has none (the `app` object of
 * `main.py`, never its `__main__` block). `env_variables:` is the process's environment; the app.yaml's
 * folder is what `gcloud app deploy` uploads.
 */
export interface AppEngineService {
  name: string;
  file: string;
  role: DeployRole;
  roleReason: string;
  command: DeployCommand;
  /** The app.yaml's folder: the code App Engine deploys and starts in. */
  scope: string;
  environment: EnvSetting[];
}

// app.yaml, app.yml and variants (app.dev.yaml, app-staging.yaml, app37.yaml), with a Python runtime key besides:
// other names are too often other YAML (apphosting.yaml is Firebase's, with a runtime key of its own).
const APP_YAML_NAME = /^app(?:\d+|[._-][\w.-]*)?\.ya?ml$/i;
// Python 3 standard runtimes (python37 ... python313, python3) and the flexible environment's `python`.
const STANDARD_RUNTIME = /^python3\d*$/;

type Range = [number, number, number];
const rangeOf = (node: unknown): Range | undefined => (node as { range?: Range } | null | undefined)?.range;

const scalarText = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;

/** The runtime of an App Engine Python app, or undefined when the file is not one. */
function pythonRuntime(path: string, document: Document): { runtime: string; flexible: boolean } | undefined {
  if (!APP_YAML_NAME.test(basename(path)) || !isMap(document.contents)) return undefined;
  const runtime = scalarText(mapValue(document.contents, 'runtime'));
  // `env: flex` (or `flexible`); older flexible apps said `vm: true`.
  const env = scalarText(mapValue(document.contents, 'env'));
  const flexible = env === 'flex' || env === 'flexible' || scalarText(mapValue(document.contents, 'vm')) === 'true';
  if (runtime === undefined) return undefined;
  if (STANDARD_RUNTIME.test(runtime) || (runtime === 'python' && flexible)) return { runtime, flexible };
  return undefined;
}

/** True when a YAML file is an App Engine app.yaml whose runtime is Python 3. */
export function isAppEngineConfig(path: string, documents: readonly Document[]): boolean {
  return documents.some((document) => pythonRuntime(path, document) !== undefined);
}

/** The `env_variables:` entries with a scalar value; each spans its key and value (what a fix removes). */
function envVariables(node: unknown, path: string, source: string): EnvSetting[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair): EnvSetting[] => {
    const name = scalarText(pair.key);
    const start = rangeOf(pair.key)?.[0];
    const end = rangeOf(pair.value)?.[1];
    if (name === undefined || !isScalar(pair.value) || start === undefined || end === undefined) return [];
    const value = String(pair.value.value ?? '');
    return [{ name, value, origin: 'app-engine-env-variable', at: spanAt(path, source, start, end) }];
  });
}

/** The App Engine service an app.yaml deploys, or undefined when it is not a Python one. */
export function appEngineServiceOf(
  path: string,
  source: string,
  documents: readonly Document[],
): AppEngineService | undefined {
  const document = documents.find((candidate) => pythonRuntime(path, candidate) !== undefined);
  const runtime = document && pythonRuntime(path, document);
  if (!document || !runtime) return undefined;
  const root = document.contents;
  const service = scalarText(mapValue(root, 'service'));
  const runtimeRange = rangeOf(mapValue(root, 'runtime')) ?? [0, 0];
  const runtimeAt = spanAt(path, source, runtimeRange[0], runtimeRange[1]);
  const own = yamlShellCommand(mapValue(root, 'entrypoint'), path, source);
  // Without an entrypoint, the standard Python 3 runtime serves main.py's `app` with gunicorn; the flexible
  // environment needs one, so nothing is known to run.
  const command =
    own ??
    (runtime.flexible
      ? {
          argv: [],
          at: runtimeAt,
          parts: [],
          target: { kind: 'other' as const, program: 'no entrypoint' },
          prefixEnv: [],
        }
      : deployCommand(['gunicorn', 'main:app'], runtimeAt));
  const where = service ? `App Engine service ${service}` : 'App Engine';
  const roleReason = own
    ? `an App Engine ${runtime.runtime} app: it runs the entrypoint`
    : `an App Engine ${runtime.runtime} app: without an entrypoint it serves the app object of main.py with gunicorn`;
  return {
    name: `${basename(path)} (${where})`,
    file: path,
    ...(fileRole(path, basename(path).replace(/\.ya?ml$/i, '')) ?? { role: 'production' as const, roleReason }),
    command,
    scope: dirname(path),
    environment: envVariables(mapValue(root, 'env_variables'), path, source),
  };
}
