import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { expectedFindings, findingKey } from '../support/fixture-expectations.js';
import { REPO_ROOT } from '../support/python-env.js';

const APPS = join(REPO_ROOT, 'fixtures', 'apps');

// Whole applications as people write them: factories, blueprints, config modules and deploy files together.
describe('multi-file application fixtures', () => {
  it.each(readdirSync(APPS).map((name) => [name]))('%s: check reports what the markers expect, across files', async (name) => {
    const folder = join(APPS, name);
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: folder, jobs: 1 });
    const actual = report.findings.map(findingKey).sort();
    expect(actual).toEqual(expectedFindings(folder));
  });
});
