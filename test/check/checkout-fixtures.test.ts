import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { runCheck } from '../../src/check/run-check.js';
import { expectedFindings, findingKey, fixtureCases } from '../support/fixture-expectations.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { tempProject } from '../support/temp-project.js';

// Fixtures with a .gitignore stand for a developer's checkout: what the file lists (their own `.env`) is not
// committed. In place, this repository tracks every fixture file, so each is copied into a git repository of its
// own with everything but the ignored files committed, and checked there.
// Rule fixtures (fixtures/<rule-id>/<case>/) and whole applications (fixtures/apps/<name>/).
const ruleIds = new Set([...RULES.map((rule) => rule.id), 'apps']);
const checkouts = fixtureCases(join(REPO_ROOT, 'fixtures')).filter(
  (c) => ruleIds.has(c.ruleId) && existsSync(join(c.folder, '.gitignore')),
);

describe('rule fixtures that are checkouts', () => {
  it('there are some (the set of rule fixtures with a .gitignore)', () => {
    expect(checkouts.length).toBeGreaterThan(0);
  });

  it.each(checkouts.map((c) => [`${c.ruleId}/${c.caseName}`, c.folder]))(
    '%s reports exactly what its markers expect, checked in a git checkout',
    async (_name, folder) => {
      const checkout = tempProject('secure-flask-checkout-');
      try {
        cpSync(folder, checkout.root, { recursive: true });
        await checkout.git('init', '-q');
        await checkout.git('add', '-A');
        await checkout.git('commit', '-qm', 'start');
        const { stdout: untracked } = await execa('git', ['status', '--porcelain', '--ignored'], {
          cwd: checkout.root,
        });
        expect(untracked, 'the .gitignore keeps something out of the commit').toMatch(/^!! /m);
        const report = await runCheck({ paths: ['.'], includeTests: false, cwd: checkout.root, jobs: 1 });
        expect(report.findings.map(findingKey).sort()).toEqual(expectedFindings(folder));
      } finally {
        checkout.remove();
      }
    },
  );
});
