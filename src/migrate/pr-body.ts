import { packageVersion } from '../core/version.js';
import { conflictReason, notices } from './migration-report.js';
import type { MigrationPlan } from './plan.js';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/**
 * A pull-request description for the migration (Markdown, deterministic: no
 * dates or paths of this machine), so a fleet tool can open one reviewed pull
 * request per repository: what changed and why, what behaves differently, what
 * is left for a person, and how to run the app locally now.
 */
export function renderPullRequestBody(plan: MigrationPlan): string {
  const changed = plan.files.filter((file) => file.status === 'changed');
  const lines: string[] = [
    "## Keep Flask's interactive debugger out of production",
    '',
    "Flask's debug mode serves the Werkzeug interactive debugger: anyone who can make the app raise an exception " +
      'gets a Python console on the server (CWE-489, CWE-215). After this change debug mode follows the ' +
      'environment: off unless a developer turns it on with `FLASK_DEBUG=1` or `flask run --debug` on their own ' +
      'machine.',
    '',
    '### What changed',
    '',
  ];
  if (changed.length === 0 && plan.extras.length === 0) lines.push('Nothing: no file needed a change.');
  for (const file of changed) {
    const verb = file.deleted ? 'deleted' : 'changed';
    lines.push(`- ${code(file.file.rootPath)} (${verb})`);
    for (const { finding, fix } of file.changes)
      lines.push(`  - line ${finding.line}, ${code(finding.ruleId)}: ${fix.title}`);
  }
  for (const extra of plan.extras) lines.push(`- ${code(extra.rootPath)} (${extra.created ? 'new' : 'changed'})`);
  const behaviour = notices(plan);
  lines.push('', '### Behaviour changes: what you must now do', '');
  if (behaviour.length === 0)
    lines.push('None beyond debug mode: with no environment variable set, the debugger is off.');
  for (const notice of behaviour) lines.push(`- ${notice}`);
  const manual = plan.files.flatMap((file) => [
    ...file.manual.map(
      (finding) =>
        `- ${code(`${finding.rootPath}:${finding.line}`)} ` +
        `${code(finding.ruleId)}: ${finding.fix?.manual ?? finding.hint}`,
    ),
    ...file.conflicts.map(
      (conflict) =>
        `- ${code(`${conflict.finding.rootPath}:${conflict.finding.line}`)} ` +
        `${code(conflict.finding.ruleId)}: ${conflictReason(file, conflict)}`,
    ),
    ...(file.status === 'skipped' || file.status === 'failed'
      ? [`- ${code(file.file.rootPath)}: ${file.reason ?? file.status}`]
      : []),
  ]);
  if (manual.length > 0) lines.push('', '### Left for a person', '', ...manual);
  const gunicorn = plan.extras.some((extra) => extra.created && extra.rootPath.endsWith('gunicorn.conf.py'));
  lines.push(
    '',
    '### Run it locally now',
    '',
    '- With the debugger and reloader, on your machine only: ' +
      '`flask run --debug` (or `FLASK_DEBUG=1` in a git-ignored `.env`).',
    ...(gunicorn
      ? [
          "- As production runs it: the deploy file's new `gunicorn -c gunicorn.conf.py ...` command " +
            '(install gunicorn first).',
        ]
      : []),
    '- Without any variable set, the app starts with the debugger off.',
    '',
    `<sub>Made by \`secure-flask migrate\` ${packageVersion()}. Running it again on this branch changes nothing.</sub>`,
    '',
  );
  return lines.join('\n');
}
