import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { expectedFindings, findingKey } from '../support/fixture-expectations.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { tempProject } from '../support/temp-project.js';

const APPS = join(REPO_ROOT, 'fixtures', 'apps');

// Whole applications as people write them: factories, blueprints, config modules and deploy files together.
describe('multi-file application fixtures', () => {
  // An app with a .gitignore is a developer's checkout: test/check/checkout-fixtures.test.ts checks it in git.
  it.each(
    readdirSync(APPS)
      .filter((name) => !existsSync(join(APPS, name, '.gitignore')))
      .map((name) => [name]),
  )('%s: check reports what the markers expect, across files', async (name) => {
    const folder = join(APPS, name);
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: folder, jobs: 1 });
    const actual = report.findings.map(findingKey).sort();
    expect(actual).toEqual(expectedFindings(folder));
  });
});

describe('results never depend on the path named', () => {
  it('a repository of services, each with its own app.py: the same findings from the root and from each service', async () => {
    const project = tempProject('secure-flask-services-');
    try {
      cpSync(join(APPS, 'services'), project.root, { recursive: true });
      const findingsFrom = async (cwd: string) => {
        const report = await runCheck({ paths: ['.'], includeTests: false, cwd, jobs: 1 });
        return report.findings.map(
          (finding) => `${relative(project.root, finding.path)}:${finding.line} ${finding.ruleId}`,
        );
      };
      const fromRoot = await findingsFrom(project.root);
      expect(fromRoot.sort()).toEqual(expectedFindings(project.root));
      const fromServices: string[] = [];
      for (const service of readdirSync(project.root))
        fromServices.push(...(await findingsFrom(join(project.root, service))));
      expect(fromServices.sort()).toEqual(fromRoot.sort());
    } finally {
      project.remove();
    }
  });
});
