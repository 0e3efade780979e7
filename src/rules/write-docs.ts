import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../codemods/index.js';
import { packageRoot } from '../files/package-root.js';
import { renderRulesMarkdown } from './rule-docs.js';

// `npm run docs`: regenerates docs/rules.md from the rule objects.
writeFileSync(join(packageRoot(), 'docs', 'rules.md'), renderRulesMarkdown(RULES));
