import type { Rule } from './rule.js';

function filesOf(rule: Rule): string {
  return rule.language === 'python' ? 'Python' : rule.fileKinds.join(', ');
}

/** docs/rules.md: the catalog for readers, generated from the rule objects themselves. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '# Rule catalog',
    '',
    '<!-- Generated from codemods/ by `npm run docs`; edit the rule objects, not this file. -->',
    '',
    '| id | severity | files | title | migrate |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((rule) => `| [${rule.id}](rules/${rule.id}.md) | ${rule.severity} | ${filesOf(rule)} | ${rule.title} | ${rule.fix ? 'rewrites' : 'reports'} |`),
    '',
  ];
  for (const rule of rules) {
    lines.push(
      `## ${rule.id}`,
      '',
      `Full page: [rules/${rule.id}.md](rules/${rule.id}.md)`,
      '',
      `**${rule.title}** (${rule.severity}; ${filesOf(rule)})`,
      '',
      rule.doc.why,
      '',
      'Example:',
      '',
      '```',
      rule.doc.example,
      '```',
      '',
      `Fix: ${rule.doc.fix.split('\n\n')[0]}`,
      '',
      ...(rule.doc.fix.includes('\n\n') ? ['```', rule.doc.fix.split('\n\n').slice(1).join('\n\n'), '```', ''] : []),
      `Suppress one occurrence: \`# secure-flask: ignore[${rule.id}]\``,
      '',
    );
  }
  return lines.join('\n');
}
