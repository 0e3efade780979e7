import { readFileSync } from 'node:fs';
import { UsageError } from '../core/usage-error.js';
import type { CheckReport } from './run-check.js';

/** A finding known before: from a JSON report written earlier, or from a check of an older commit. */
export interface BaselineEntry {
  ruleId: string;
  /** Root-relative, with `/`. */
  path: string;
  fingerprint?: string;
  line?: number;
}

/** The findings of a `--format json` report, as baseline entries. */
export function readBaselineFile(path: string, shownName: string): BaselineEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : `not a JSON report (${(error as Error).message.split('\n')[0]})`;
    throw new UsageError(`--baseline ${shownName}: ${reason}`);
  }
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings))
    throw new UsageError(
      `--baseline ${shownName}: not a report written by 'secure-flask check --format json' (no findings list)`,
    );
  return findings.map((finding: Record<string, unknown>, index) => {
    if (typeof finding?.ruleId !== 'string' || typeof finding.path !== 'string')
      throw new UsageError(`--baseline ${shownName}: finding ${index + 1} has no ruleId or path`);
    return {
      ruleId: finding.ruleId,
      path: finding.path,
      ...(typeof finding.fingerprint === 'string' ? { fingerprint: finding.fingerprint } : {}),
      ...(typeof finding.line === 'number' ? { line: finding.line } : {}),
    };
  });
}

/**
 * Leaves out the findings the baseline already has, matched by rule, file and fingerprint (a
 * report without fingerprints, from before they existed, matches by line). Each baseline entry
 * accounts for one finding: a second copy of a known line is new. Returns how many were left out.
 */
export function applyBaseline(report: CheckReport, baseline: readonly BaselineEntry[]): number {
  const known = new Map<string, number>();
  const keyOf = (ruleId: string, path: string, identity: string) => `${ruleId}\0${path}\0${identity}`;
  for (const entry of baseline) {
    const key = keyOf(entry.ruleId, entry.path, entry.fingerprint ?? `line ${entry.line}`);
    known.set(key, (known.get(key) ?? 0) + 1);
  }
  const before = report.findings.length;
  report.findings = report.findings.filter((finding) => {
    for (const key of [
      keyOf(finding.ruleId, finding.rootPath, finding.fingerprint ?? ''),
      keyOf(finding.ruleId, finding.rootPath, `line ${finding.line}`),
    ]) {
      const count = known.get(key) ?? 0;
      if (count > 0) {
        known.set(key, count - 1);
        return false;
      }
    }
    return true;
  });
  return before - report.findings.length;
}
