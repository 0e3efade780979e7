import type { CheckReport, Finding } from '../run-check.js';

/**
 * GitHub Actions workflow commands, one per finding: the runner turns each into an annotation on
 * the pull request, no code scanning needed. Values are escaped as the runner unescapes them
 * (`%`, CR and LF everywhere; `:` and `,` too in properties), so a message cannot end the command
 * or start another.
 */
export function formatGithub(report: CheckReport): string {
  return report.findings
    .map((finding) => {
      const properties = [
        `file=${escapeProperty(finding.rootPath)}`,
        `line=${finding.line}`,
        `endLine=${finding.endLine}`,
        `col=${finding.column}`,
        `endColumn=${finding.endColumn}`,
        `title=${escapeProperty(`secure-flask (${finding.ruleId})`)}`,
      ].join(',');
      const text = `${finding.ruleId}: ${finding.message}. Fix: ${finding.hint}`;
      return `::${finding.severity} ${properties}::${escapeData(text)}\n`;
    })
    .join('');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// Code Quality severities are info, minor, major, critical, blocker: the debugger is code execution.
const GITLAB_SEVERITY = { error: 'critical', warning: 'minor' } as const;

/** GitLab Code Quality JSON (the `artifacts: reports: codequality` file): merge requests show the findings inline. */
export function formatGitlab(report: CheckReport): string {
  const issues = report.findings.map((finding) => ({
    type: 'issue',
    description: `${finding.message}. Fix: ${finding.hint}`,
    check_name: finding.ruleId,
    categories: ['Security'],
    fingerprint: finding.fingerprint,
    severity: GITLAB_SEVERITY[finding.severity],
    location: { path: finding.rootPath, lines: { begin: finding.line, end: finding.endLine } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/**
 * JUnit XML as CI test-report viewers read it, shaped like Ruff's: one test suite per file with
 * findings, one failing test case per finding; a clean run is one passing case.
 */
export function formatJunit(report: CheckReport): string {
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings)
    byFile.set(finding.rootPath, [...(byFile.get(finding.rootPath) ?? []), finding]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="secure-flask" tests="${Math.max(1, report.findings.length)}" ` +
      `failures="${report.findings.length}" errors="0">`,
  ];
  if (byFile.size === 0) {
    out.push(
      '  <testsuite name="secure-flask" tests="1" failures="0" errors="0">',
      '    <testcase name="No debug-mode findings" classname="secure-flask"/>',
      '  </testsuite>',
    );
  }
  for (const [path, findings] of byFile) {
    out.push(`  <testsuite name="${xml(path)}" tests="${findings.length}" failures="${findings.length}" errors="0">`);
    for (const finding of findings) {
      out.push(
        `    <testcase name="secure-flask.${xml(finding.ruleId)}" classname="${xml(path)}" file="${xml(path)}" ` +
          `line="${finding.line}">`,
        `      <failure message="${xml(finding.message)}" type="${finding.severity}">` +
          `line ${finding.line}, col ${finding.column}, ${xml(finding.message)}. Fix: ${xml(finding.hint)}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function xml(text: string): string {
  // Control characters other than tab and newlines are not allowed in XML 1.0 at all.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `--statistics`: how many findings each rule has, most first, as Ruff prints them. */
export function formatStatistics(report: CheckReport, format: 'text' | 'json'): string {
  const counts = new Map<string, number>();
  for (const finding of report.findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  const titles = new Map(report.rules.map((rule) => [rule.id, rule.title]));
  const rows = [...counts]
    .map(([ruleId, count]) => ({ ruleId, count, title: titles.get(ruleId) ?? '' }))
    .sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : 1));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const countWidth = Math.max(0, ...rows.map((row) => String(row.count).length));
  const idWidth = Math.max(0, ...rows.map((row) => row.ruleId.length));
  return rows
    .map((row) => `${String(row.count).padStart(countWidth)}  ${row.ruleId.padEnd(idWidth)}  ${row.title}\n`)
    .join('');
}
