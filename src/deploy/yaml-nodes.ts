import type { Document, Node, YAMLMap } from 'yaml';
import { RecentParses } from '../core/recent-parses.js';
import { yamlLibrary as yaml } from '../files/yaml-library.js';
import { withoutTemplateActions } from './helm-template.js';

// Before loadYaml(), these throw YamlNeeded: builds run through withLazyParsers (deploy/lazy-parsers.ts).
export const isMap = (node: unknown): node is YAMLMap => yaml().isMap(node);
const isPair = (node: unknown) => yaml().isPair(node);
export const isScalar = (node: unknown): node is import('yaml').Scalar => yaml().isScalar(node);
export const isSeq = (node: unknown): node is import('yaml').YAMLSeq => yaml().isSeq(node);

// The rule that reads a file and the model built from it parse the same text: recent parses are kept.
const recentParses = new RecentParses<YamlParse>(512 * 1024);

interface YamlParse {
  documents: Document[];
  /** The first error of a document that did not parse (its documents are left out). */
  error?: { line: number; message: string };
}

function parseYaml(text: string): YamlParse {
  return recentParses.parse(text, (kept) => {
    const library = yaml();
    let documents: Document[];
    try {
      documents = library.parseAllDocuments(withoutTemplateActions(kept), { uniqueKeys: false });
    } catch (thrown) {
      return { documents: [], error: { line: 1, message: thrown instanceof Error ? thrown.message : String(thrown) } };
    }
    const failed = documents.find((document) => document.errors.length > 0)?.errors[0];
    const line = failed?.linePos?.[0].line ?? 1;
    // The yaml package's message ends with its position and the line with a caret below: the line number says it.
    const firstLine = failed?.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    const error = failed ? { line, message: firstLine || failed.code } : undefined;
    return { documents: documents.filter((document) => document.errors.length === 0), ...(error ? { error } : {}) };
  });
}

/** YAML documents that parsed; Helm template actions are blanked first (see helm-template.ts). */
export function parseYamlDocuments(text: string): Document[] {
  return parseYaml(text).documents;
}

/** Where and why a YAML text does not parse (whole or in part), if it does not. */
export function yamlParseError(text: string): { line: number; message: string } | undefined {
  return parseYaml(text).error;
}

export interface YamlEnvEntry {
  name: string;
  value: string;
  start: number;
  end: number;
  /** A name with no value (`- FLASK_DEBUG`, `FLASK_DEBUG:`): compose passes the value it runs with, if any. */
  passThrough?: true;
}

function rangeOf(node: Node | null | undefined): [number, number] | undefined {
  return node?.range ? [node.range[0], node.range[1]] : undefined;
}

export function mapValue(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isScalar(item.key) && item.key.value === key) return item.value;
  }
  return undefined;
}

/** Compose/Kubernetes `environment` in map form (`KEY: value`) or list form (`- KEY=value`). */
export function composeEnvironment(node: unknown): YamlEnvEntry[] {
  const entries: YamlEnvEntry[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const keyRange = rangeOf(pair.key as Node);
      const valueRange = rangeOf(pair.value as Node) ?? keyRange;
      const value = isScalar(pair.value) ? String(pair.value.value ?? '') : '';
      const bare = pair.value === null || (isScalar(pair.value) && pair.value.value === null);
      if (keyRange && valueRange)
        entries.push({
          name: String(pair.key.value),
          value,
          start: keyRange[0],
          end: valueRange[1],
          ...(bare ? { passThrough: true as const } : {}),
        });
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const [name = '', ...rest] = item.value.split('=');
      const range = rangeOf(item);
      if (range && rest.length > 0)
        entries.push({ name: name.trim(), value: rest.join('='), start: range[0], end: range[1] });
      else if (range && /^\s*[A-Za-z_]\w*\s*$/.test(name))
        entries.push({ name: name.trim(), value: '', start: range[0], end: range[1], passThrough: true });
    }
  }
  return entries;
}

/** Kubernetes container `env:` entries: `- name: FLASK_DEBUG` / `value: "1"`. */
export function kubernetesEnv(node: unknown): YamlEnvEntry[] {
  const entries: YamlEnvEntry[] = [];
  if (!isSeq(node)) return entries;
  for (const item of node.items) {
    const name = mapValue(item, 'name');
    const value = mapValue(item, 'value');
    const range = rangeOf(item as Node);
    if (isScalar(name) && isScalar(value) && range) {
      entries.push({ name: String(name.value), value: String(value.value ?? ''), start: range[0], end: range[1] });
    }
  }
  return entries;
}

/** A command given as a string or a list of strings, as one line, with its range. */
export function commandText(node: unknown): { text: string; start: number; end: number } | undefined {
  const range = rangeOf(node as Node);
  if (!range) return undefined;
  if (isScalar(node) && typeof node.value === 'string') return { text: node.value, start: range[0], end: range[1] };
  if (isSeq(node)) {
    const parts = node.items.map((item) => (isScalar(item) ? String(item.value) : ''));
    return { text: parts.join(' '), start: range[0], end: range[1] };
  }
  return undefined;
}

/** Every map under `root` that has `key` (containers can sit at any depth of a workload). */
export function mapsWithKey(root: unknown, key: string, found: YAMLMap[] = []): YAMLMap[] {
  if (isMap(root)) {
    if (mapValue(root, key) !== undefined) found.push(root);
    for (const pair of root.items) mapsWithKey(pair.value, key, found);
  } else if (isSeq(root)) {
    for (const item of root.items) mapsWithKey(item, key, found);
  }
  return found;
}

/**
 * Every `NAME: value` entry with an environment variable's name (upper case), at any depth: how a Helm
 * chart's values.yaml holds the environment its templates hand to containers and ConfigMaps.
 */
export function environmentLikeEntries(root: unknown, found: YamlEnvEntry[] = []): YamlEnvEntry[] {
  if (isMap(root)) {
    found.push(
      ...composeEnvironment(root).filter((entry) => /^[A-Z][A-Z0-9_]*$/.test(entry.name) && entry.value !== ''),
    );
    for (const pair of root.items) environmentLikeEntries(pair.value, found);
  } else if (isSeq(root)) {
    for (const item of root.items) environmentLikeEntries(item, found);
  }
  return found;
}

export function composeServices(document: Document): { name: string; service: unknown }[] {
  const services = mapValue(document.contents, 'services');
  if (!isMap(services)) return [];
  return services.items.flatMap((pair) =>
    isScalar(pair.key) ? [{ name: String(pair.key.value), service: pair.value }] : [],
  );
}
