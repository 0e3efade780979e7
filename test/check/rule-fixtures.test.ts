import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { runCheck } from '../../src/check/run-check.js';
import { expectedFindings, findingKey, fixtureCases } from '../support/fixture-expectations.js';
import { REPO_ROOT } from '../support/repo-root.js';

// fixtures/<rule-id>/<case>/; fixtures/apps/ (whole applications), fixtures/deploy-model/ and fixtures/deploy-severity/ (test/deploy), fixtures/behaviour/ and fixtures/behaviour-connexion2/ (migrate's
// runtime proof) are tested elsewhere.
const FIXTURES = join(REPO_ROOT, 'fixtures');
const OTHER_FIXTURES = new Set([
  'apps',
  'behaviour',
  'behaviour-connexion2',
  'config',
  'deploy-model',
  'deploy-rewrites',
  'deploy-severity',
]);
// A fixture with a .gitignore is a developer's checkout: test/check/checkout-fixtures.test.ts checks it in git.
const allCases = fixtureCases(FIXTURES).filter((c) => !OTHER_FIXTURES.has(c.ruleId));
const cases = allCases.filter((c) => !existsSync(join(c.folder, '.gitignore')));

describe('rule fixtures', () => {
  it('every rule of the catalog has a flagged and a clean fixture case', () => {
    for (const rule of RULES) {
      const names = allCases.filter((c) => c.ruleId === rule.id).map((c) => c.caseName);
      expect(
        names.some((name) => name.startsWith('flagged')),
        `${rule.id} needs fixtures/${rule.id}/flagged*`,
      ).toBe(true);
      expect(
        names.some((name) => name.startsWith('clean')),
        `${rule.id} needs fixtures/${rule.id}/clean*`,
      ).toBe(true);
    }
    const known = new Set(RULES.map((rule) => rule.id));
    expect(allCases.filter((c) => !known.has(c.ruleId)).map((c) => c.ruleId)).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.ruleId}/${c.caseName}`, c.folder]))(
    '%s reports exactly what its markers expect',
    async (_name, folder) => {
      const report = await runCheck({ paths: ['.'], includeTests: false, cwd: folder, jobs: 1 });
      const actual = report.findings.map(findingKey).sort();
      expect(actual).toEqual(expectedFindings(folder));
      expect(report.skipped.filter((skip) => skip.reason !== 'test code')).toEqual([]);
    },
  );
});
