import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { projectDeployModel } from '../../src/deploy/project-model.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { tempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

// Issue 23: the fixes read the same model check reports from; these cases disagreed before.
const FLASK_APP =
  'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080)\n';

async function checkOf(files: Record<string, string>) {
  const project = tempProject('secure-flask-model-');
  try {
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
    return { report, root: project.root };
  } finally {
    project.remove();
  }
}

describe('one model: fixes act on what check reads', () => {
  it.each([['-u'], ['-X dev'], ['-W ignore']])(
    'switches a Procfile `web: python %s app.py` to gunicorn',
    async (flags) => {
      const result = await migrateInMemory({
        Procfile: `web: python ${flags} app.py\n`,
        'app.py': FLASK_APP,
        'requirements.txt': 'flask\n',
      });
      expect(result.after.Procfile).toBe('web: gunicorn -c gunicorn.conf.py app:app\n');
      expect(result.after['requirements.txt']).toBe('flask\ngunicorn>=23\n');
      expect(result.manual).toEqual([]);
    },
  );

  it.each([['WORKDIR /srv/app'], ['WORKDIR $APP_HOME'], ['WORKDIR ${APP_HOME}']])(
    'follows `%s` after ENV APP_HOME=/srv/app to the copied app',
    async (workdir) => {
      const dockerfile = `FROM python:3.12\nENV APP_HOME=/srv/app\nCOPY . /srv/app\n${workdir}\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
      const result = await migrateInMemory({
        Dockerfile: dockerfile,
        'app.py': FLASK_APP,
        'requirements.txt': 'flask\n',
      });
      expect(result.after.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]');
      expect(result.after['gunicorn.conf.py']).toBeDefined();
      expect(result.manual).toEqual([]);
    },
  );
});

describe('one model: conditional branches of a script', () => {
  const entrypoint =
    '#!/bin/sh\nset -e\nif [ "$APP_ENV" = development ]; then\n  flask run --debug\nelse\n  exec gunicorn app:app\nfi\n';
  const files = {
    Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install flask gunicorn\nCMD ["./entrypoint.sh"]\n',
    'entrypoint.sh': entrypoint,
    'app.py': FLASK_APP,
  };

  it('reports the development branch as a warning that names its condition, and production as gunicorn', async () => {
    const { report } = await checkOf(files);
    const findings = report.findings.filter((finding) => finding.ruleId === 'script-debug');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 4, severity: 'warning', deployment: { reach: 'development' } });
    expect(must(findings[0]).message).toMatch(/the branch `"\$APP_ENV" = development`/);
    const served = report.deployModel.entrypoints.map((entry) => entry.serves.target);
    expect(served).toEqual([{ kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' }]);
  });

  it('migrate never edits the development branch', async () => {
    const result = await migrateInMemory(files);
    expect(result.after['entrypoint.sh']).toBe(entrypoint);
    expect(result.manual).toEqual(['entrypoint.sh:4 script-debug']);
    expect(result.reasons[0]).toMatch(/runs only in development/);
  });

  it('still reports (as an error) a development server outside any development branch', async () => {
    const { report } = await checkOf({
      ...files,
      'entrypoint.sh': '#!/bin/sh\nif [ -n "$MIGRATE" ]; then flask db upgrade; fi\nexec flask run --debug\n',
    });
    const findings = report.findings.filter((finding) => finding.ruleId === 'script-debug');
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual([[3, 'error']]);
  });
});

describe('one model: systemd', () => {
  it('reads an ExecStart= continued over lines with `\\`', async () => {
    const unit =
      '[Service]\nWorkingDirectory=/srv/web\nExecStart=/srv/web/venv/bin/flask \\\n    run --debug \\\n    --host 0.0.0.0\n';
    const project = tempProject('secure-flask-model-');
    try {
      const path = project.write('web.service', unit);
      const model = await projectDeployModel(project.root, [{ path, kind: 'systemd' }]);
      expect(model.entrypoints.map((entry) => [entry.command.target, entry.command.argv])).toEqual([
        [
          { kind: 'flask-run', debug: true, debugFlag: '--debug' },
          ['/srv/web/venv/bin/flask', 'run', '--debug', '--host', '0.0.0.0'],
        ],
      ]);
      // The words are where the unit writes them, across the continuation lines.
      const debugWord = must(model.entrypoints[0]).command.words?.find((word) => word.text === '--debug');
      expect(debugWord && unit.slice(debugWord.start, debugWord.end)).toBe('--debug');
    } finally {
      project.remove();
    }
  });

  it('migrate drops --debug from the continued command at the word the model read', async () => {
    const result = await migrateInMemory({
      'web.service': '[Service]\nExecStart=/srv/web/venv/bin/flask \\\n    run --debug \\\n    --host 0.0.0.0\n',
    });
    expect(result.after['web.service']).toBe(
      '[Service]\nExecStart=/srv/web/venv/bin/flask \\\n    run \\\n    --host 0.0.0.0\n',
    );
  });
});
