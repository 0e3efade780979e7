import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { committedProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

const APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "one run"\n';
const IMAGE =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n';
const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

async function gitStatus(root: string): Promise<string> {
  return String((await execa('git', ['status', '--porcelain'], { cwd: root })).stdout);
}

/**
 * The user's story: one `migrate --write`, commit, then a second run finds
 * nothing to change and check agrees that nothing is left.
 */
async function migrateTwice(files: Record<string, string>) {
  project = await committedProject(files, 'secure-flask-one-run-');
  const prBody = await secureFlask(['migrate', '--pr-body'], { cwd: project.root });
  const first = await secureFlask(['migrate', '--write'], { cwd: project.root });
  expect(first.exitCode, first.stdout + first.stderr).toBe(0);
  await project.git('add', '-A');
  await project.git('commit', '-qm', 'migrated');
  const second = await secureFlask(['migrate', '--write'], { cwd: project.root });
  const check = await secureFlask(['check'], { cwd: project.root });
  return { first, second, check, prBody, read: (path: string) => readFileSync(join(project.root, path), 'utf8') };
}

async function expectServes(config: string, target: string, body: string) {
  const port = await freePort();
  // Loopback only: the command line's --bind overrides the file's, the rest comes from the config.
  const server = await startServer(venvBin(python, 'gunicorn'), ['-c', config, '--bind', `127.0.0.1:${port}`, target], {
    cwd: project.root,
    env: CLEAN_ENV,
    port,
  });
  try {
    const response = await fetch(server.url);
    expect(response.status, server.output()).toBe(200);
    expect(await response.text()).toBe(body);
  } finally {
    await server.stop();
  }
}

describe('one migrate run reaches the fixpoint', () => {
  it('a Dockerfile running `flask run --debug` beside a Procfile `web: python app.py`: both switched, each listening where it did', async () => {
    const result = await migrateTwice({
      'app.py': `${APP}\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)\n`,
      'requirements.txt': 'flask\n',
      Dockerfile: `${IMAGE}CMD ["flask", "--app", "app", "run", "--debug", "--host", "0.0.0.0", "--port", "8000"]\n`,
      Procfile: 'web: python app.py\n',
    });
    expect(result.first.stdout).not.toMatch(/^manual:/m);
    expect(result.read('Dockerfile')).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n');
    expect(result.read('Procfile')).toBe('web: gunicorn -c gunicorn.procfile.conf.py app:app\n');
    expect(result.read('gunicorn.conf.py')).toContain('_port = "8000"');
    expect(result.read('gunicorn.procfile.conf.py')).toContain('_port = "5000"');
    expect(result.read('requirements.txt')).toBe('flask\ngunicorn>=23\n');
    expect(result.first.stdout).toMatch(/notice: Procfile: .*Its settings are in gunicorn\.procfile\.conf\.py/);

    expect(result.second.exitCode).toBe(0);
    expect(result.second.stdout).toMatch(/^migrate: 0 changed/m);
    expect(result.second.stdout).not.toMatch(/^manual:/m);
    expect(await gitStatus(project.root)).toBe('');
    expect(result.check.exitCode, result.check.stdout).toBe(0);

    expect(result.prBody.stdout).not.toMatch(/again after/);
    expect(result.prBody.stdout).toContain('Running it again on this branch changes nothing.');
    await expectServes('gunicorn.procfile.conf.py', 'app:app', 'one run');
  }, 90_000);

  it('a Dockerfile and a Dockerfile.cli both running the dev server: both switched in one run, --debug covered by the switch', async () => {
    const result = await migrateTwice({
      'app.py': APP,
      'requirements.txt': 'flask\n',
      Dockerfile: `${IMAGE}CMD flask --app app run --debug --host 0.0.0.0 --port 8000\n`,
      'Dockerfile.cli': `${IMAGE}CMD flask --app app --debug run --host 0.0.0.0 --port 9000\n`,
    });
    expect(result.first.stdout).not.toMatch(/^manual:/m);
    expect(result.read('Dockerfile.cli')).toContain(
      'CMD ["gunicorn", "-c", "gunicorn.dockerfile-cli.conf.py", "app:app"]\n',
    );
    expect(result.read('gunicorn.dockerfile-cli.conf.py')).toContain('_port = "9000"');
    expect(result.second.stdout).toMatch(/^migrate: 0 changed/m);
    expect(await gitStatus(project.root)).toBe('');
    expect(result.check.exitCode, result.check.stdout).toBe(0);
    await expectServes('gunicorn.dockerfile-cli.conf.py', 'app:app', 'one run');
  }, 90_000);

  it('two commands that listen alike share one gunicorn.conf.py', async () => {
    const result = await migrateTwice({
      'app.py': APP,
      'requirements.txt': 'flask\n',
      Dockerfile: `${IMAGE}CMD flask --app app run --host 0.0.0.0 --port 8000\n`,
      'Dockerfile.cli': `${IMAGE}CMD python -m flask --app app run --host 0.0.0.0 --port 8000\n`,
    });
    expect(result.read('Dockerfile.cli')).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n');
    expect(result.first.stdout).toMatch(/^migrate: 3 changed, 1 new/m);
    expect(result.check.exitCode, result.check.stdout).toBe(0);
  }, 90_000);
});
