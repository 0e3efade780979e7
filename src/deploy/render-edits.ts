import type { Document } from 'yaml';
import type { Fix } from '../core/findings.js';
import { removeLines } from './deploy-edits.js';
import { renderEnvVarLists } from './formats/render.js';
import { isMap, isScalar } from './yaml-nodes.js';

type Range = [number, number, number];
const rangeOf = (node: unknown): Range | undefined => (node as { range?: Range } | null | undefined)?.range;

/**
 * Removes the Render `envVars:` item that starts at `start` (`- key: FLASK_DEBUG` and its `value:` line); the
 * only item leaves `envVars: []` (Render's schema wants a list there, not null).
 * Undefined when the item shares a line with other YAML (a flow list): that is edited by hand.
 */
export function renderEnvVarFix(source: string, documents: readonly Document[], start: number): Fix | undefined {
  const title = 'remove the envVars item: developers opt in with FLASK_DEBUG=1 on their own machine';
  for (const { owner, list } of documents.flatMap((document) => renderEnvVarLists(document.contents))) {
    const item = list.items.find((candidate) => rangeOf(candidate)?.[0] === start);
    const range = rangeOf(item);
    if (!item || !range || list.flow) continue;
    const before = source.slice(source.lastIndexOf('\n', range[0] - 1) + 1, range[0]);
    if (!/^[ \t]*-[ \t]+$/.test(before)) return undefined;
    if (list.items.length > 1) return { title, edits: [removeLines(source, range[0], range[1])] };
    // The only item: the list is left empty (`envVars: []`), which a service and an envVarGroups entry both take.
    const pair = isMap(owner)
      ? owner.items.find((candidate) => isScalar(candidate.key) && candidate.key.value === 'envVars')
      : undefined;
    const keyEnd = rangeOf(pair?.key)?.[1];
    const colon = keyEnd === undefined ? -1 : source.indexOf(':', keyEnd);
    if (colon === -1 || colon > range[0]) return undefined;
    const lines = removeLines(source, range[0], range[1]);
    const end = source[lines.end - 1] === '\n' ? lines.end - (source[lines.end - 2] === '\r' ? 2 : 1) : lines.end;
    return { title, edits: [{ start: colon + 1, end, replacement: ' []' }] };
  }
  return undefined;
}
