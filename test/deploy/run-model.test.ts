import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import type { DeployModel } from '../../src/deploy/model.js';
import type { DeployRule } from '../../src/rules/rule.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { must } from '../support/must.js';
import { tempProject } from '../support/temp-project.js';

// Issue 23: the deploy model is built once per run; rules get it through their context, and it is
// the object severity (report.deployModel) reads, so a fix and a severity never disagree.
const FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';

/** A one-rule catalog that records the model each deploy file's context carries. */
function recordingRule(seen: { path: string; deploy: DeployModel }[]): DeployRule {
  return {
    id: 'record-model',
    language: 'deploy',
    fileKinds: ['dockerfile', 'procfile', 'yaml'],
    title: 'records the context',
    severity: 'error',
    hint: '',
    doc: { why: '', example: '', fix: '' },
    keywords: ['flask'],
    prefilter: /flask/,
    detect(context) {
      seen.push({ path: context.path, deploy: context.deploy });
      return [];
    },
  };
}

describe('one deploy model per run', () => {
  it('hands every deploy rule the model the report (severity) reads, the same object', async () => {
    const project = tempProject('secure-flask-run-model-');
    try {
      project.write('Dockerfile', 'FROM python:3.12\nCMD ["flask", "run"]\n');
      project.write('Procfile', 'web: flask run\n');
      project.write('docker-compose.yml', 'services:\n  web:\n    build: .\n    command: flask run\n');
      project.write('app.py', FLASK_APP);
      const seen: { path: string; deploy: DeployModel }[] = [];
      const report = await runCheck({
        paths: ['.'],
        includeTests: false,
        cwd: project.root,
        jobs: 1,
        catalog: [recordingRule(seen)],
      });
      expect(seen.map((entry) => entry.path.slice(project.root.length + 1)).sort()).toEqual([
        'Dockerfile',
        'Procfile',
        'docker-compose.yml',
      ]);
      for (const entry of seen) expect(entry.deploy).toBe(report.deployModel);
      // The compose service reaches into the Dockerfile it builds: a per-file model could not see that.
      const compose = must(report.deployModel.entrypoints.find((entry) => entry.kind === 'compose'));
      expect(compose.stage).toMatchObject({ final: true });
    } finally {
      project.remove();
    }
  });

  it('a named deploy file outside the walk (git-ignored) is in the model its rules read', async () => {
    const project = tempProject('secure-flask-run-model-');
    try {
      await project.git('init', '-q');
      project.write('.gitignore', 'Procfile.local\n');
      project.write('Procfile.local', 'web: flask run --debug\n');
      project.write('app.py', FLASK_APP);
      const seen: { path: string; deploy: DeployModel }[] = [];
      const report = await runCheck({
        paths: ['Procfile.local'],
        includeTests: false,
        cwd: project.root,
        jobs: 1,
        catalog: [recordingRule(seen)],
      });
      expect(seen).toHaveLength(1);
      expect(must(seen[0]).deploy).toBe(report.deployModel);
      expect(report.deployModel.entrypoints.map((entry) => entry.name)).toEqual(['Procfile.local process web']);
    } finally {
      project.remove();
    }
  });

  it('a compose file beside its .prod sibling: migrate leaves the dev server, as severity says development', async () => {
    const files = {
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: python manage.py run -h 0.0.0.0\n',
      'docker-compose.prod.yml': 'services:\n  web:\n    build: .\n    command: gunicorn manage:app\n',
      'manage.py': `${FLASK_APP}from flask.cli import FlaskGroup\n\ncli = FlaskGroup(app)\n\nif __name__ == "__main__":\n    cli()\n`,
    };
    const result = await migrateInMemory(files);
    expect(result.after['docker-compose.yml']).toBe(files['docker-compose.yml']);
    expect(result.manual).toEqual(['docker-compose.yml:4 orchestrator-dev-server']);
    expect(result.reasons[0]).toBe(
      'docker-compose.yml service web is for development only (docker-compose.prod.yml is the production file); ' +
        'it keeps its development server',
    );
  });

  it('a Dockerfile beside Dockerfile.prod: its dev server is a warning and migrate leaves it', async () => {
    const files = {
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install flask\nCMD ["flask", "run", "--host=0.0.0.0"]\n',
      'Dockerfile.prod': 'FROM python:3.12\nCOPY . .\nRUN pip install flask gunicorn\nCMD ["gunicorn", "app:app"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    };
    const project = tempProject('secure-flask-run-model-');
    try {
      for (const [path, contents] of Object.entries(files)) project.write(path, contents);
      const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
      const finding = must(report.findings.find((candidate) => candidate.ruleId === 'dockerfile-dev-server'));
      expect(finding.severity).toBe('warning');
    } finally {
      project.remove();
    }
    const result = await migrateInMemory(files);
    expect(result.after.Dockerfile).toBe(files.Dockerfile);
    expect(result.reasons[0]).toMatch(
      /^Dockerfile is for development only \(Dockerfile\.prod is the production file\)/,
    );
  });
});
