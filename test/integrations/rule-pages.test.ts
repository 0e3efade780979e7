import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { renderRulePage, REPOSITORY_URL, rulePagePath, rulePageUrl } from '../../src/rules/rule-pages.js';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

describe('rule pages (docs/rules/<id>.md)', () => {
  it('every rule has its page, generated from the current rule object (run npm run docs after changing a rule)', () => {
    for (const rule of RULES) {
      const page = join(REPO_ROOT, rulePagePath(rule.id));
      expect(existsSync(page), `${rulePagePath(rule.id)} is missing: run npm run docs`).toBe(true);
      expect(readFileSync(page, 'utf8'), `${rulePagePath(rule.id)} is stale: run npm run docs`).toBe(
        renderRulePage(rule),
      );
    }
    const pages = readdirSync(join(REPO_ROOT, 'docs', 'rules')).sort();
    expect(pages).toEqual(RULES.map((rule) => `${rule.id}.md`).sort());
  });

  it('every rule names its weakness, the docs it leans on, and a page with why, example and fix in code fences', () => {
    for (const rule of RULES) {
      expect(rule.references, `${rule.id} has no references`).toBeDefined();
      // Every rule is about active debug code (CWE-489) but Quart's, whose debug mode only discloses (CWE-215).
      const weakness = rule.id === 'quart-run-debug' ? 215 : 489;
      expect(must(rule.references).cwe).toContain(weakness);
      expect(
        must(rule.references).links.some(({ url }) => /palletsprojects\.com/.test(url)),
        `${rule.id} cites no Flask/Werkzeug doc`,
      ).toBe(true);
      const page = renderRulePage(rule);
      for (const heading of ['## Why it matters', '## Example', '## Fix', '## Other tools', '## References'])
        expect(page).toContain(heading);
      expect(page).toContain(
        weakness === 489
          ? '[CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)'
          : '(https://cwe.mitre.org/data/definitions/215.html)',
      );
      expect(page).toContain(rule.language === 'python' ? '```python' : '```');
      expect(page).toContain(rule.doc.example);
    }
  });

  it('rules that ask "is this a Flask app" list the family they know; debug-variable rules name DASH_DEBUG', () => {
    const family = RULES.filter((rule) => rule.knowsAppFamily).map((rule) => rule.id);
    expect(family).toEqual(
      expect.arrayContaining(['run-debug', 'app-debug-attribute', 'config-debug-item', 'process-dev-server']),
    );
    for (const rule of RULES) {
      const page = renderRulePage(rule);
      if (!rule.knowsAppFamily) {
        expect(page, rule.id).not.toContain('## Apps it knows');
        continue;
      }
      const section = must(page.split('## Apps it knows')[1]).split('## ')[0] ?? '';
      for (const name of ['`flask.Flask`', '`dash.Dash`', '`connexion.App`', '`apiflask.APIFlask`', '`eve.Eve`'])
        expect(section, `${rule.id} ${name}`).toContain(name);
      expect(section).toMatch(/Connexion 3 runs uvicorn/);
    }
    for (const id of ['env-file-debug', 'dockerfile-debug', 'compose-debug-env', 'kubernetes-debug-env'])
      expect(renderRulePage(must(RULES.find((rule) => rule.id === id)))).toMatch(/`DASH_DEBUG=true` does the same/);
    const runDebug = renderRulePage(must(RULES.find((rule) => rule.id === 'run-debug')));
    expect(runDebug).toMatch(/Bandit .* a Dash or Connexion module that does not import flask itself is not looked at/);
  });

  it("run-debug lists Bandit, Ruff, Semgrep, CodeQL and Sonar's equivalents; rules no other tool has say so", () => {
    const runDebug = must(RULES.find((rule) => rule.id === 'run-debug'));
    expect(must(runDebug.references).equivalents.map(({ tool, id }) => `${tool} ${id}`)).toEqual([
      'Bandit B201 flask_debug_true',
      'Ruff S201 flask-debug-true',
      'Semgrep python.flask.security.audit.debug-enabled.debug-enabled',
      'CodeQL py/flask-debug',
      'Sonar S4507',
    ]);
    const envFile = must(RULES.find((rule) => rule.id === 'env-file-debug'));
    expect(renderRulePage(envFile)).toContain('No Bandit, Ruff, Semgrep, CodeQL or Sonar rule looks at this shape.');
  });

  it("the pages' address is package.json's repository", () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { repository?: string };
    expect(manifest.repository).toBe('github:create-secure-flask/create-secure-flask');
    expect(REPOSITORY_URL).toBe(`https://github.com/${must(manifest.repository).replace(/^github:/, '')}`);
  });
});

describe('SARIF links each rule to its page', () => {
  it('helpUri points at docs/rules/<id>.md on GitHub and tags carry security and the CWE ids', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    const result = await secureFlask(['check', '--format', 'sarif'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout) as {
      runs: { tool: { driver: { rules: { id: string; helpUri: string; properties: { tags: string[] } }[] } } }[];
    };
    const rules = must(log.runs[0]).tool.driver.rules;
    expect(rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const rule of rules) {
      expect(rule.helpUri).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/${rule.id}.md`);
      expect(rule.helpUri).toBe(rulePageUrl(rule.id));
      // Quart's debug mode discloses (tracebacks, locals) but runs no code: CWE-215 alone.
      const cwes =
        rule.id === 'quart-run-debug' ? ['external/cwe/cwe-215'] : ['external/cwe/cwe-489', 'external/cwe/cwe-215'];
      expect(rule.properties.tags).toEqual(['security', ...cwes]);
    }
  });
});
