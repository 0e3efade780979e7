import type { Node } from 'yaml';
import { basename } from '../model-command.js';
import type { EnvSetting } from '../model.js';
import { isMap, isScalar, mapValue, parseYamlDocuments } from '../yaml-nodes.js';
import { spanAt, serverCommand, type FileEntrypoint } from './common.js';

/**
 * zappa_settings.json (or .yml/.yaml): each top-level key is a stage that Zappa deploys to AWS Lambda, which
 * imports the module of its `app_function` (`"app.app"`) and serves that WSGI app: never the module's
 * `if __name__ == "__main__":` block. A stage takes the settings of the stage it `extends` under its own.
 * The file is read with the YAML parser (JSON is YAML), so every setting keeps its place in the text.
 */

/** `module.app` or `package.module.app`: a dotted module and the app's name in it. */
export const DOTTED_APP = /^[A-Za-z_][\w]*(?:[./][A-Za-z_][\w]*)*\.[A-Za-z_]\w*$/;

/** `svc.app.app` -> `svc.app:app`, the spec a WSGI server would be given. */
export function dottedToSpec(dotted: string): string {
  const dot = dotted.lastIndexOf('.');
  return `${dotted.slice(0, dot)}:${dotted.slice(dot + 1)}`;
}

interface StageSettings {
  appFunction?: { value: string; node: Node };
  environment: { name: string; value: string; start: number; end: number }[];
}

export function zappaEntrypoints(path: string, source: string): FileEntrypoint[] {
  const root = parseYamlDocuments(source)[0]?.contents;
  if (!isMap(root)) return [];
  const stages = new Map<string, unknown>();
  for (const pair of root.items)
    if (isScalar(pair.key) && isMap(pair.value)) stages.set(String(pair.key.value), pair.value);
  const name = basename(path);
  return [...stages.keys()].flatMap((stage): FileEntrypoint[] => {
    const settings = stageSettings(stages, stage, new Set());
    const appFunction = settings.appFunction;
    const range = appFunction?.node.range;
    if (!appFunction || !range || !DOTTED_APP.test(appFunction.value)) return [];
    const at = spanAt(path, source, range[0], range[1]);
    const command = serverCommand(['zappa', appFunction.value], at, 'zappa', dottedToSpec(appFunction.value));
    const environment: EnvSetting[] = settings.environment.map((entry) => ({
      name: entry.name,
      value: entry.value,
      origin: 'zappa-environment-variable',
      at: spanAt(path, source, entry.start, entry.end),
    }));
    return [
      {
        kind: 'zappa',
        name: `${name} stage ${stage}`,
        role: 'production',
        roleReason: `Zappa deploys stage ${stage} to AWS Lambda, which imports ${appFunction.value} and serves it`,
        file: path,
        command,
        environment,
        envFiles: [],
      },
    ];
  });
}

/** A stage's app_function and environment, over those of the stage it extends (a loop of `extends` ends). */
function stageSettings(stages: ReadonlyMap<string, unknown>, stage: string, seen: Set<string>): StageSettings {
  const node = stages.get(stage);
  if (node === undefined || seen.has(stage)) return { environment: [] };
  seen.add(stage);
  const parentName = mapValue(node, 'extends');
  const parent =
    isScalar(parentName) && typeof parentName.value === 'string'
      ? stageSettings(stages, parentName.value, seen)
      : { environment: [] };
  const own = mapValue(node, 'app_function');
  const appFunction =
    isScalar(own) && typeof own.value === 'string' ? { value: own.value.trim(), node: own } : parent.appFunction;
  return {
    ...(appFunction ? { appFunction } : {}),
    environment: [...parent.environment, ...scalarEntries(mapValue(node, 'environment_variables'))],
  };
}

/** `NAME: value` entries of a map whose value is a string, number or boolean, each with its key-to-value span. */
export function scalarEntries(node: unknown): { name: string; value: string; start: number; end: number }[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => {
    const key = pair.key;
    const value = pair.value;
    if (!isScalar(key) || !isScalar(value)) return [];
    const written = value.value;
    if (typeof written !== 'string' && typeof written !== 'number' && typeof written !== 'boolean') return [];
    const start = (key as Node).range?.[0];
    const end = (value as Node).range?.[1];
    if (start === undefined || end === undefined) return [];
    return [{ name: String(key.value), value: String(written), start, end }];
  });
}
