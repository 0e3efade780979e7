import type { Document } from 'yaml';
import { basename } from '../model-command.js';
import type { EnvSetting } from '../model.js';
import { commandText, isScalar, isSeq, kubernetesEnv, mapValue, mapsWithKey } from '../yaml-nodes.js';
import { deployCommand, expandShell, fileRole, spanAt, yamlListWords, type FileEntrypoint } from './common.js';

/** Kubernetes workloads: each container's `command` + `args` (an exec array) and `env`. */
export function kubernetesEntrypoints(path: string, source: string, documents: readonly Document[]): FileEntrypoint[] {
  const byFile = fileRole(path, basename(path).replace(/\.ya?ml$/i, ''));
  const entrypoints: FileEntrypoint[] = [];
  for (const document of documents) {
    const kind = mapValue(document.contents, 'kind');
    if (!isScalar(kind)) continue;
    const workload = mapValue(mapValue(document.contents, 'metadata'), 'name');
    for (const container of mapsWithKey(document.contents, 'image')) {
      const command = commandText(mapValue(container, 'command'));
      const args = commandText(mapValue(container, 'args'));
      const first = command ?? args;
      if (!first) continue;
      const words = (node: unknown) =>
        isSeq(node)
          ? node.items.map((item) => (isScalar(item) ? String(item.value) : ''))
          : isScalar(node)
            ? [String(node.value)]
            : [];
      // Kubernetes runs `command` followed by `args`; `args` alone are given to the image's ENTRYPOINT.
      const argv = [...words(mapValue(container, 'command')), ...words(mapValue(container, 'args'))];
      const at = spanAt(path, source, first.start, (args ?? first).end);
      const containerName = mapValue(container, 'name');
      const environment = kubernetesEnv(mapValue(container, 'env')).map(
        (entry): EnvSetting => ({
          name: entry.name,
          value: entry.value,
          origin: 'kubernetes-env',
          at: spanAt(path, source, entry.start, entry.end),
        }),
      );
      const workingDir = mapValue(container, 'workingDir');
      const name = (
        `${String(kind.value)} ${isScalar(workload) ? String(workload.value) : ''} ` +
        `container ${isScalar(containerName) ? String(containerName.value) : ''}`
      )
        .replace(/\s+/g, ' ')
        .trim();
      const model = deployCommand(argv, at);
      // `command` then `args`, each list's elements where the file writes them.
      const lists = [mapValue(container, 'command'), mapValue(container, 'args')]
        .filter((node) => node !== undefined)
        .map((node) => yamlListWords(node, source));
      if (lists.every((list) => list !== undefined)) {
        const words = lists.flatMap((list) => list ?? []);
        if (words.map((word) => word.text).join('\u0000') === argv.join('\u0000')) model.words = words;
      }
      for (const expanded of expandShell(model).slice(-1)) {
        entrypoints.push({
          kind: 'kubernetes',
          name,
          ...(byFile ?? { role: 'production' as const, roleReason: 'a Kubernetes workload runs in a cluster' }),
          file: path,
          command: expanded,
          ...(isScalar(workingDir) ? { workingDirectory: String(workingDir.value) } : {}),
          environment,
          envFiles: [],
        });
      }
    }
  }
  return entrypoints;
}
