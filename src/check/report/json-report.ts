import { packageVersion } from '../../cli/version.js';
import type { CheckReport } from '../run-check.js';
import { skippedByReason } from './summary.js';

/** Machine output: stable keys, paths relative to the project root, deterministic order. */
export function formatJson(report: CheckReport): string {
  const body = {
    tool: { name: 'secure-flask', version: packageVersion() },
    findings: report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      path: finding.rootPath,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      message: finding.message,
      hint: finding.hint,
    })),
    summary: {
      findings: report.findings.length,
      filesChecked: report.filesChecked,
      filesParsed: report.filesParsed,
      suppressed: report.suppressed,
      skipped: Object.fromEntries(skippedByReason(report).map(({ reason, count }) => [reason, count])),
      disabledRules: report.disabledRules,
    },
    warnings: report.warnings.map(({ rootPath, line, message }) => ({ path: rootPath, line, message })),
    skipped: report.skipped.map(({ displayPath, reason }) => ({ path: displayPath, reason })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
