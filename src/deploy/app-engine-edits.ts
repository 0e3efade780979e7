import type { Document } from 'yaml';
import type { Fix } from '../core/findings.js';
import { removeLines } from './deploy-edits.js';
import { isMap, isScalar, mapValue } from './yaml-nodes.js';

type Range = [number, number, number];
const rangeOf = (node: unknown): Range | undefined => (node as { range?: Range } | null | undefined)?.range;

/**
 * Removes the App Engine `env_variables:` entry whose key starts at `start` (`FLASK_DEBUG: "1"`); the only
 * entry takes the `env_variables:` key with it (an empty key would be null, which is no map of variables).
 * Undefined when the entry shares a line with other YAML (a flow map): that is edited by hand.
 */
export function appEngineEnvVariableFix(
  source: string,
  documents: readonly Document[],
  start: number,
): Fix | undefined {
  const title = 'remove the env_variables entry: developers opt in with FLASK_DEBUG=1 on their own machine';
  for (const document of documents) {
    const fix = envMapEntryFix(source, document.contents, 'env_variables', start, title);
    if (fix !== null) return fix;
  }
  return undefined;
}

/**
 * A serverless.yml's `provider.environment` or function `environment` entry whose key starts at `start`,
 * removed as an App Engine one is (the only entry takes its `environment:` key with it).
 */
export function serverlessEnvironmentFix(
  source: string,
  documents: readonly Document[],
  start: number,
): Fix | undefined {
  const title = 'remove the environment entry: developers opt in with FLASK_DEBUG=1 on their own machine';
  for (const document of documents) {
    const functions = mapValue(document.contents, 'functions');
    const owners = [
      mapValue(document.contents, 'provider'),
      ...(isMap(functions) ? functions.items.map((pair) => pair.value) : []),
    ];
    for (const owner of owners) {
      const fix = envMapEntryFix(source, owner, 'environment', start, title);
      if (fix !== null) return fix;
    }
  }
  return undefined;
}

/** The removal of the entry at `start` of `owner[key]`; null when that map holds no such entry. */
function envMapEntryFix(
  source: string,
  owner: unknown,
  key: string,
  start: number,
  title: string,
): Fix | null | undefined {
  const variables = mapValue(owner, key);
  if (!isMap(variables) || !isMap(owner)) return null;
  const entry = variables.items.find((pair) => rangeOf(pair.key)?.[0] === start);
  const end = rangeOf(entry?.value)?.[1];
  if (!entry || end === undefined) return null;
  const before = source.slice(source.lastIndexOf('\n', start - 1) + 1, start);
  if (variables.flow || !/^[ \t]*$/.test(before)) return undefined;
  if (variables.items.length > 1) return { title, edits: [removeLines(source, start, end)] };
  const keyStart = rangeOf(owner.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key)?.[0];
  return keyStart === undefined ? undefined : { title, edits: [removeLines(source, keyStart, end)] };
}
