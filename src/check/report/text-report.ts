import type { Colors } from '../../cli/colors.js';
import type { CheckReport, Finding } from '../run-check.js';
import { plural, skippedByReason } from './summary.js';

/** Human output: findings grouped by file, each with the source line and a fix hint, then a summary. */
export function formatText(report: CheckReport, colors: Colors, { verbose = false }: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byFile.get(finding.displayPath) ?? [];
    list.push(finding);
    byFile.set(finding.displayPath, list);
  }
  for (const [path, findings] of byFile) {
    out.push(colors.underline(path));
    for (const finding of findings) {
      const level = finding.severity === 'error' ? colors.red('error') : colors.yellow('warning');
      out.push(`  ${path}:${finding.line}:${finding.column}  ${level}  ${colors.bold(finding.ruleId)}  ${finding.message}`);
      if (finding.snippet) out.push(colors.dim(`      ${finding.snippet}`));
      out.push(`      ${colors.cyan('fix:')} ${finding.hint}`);
    }
    out.push('');
  }
  const files = byFile.size;
  const headline =
    report.findings.length === 0
      ? colors.green('No debug-mode findings.')
      : colors.red(colors.bold(`${plural(report.findings.length, 'finding')} in ${plural(files, 'file')}${severityCounts(report)}.`));
  const details = [`checked ${plural(report.filesChecked, 'file')}`];
  const skipped = skippedByReason(report);
  if (skipped.length > 0) details.push(`skipped ${report.skipped.length} (${skipped.map((s) => `${s.count} ${s.reason}`).join(', ')})`);
  if (report.suppressed > 0) details.push(`${report.suppressed} suppressed by comments`);
  if (report.disabledRules.length > 0) details.push(`rules off by config: ${report.disabledRules.join(', ')}`);
  out.push(`${headline} ${colors.dim(details.join('; ') + '.')}`);
  // The entrypoints that decided the findings' severity, so a reader can check the reasoning.
  const deciding = new Map(report.findings.flatMap((finding) => finding.deployment.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role] as const)));
  if (deciding.size > 0) {
    const roles = (['production', 'development'] as const).flatMap((role) => {
      const names = [...deciding].filter(([, entryRole]) => entryRole === role).map(([name]) => name);
      return names.length > 0 ? [`${role}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`] : [];
    });
    out.push(colors.dim(`Severity follows what the deploy files run (${roles.join('; ')}).`));
  }
  if (skipped.some((s) => s.reason === 'test code')) out.push(colors.dim('Test code is skipped by default; --include-tests checks it too.'));
  if (verbose) {
    for (const { displayPath, reason } of report.skipped) out.push(colors.dim(`  skipped ${displayPath}: ${reason}`));
  }
  if (report.findings.length > 0) out.push(colors.dim("Run 'secure-flask explain <rule-id>' for why and how to fix, 'secure-flask migrate' to rewrite."));
  return out.join('\n') + '\n';
}

/** " (2 errors, 1 warning)" when some findings are development-only warnings; nothing otherwise. */
function severityCounts(report: CheckReport): string {
  const warnings = report.findings.filter((finding) => finding.severity === 'warning').length;
  if (warnings === 0) return '';
  return ` (${plural(report.findings.length - warnings, 'error')}, ${plural(warnings, 'warning')}: development only)`;
}
