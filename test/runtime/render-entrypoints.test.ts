import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeEntrypointsOf } from '../../src/runtime/deploy-entrypoints.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

describe("verify's entrypoints from a Render blueprint", () => {
  let project: TempProject;
  beforeAll(() => {
    project = tempProject('secure-flask-render-entrypoints-');
  });
  afterAll(() => project.remove());

  it('a service starts in its rootDir, with the envVars the blueprint sets', async () => {
    project.write(
      'render.yaml',
      'services:\n  - type: web\n    name: api\n    runtime: python\n    rootDir: backend\n' +
        '    startCommand: gunicorn app:app\n    envVars:\n      - key: FLASK_DEBUG\n        value: "0"\n',
    );
    project.write('backend/app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    const [entrypoint, ...others] = await runtimeEntrypointsOf(project.root);
    expect(others).toEqual([]);
    expect(entrypoint).toMatchObject({
      file: 'render.yaml',
      name: 'render.yaml service api',
      kind: 'gunicorn',
      role: 'production',
      argv: ['gunicorn', 'app:app'],
      workdir: 'backend',
      env: { FLASK_DEBUG: '0' },
      container: false,
    });
  });
});
