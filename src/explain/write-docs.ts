import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../codemods/index.js';
import { packageRoot } from '../core/package-root.js';
import { renderRulesMarkdown } from '../rules/rule-docs.js';
import { renderRulePage, rulePagePath } from '../rules/rule-pages.js';

// `npm run docs`: regenerates docs/rules.md and docs/rules/<id>.md from the rule objects.
const root = packageRoot();
writeFileSync(join(root, 'docs', 'rules.md'), renderRulesMarkdown(RULES));
const pagesFolder = join(root, 'docs', 'rules');
mkdirSync(pagesFolder, { recursive: true });
const current = new Set(RULES.map((rule) => `${rule.id}.md`));
// A rule that was removed takes its page with it.
for (const name of readdirSync(pagesFolder))
  if (name.endsWith('.md') && !current.has(name)) rmSync(join(pagesFolder, name));
for (const rule of RULES) writeFileSync(join(root, rulePagePath(rule.id)), renderRulePage(rule));
