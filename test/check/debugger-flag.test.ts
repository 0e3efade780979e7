import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { REPO_ROOT } from '../support/repo-root.js';

// `flask run --debugger` serves the debugger without debug mode: the message names the flag the command has.
describe('flask run --debugger', () => {
  it.each([
    ['process-dev-server', 'Procfile'],
    ['orchestrator-dev-server', 'compose.yaml'],
    ['script-debug', 'boot.sh'],
    ['dockerfile-debug', 'Dockerfile'],
  ])('%s names --debugger, not --debug', async (ruleId, file) => {
    const folder = join(REPO_ROOT, 'fixtures', ruleId, 'flagged-debugger');
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: folder, jobs: 1 });
    const [finding] = report.findings.filter((found) => found.ruleId === ruleId);
    expect(finding?.displayPath).toBe(file);
    expect(finding?.message).toMatch(/with --debugger: the interactive debugger is served/);
    expect(finding?.message).not.toMatch(/--debug\b(?!ger)/);
  });

  it('migrate says it drops --debugger', async () => {
    const result = await migrateInMemory({
      'Procfile.dev': 'web: flask run --port 5000 --debugger\n',
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    });
    expect(result.titles).toEqual([]);
    const production = await migrateInMemory({
      'boot.sh': '#!/bin/sh\nexec flask run --debugger\n',
      Procfile: 'web: sh boot.sh\n',
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    });
    expect(production.after['boot.sh']).toBe('#!/bin/sh\nexec flask run\n');
    expect(production.titles).toContain('drop --debugger from the command');
  });
});
