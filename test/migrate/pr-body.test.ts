import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { committedProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

let project: TempProject;
afterEach(() => project?.remove());

const FILES = {
  'app.py':
    'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080, debug=True)\n',
  'requirements.txt': 'flask\n',
  Procfile: 'web: python app.py\n',
  '.flaskenv': 'FLASK_DEBUG=1\n',
  'worker.service': '[Service]\nExecStart=/opt/venv/bin/flask run --debug\n',
};

const projectWith = (files: Record<string, string>) => committedProject(files, 'secure-flask-pr-body-');

describe('migrate --pr-body and the callouts', () => {
  it('prints only a Markdown pull-request description: what changed, behaviour changes, what is left, how to run locally', async () => {
    project = await projectWith(FILES);
    const result = await secureFlask(['migrate', '--pr-body'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const body = result.stdout;
    expect(body).toMatch(/^## Keep Flask's interactive debugger out of production\n/);
    expect(body).toContain('- `app.py` (changed)\n  - line 6, `run-debug`: ');
    expect(body).toContain('- `.flaskenv` (deleted)\n');
    expect(body).toContain('- `gunicorn.conf.py` (new)\n');
    expect(body).toContain('### Behaviour changes: what you must now do\n\n- ');
    expect(body).toMatch(
      /^- Procfile: Now runs `gunicorn -c gunicorn\.conf\.py app:app` instead of `python app\.py`, on the same host 0\.0\.0\.0, port 8080; gunicorn is added \(requirements\.txt\)/m,
    );
    expect(body).toMatch(/^- \.flaskenv is deleted: /m);
    expect(body).toMatch(
      /### Left for a person\n\n- `worker\.service:2` `process-dev-server`: still runs Flask's development server: nothing in the repository says/,
    );
    expect(body).toContain('### Run it locally now\n');
    expect(body).not.toContain('diff --git');
    expect(body).not.toContain(project.root);
    // The summary goes to stderr, so a fleet tool can capture stdout as the body.
    expect(result.stderr).toMatch(/^migrate: 5 changed, 1 new, 1 deleted/m);
    expect(readFileSync(join(project.root, 'Procfile'), 'utf8')).toBe(FILES.Procfile);
  });

  it('with --write it writes the changes and still prints only the description', async () => {
    project = await projectWith(FILES);
    const result = await secureFlask(['migrate', '--write', '--pr-body'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^## Keep Flask's/);
    expect(result.stdout).not.toMatch(/Wrote \d+ files?/);
    expect(result.stderr).toMatch(/Wrote 6 files\./);
    expect(existsSync(join(project.root, '.flaskenv'))).toBe(false);
    expect(readFileSync(join(project.root, 'worker.service'), 'utf8')).toBe(
      '[Service]\nExecStart=/opt/venv/bin/flask run\n',
    );
  });

  it('--json carries each change notice, the reasons left for a person and the deletion', async () => {
    project = await projectWith(FILES);
    const result = await secureFlask(['migrate', '--json'], { cwd: project.root });
    const report = JSON.parse(result.stdout) as {
      files: {
        path: string;
        deleted?: boolean;
        changes: { ruleId: string; notice?: string }[];
        manual: { ruleId: string; reason?: string }[];
      }[];
      notices: string[];
      summary: { deleted: number };
    };
    const byPath = new Map(report.files.map((file) => [file.path, file]));
    expect(must(must(byPath.get('Procfile')).changes[0]).notice).toMatch(
      /^Now runs `gunicorn -c gunicorn\.conf\.py app:app`/,
    );
    expect(must(byPath.get('.flaskenv')).deleted).toBe(true);
    expect(must(must(byPath.get('worker.service')).manual[0]).reason).toMatch(
      /^still runs Flask's development server: /,
    );
    expect(report.notices).toHaveLength(2);
    expect(report.summary.deleted).toBe(1);
  });

  it('the text summary calls out every change beyond removing debug', async () => {
    project = await projectWith(FILES);
    const result = await secureFlask(['migrate'], { cwd: project.root });
    expect(result.stdout).toMatch(/^notice: Procfile: Now runs `gunicorn/m);
    expect(result.stdout).toMatch(/^notice: \.flaskenv is deleted/m);
    expect(result.stdout).toMatch(
      /^manual: worker\.service:2:\d+ process-dev-server: still runs Flask's development server/m,
    );
  });

  it('refuses --json with --pr-body', async () => {
    project = await projectWith(FILES);
    const result = await secureFlask(['migrate', '--json', '--pr-body'], { cwd: project.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--json and --pr-body/);
  });
});
