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
    ...rules.map(
      (rule) =>
        `| [${rule.id}](rules/${rule.id}.md) | ${rule.severity} | ${filesOf(rule)} | ` +
        `${rule.title} | ${rule.fix ? 'rewrites' : 'reports'} |`,
    ),
    '',
    '**Deployment-aware severity.** The severity above is what a finding gets when nothing shows how the app is',
    'deployed. When the repository has deploy files, check reads what they run (Dockerfile stages and the scripts',
    'they start, Procfile process types, compose services, Render services, App Engine app.yaml, systemd,',
    'supervisord, Kubernetes, Makefile targets, uWSGI configs, gunicorn config files, `vercel.json`, AWS Lambda',
    'deploys: `zappa_settings.json` stages, a serverless-wsgi `serverless.yml`, a handler handing the app to',
    'serverless_wsgi, awsgi or apig-wsgi; the start command of `.replit` deployments, `nixpacks.toml` and',
    '`railway.toml`/`railway.json`) and',
    'marks each finding `error` when a production entrypoint reaches it and `warning` when only development ones do',
    '(`Procfile.dev`, a dev stage, an override compose file, a script only those run, a `make` target), or when it',
    'sits under `if __name__ == "__main__":` and production imports the module with a WSGI server instead. The',
    'message names the entrypoint; JSON (`deployment`) and SARIF (`properties.deployment`) carry the evidence.',
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
