import type { Colors } from '../../core/colors.js';
import type { CheckReport, Finding } from '../run-check.js';
import { displayWidth, MIN_WRAP_WIDTH, outputWidth, wrapWords } from '../../core/terminal-text.js';
import { plural } from '../../core/wording.js';
import { skippedByReason } from './summary.js';

export { outputWidth, wrapWords };

/** A line cut to `width` columns with an ellipsis, as Ruff cuts long source lines. */
function fitLine(text: string, width: number): string {
  return [...text].length <= width ? text : `${[...text].slice(0, Math.max(1, width - 1)).join('')}\u2026`;
}

const MIN_WIDTH = MIN_WRAP_WIDTH;

/** Human output: findings grouped by file, each with the source line and a fix hint, then a summary. */
export function formatText(
  report: CheckReport,
  colors: Colors,
  { verbose = false, width = Infinity, quiet = false }: { verbose?: boolean; width?: number; quiet?: boolean } = {},
): string {
  const columns = Math.max(width, MIN_WIDTH);
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
      // Lay out plain text first (colour codes take no columns), then colour each piece.
      const head = `  ${path}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.ruleId}  `;
      const headWidth = displayWidth(head);
      const sameLine = headWidth <= columns / 2;
      const message = wrapWords(finding.message, sameLine ? columns - headWidth : columns - 6, columns - 6);
      const where = `  ${path}:${finding.line}:${finding.column}`;
      if (headWidth - 2 > columns) out.push(where, `      ${level}  ${colors.bold(finding.ruleId)}`);
      else out.push(`${where}  ${level}  ${colors.bold(finding.ruleId)}${sameLine ? `  ${message.shift()}` : ''}`);
      for (const line of message) out.push(`      ${line}`);
      if (finding.snippet) out.push(colors.dim(`      ${fitLine(finding.snippet, columns - 6)}`));
      const [firstHint, ...moreHint] = wrapWords(finding.hint, columns - 11, columns - 11);
      out.push(`      ${colors.cyan('fix:')} ${firstHint}`);
      for (const line of moreHint) out.push(`           ${line}`);
    }
    out.push('');
  }
  // --quiet, as Ruff's: the findings and nothing else.
  if (quiet) return out.join('\n');
  const files = byFile.size;
  const headline =
    report.findings.length === 0
      ? colors.green('No debug-mode findings.')
      : colors.red(
          colors.bold(
            `${plural(report.findings.length, 'finding')} in ${plural(files, 'file')}${severityCounts(report)}.`,
          ),
        );
  const details = [`checked ${plural(report.filesChecked, 'file')}`];
  const skipped = skippedByReason(report);
  if (skipped.length > 0)
    details.push(`skipped ${report.skipped.length} (${skipped.map((s) => `${s.count} ${s.reason}`).join(', ')})`);
  if (report.suppressed > 0) details.push(`${report.suppressed} suppressed by comments`);
  const peers = Object.entries(report.suppressedByPeers).filter(([, count]) => count > 0);
  if (peers.length > 0)
    details.push(
      `${peers.map(([marker, count]) => `${count} by # ${marker}`).join(', ')} ` +
        "(other tools' comments for the same rule)",
    );
  if (report.baselined) details.push(`${report.baselined} already in the baseline`);
  // A --select of one rule turns most of the catalog off: count them rather than list them.
  const off = report.disabledRules;
  if (off.length > 0)
    details.push(
      off.length <= 3
        ? `rules off: ${off.join(', ')}`
        : `${off.length} of ${off.length + report.rules.length} rules off`,
    );
  const headlineText =
    report.findings.length === 0
      ? 'No debug-mode findings.'
      : `${plural(report.findings.length, 'finding')} in ${plural(files, 'file')}${severityCounts(report)}.`;
  const [firstDetails, ...moreDetails] = wrapWords(
    `${details.join('; ')}.`,
    columns - headlineText.length - 1,
    columns,
  );
  out.push(`${headline} ${colors.dim(firstDetails ?? '')}`, ...moreDetails.map((line) => colors.dim(line)));
  const note = (text: string) => out.push(...wrapWords(text, columns, columns).map((line) => colors.dim(line)));
  // The entrypoints that decided the findings' severity, so a reader can check the reasoning.
  const deciding = new Map(
    report.findings.flatMap((finding) =>
      finding.deployment.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role] as const),
    ),
  );
  if (deciding.size > 0) {
    const roles = (['production', 'development'] as const).flatMap((role) => {
      const names = [...deciding].filter(([, entryRole]) => entryRole === role).map(([name]) => name);
      return names.length > 0
        ? [`${role}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`]
        : [];
    });
    note(`Severity follows what the deploy files run (${roles.join('; ')}).`);
  }
  if (skipped.some((s) => s.reason === 'test code'))
    note('Test code is skipped by default; --include-tests checks it too.');
  const skippedCounts = skipped.map((s) => `${s.count} ${s.reason}`).join(', ');
  // "No findings" over nothing is not a clean bill: say why nothing was read.
  if (report.filesChecked === 0) {
    note(
      report.skipped.length > 0
        ? `Nothing was checked: every file here was skipped (${skippedCounts}); ` +
            'name the files to check, or use --include-tests or --verbose.'
        : 'Nothing was checked: no Python, env, Docker, compose, Procfile, systemd, supervisord or shell file ' +
            'was found here.',
    );
  }
  if (skipped.some((s) => s.reason === 'virtualenv'))
    note(
      'Virtualenvs (pyvenv.cfg or an activate script, with an interpreter or site-packages) are skipped; ' +
        'code beside their own folders is checked.',
    );
  if (verbose) {
    for (const { displayPath, reason } of report.skipped) out.push(colors.dim(`  skipped ${displayPath}: ${reason}`));
  }
  if (report.findings.length > 0)
    note("Run 'secure-flask explain <rule-id>' for why and how to fix, 'secure-flask migrate' to rewrite.");
  return `${out.join('\n')}\n`;
}

/**
 * " (2 errors, 1 warning)" when some findings are warnings, with ": development only" when every warning is one
 * because production does not run it (a warning of its own, like FLASK_ENV on a newer Flask, may be deployed).
 */
function severityCounts(report: CheckReport): string {
  const warnings = report.findings.filter((finding) => finding.severity === 'warning');
  if (warnings.length === 0) return '';
  const developmentOnly = warnings.every(
    ({ deployment }) => deployment.reach === 'development' || deployment.reach === 'not-run',
  );
  const counts = `${plural(report.findings.length - warnings.length, 'error')}, ${plural(warnings.length, 'warning')}`;
  return ` (${counts}${developmentOnly ? ': development only' : ''})`;
}
