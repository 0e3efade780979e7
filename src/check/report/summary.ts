import type { CheckReport } from '../run-check.js';

/**
 * Skipped files grouped by reason, most common first: "12 test code, 1 binary".
 * A reason's detail in brackets ("unreadable (permission denied)") is for the
 * per-file list; the summary counts one label.
 */
export function skippedByReason(report: CheckReport): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { reason } of report.skipped) {
    const label = reason.replace(/ \(.*\)$/, '');
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

/** A finding's deployment evidence for machine output: entrypoints with root-relative paths. */
export function deploymentEvidence(report: CheckReport, finding: CheckReport['findings'][number]) {
  const { reach, level, reason, entrypoints } = finding.deployment;
  const rootPrefix =
    report.root.endsWith('/') || report.root.endsWith('\\')
      ? report.root
      : `${report.root}${report.root.includes('\\') ? '\\' : '/'}`;
  const relativePath = (path: string) =>
    (path.startsWith(rootPrefix) ? path.slice(rootPrefix.length) : path).split('\\').join('/');
  return {
    reach,
    level,
    ...(reason ? { reason } : {}),
    entrypoints: entrypoints.map((entrypoint) => ({ ...entrypoint, path: relativePath(entrypoint.path) })),
  };
}
