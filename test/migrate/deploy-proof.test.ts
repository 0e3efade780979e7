import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { migratedCopy } from '../support/migrated-copy.js';
import type { TempProject } from '../support/temp-project.js';

const python = inject('python');
const FIXTURES = join(REPO_ROOT, 'fixtures', 'deploy-rewrites');

interface ProofCase {
  name: string;
  /** The deploy file whose command migrate rewrites, and the folder the command runs in. */
  deployFile: string;
  folder: string;
  /** Gunicorn's target the rewrite must name. */
  target: string;
  /** Where the image or platform installs packages, and what must now be there. */
  installs: { file: string; pattern: RegExp };
  /** Files migrate must leave byte-for-byte alone (a requirements.txt the image never installs, a dev Procfile). */
  untouched: string[];
  /** gunicorn.conf.py's bind with a clean environment, and with the variables the deploy files set. */
  bind: { clean: string; deployed?: { env: Record<string, string>; bind: string } };
  body: string;
}

const CASES: ProofCase[] = [
  {
    name: 'factory-flask-run',
    deployFile: 'Dockerfile',
    folder: '.',
    target: 'app:create_app()',
    installs: { file: 'requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['app.py'],
    bind: { clean: '0.0.0.0:8000' },
    body: 'hello from the production factory',
  },
  {
    name: 'pip-install-line',
    deployFile: 'Dockerfile',
    folder: '.',
    target: 'server:app',
    installs: { file: 'Dockerfile', pattern: /pip install --no-cache-dir flask==3\.1\.3 gunicorn \\$/m },
    untouched: ['requirements.txt', 'server.py'],
    bind: { clean: '0.0.0.0:8080' },
    body: 'served by the pip-install-line image',
  },
  {
    name: 'env-port-compose',
    deployFile: 'backend/Dockerfile',
    folder: 'backend',
    target: 'server:app',
    installs: { file: 'backend/requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['compose.yaml', 'proxy/default.conf'],
    // compose sets FLASK_SERVER_PORT=9091 and the proxy forwards to backend:9091: the same variable, the same default.
    bind: { clean: '0.0.0.0:9090', deployed: { env: { FLASK_SERVER_PORT: '9091' }, bind: '0.0.0.0:9091' } },
    body: 'backend behind the proxy',
  },
  {
    name: 'procfile-dev',
    deployFile: 'Procfile',
    folder: '.',
    target: 'app:app',
    installs: { file: 'requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['Procfile.dev'],
    bind: { clean: '0.0.0.0:5000', deployed: { env: { PORT: '31337' }, bind: '0.0.0.0:31337' } },
    body: 'procfile app',
  },
  {
    name: 'multi-stage-dev',
    deployFile: 'Dockerfile',
    folder: '.',
    target: 'app:application',
    installs: { file: 'requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['requirements-dev.txt', 'app.py'],
    bind: { clean: '0.0.0.0:5000' },
    body: 'multi-stage production stage',
  },
  {
    name: 'package-factory',
    deployFile: 'Dockerfile',
    folder: '.',
    target: 'inventory:create_app()',
    // The image copies requirements.txt to requirements/base.txt and installs that: the host file is requirements.txt.
    installs: { file: 'requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['pyproject.toml'],
    bind: {
      clean: '127.0.0.1:5000',
      deployed: { env: { FLASK_RUN_HOST: '0.0.0.0', FLASK_RUN_PORT: '7000' }, bind: '0.0.0.0:7000' },
    },
    body: 'inventory package',
  },
  {
    name: 'compose-command',
    deployFile: 'compose.yaml',
    folder: '.',
    target: 'portal:app',
    installs: { file: 'requirements.txt', pattern: /^gunicorn\b/m },
    untouched: ['Dockerfile', 'portal.py'],
    // compose's environment sets FLASK_RUN_PORT for `flask run`; gunicorn.conf.py reads it, with Flask's default.
    bind: { clean: '0.0.0.0:5000', deployed: { env: { FLASK_RUN_PORT: '8001' }, bind: '0.0.0.0:8001' } },
    body: 'portal started by compose',
  },
];

const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

/** The bind gunicorn.conf.py computes, read by Python itself. */
async function configuredBind(folder: string, env: Record<string, string>): Promise<string> {
  const script = 'import runpy; print(runpy.run_path("gunicorn.conf.py")["bind"])';
  const result = await execa(python, ['-c', script], {
    cwd: folder,
    env: { ...CLEAN_ENV, ...env },
    extendEnv: false,
    reject: false,
    all: true,
  });
  expect(result.exitCode, result.all).toBe(0);
  return String(result.stdout).trim();
}

describe('rewritten deploy commands start under real gunicorn', () => {
  let workspace: TempProject;
  beforeAll(async () => {
    workspace = await migratedCopy(FIXTURES, 'secure-flask-deploy-proof-');
  }, 120_000);
  afterAll(() => workspace.remove());

  it('covers every fixture folder', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(new Set(CASES.map((c) => c.name))).toEqual(new Set(folders));
  });

  it.each(CASES)(
    '$name: $deployFile runs gunicorn $target, installed by $installs.file, and it serves /',
    async (proof) => {
      const original = (path: string) => readFileSync(join(workspace.root, 'before', proof.name, path), 'utf8');
      const migrated = (path: string) => readFileSync(join(workspace.root, 'after', proof.name, path), 'utf8');
      const deployText = migrated(proof.deployFile);
      expect(deployText).toContain(
        `gunicorn -c gunicorn.conf.py ${proof.target}`.replace(/ /g, deployText.includes('["gunicorn"') ? '", "' : ' '),
      );
      expect(original(proof.installs.file)).not.toMatch(proof.installs.pattern);
      expect(migrated(proof.installs.file)).toMatch(proof.installs.pattern);
      for (const path of proof.untouched) expect(migrated(path), path).toBe(original(path));

      const folder = join(workspace.root, 'after', proof.name, proof.folder);
      expect(await configuredBind(folder, {})).toBe(proof.bind.clean);
      if (proof.bind.deployed)
        expect(await configuredBind(folder, proof.bind.deployed.env)).toBe(proof.bind.deployed.bind);

      // Loopback only: the command line's --bind overrides the file's, everything else comes from gunicorn.conf.py.
      const port = await freePort();
      const server = await startServer(
        venvBin(python, 'gunicorn'),
        ['-c', 'gunicorn.conf.py', '--bind', `127.0.0.1:${port}`, proof.target],
        { cwd: folder, env: CLEAN_ENV, port },
      );
      try {
        const response = await fetch(server.url);
        expect(response.status, server.output()).toBe(200);
        expect(await response.text()).toBe(proof.body);
        expect(response.headers.get('server') ?? '').not.toMatch(/werkzeug/i);
      } finally {
        await server.stop();
      }
    },
  );

  it('a second run has nothing left to switch', async () => {
    const again = await secureFlask(['migrate', '.'], { cwd: join(workspace.root, 'after') });
    expect(again.stdout).toMatch(/^migrate: 0 changed/m);
  });
});
