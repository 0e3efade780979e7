import { packageVersion } from '../../core/version.js';
import type { CheckReport } from '../run-check.js';
import { deploymentEvidence, skippedByReason } from './summary.js';

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
      // Rule, file and code without the line: what --baseline matches on when this report is read back.
      fingerprint: finding.fingerprint,
      // error: a production entrypoint reaches it (or nothing shows it is development-only); warning: only
      // development does.
      deployment: deploymentEvidence(report, finding),
    })),
    summary: {
      findings: report.findings.length,
      errors: report.findings.filter((finding) => finding.severity === 'error').length,
      warnings: report.findings.filter((finding) => finding.severity === 'warning').length,
      entrypoints: report.deployModel.entrypoints.length,
      filesChecked: report.filesChecked,
      filesParsed: report.filesParsed,
      suppressed: report.suppressed,
      suppressedByOtherTools: report.suppressedByPeers,
      ...(report.baselined !== undefined ? { baselined: report.baselined } : {}),
      skipped: Object.fromEntries(skippedByReason(report).map(({ reason, count }) => [reason, count])),
      disabledRules: report.disabledRules,
    },
    warnings: report.warnings.map(({ rootPath, line, message }) => ({ path: rootPath, line, message })),
    skipped: report.skipped.map(({ displayPath, reason }) => ({ path: displayPath, reason })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
