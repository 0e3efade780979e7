/**
 * Rewrites templates/partials/uv-lock-<server>.hbs with uv's own output: for each server
 * choice it generates a uv project named `flask-app`, runs the test virtualenv's `uv lock`
 * there (network: PyPI), and stores the lock with the project's name as a template variable.
 * Run after changing the dependencies in templates/project/pyproject.toml.hbs:
 *   npm run build && node dist/test/support/refresh-uv-locks.js
 * The test suite checks each generated lock with `uv lock --check`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createSecureFlask } from './cli.js';
import { ensureTestPython, REPO_ROOT, venvBin } from './python-env.js';

const SERVERS = ['gunicorn', 'waitress', 'both'] as const;
const PLACEHOLDER_NAME = 'flask-app';

async function refreshUvLocks(): Promise<void> {
  const python = await ensureTestPython();
  const workspace = mkdtempSync(join(tmpdir(), 'secure-flask-uv-locks-'));
  try {
    for (const server of SERVERS) {
      const generated = await createSecureFlask(
        [
          server,
          '--name',
          PLACEHOLDER_NAME,
          '--yes',
          '--no-install',
          '--no-git',
          '--server',
          server,
          '--package-manager',
          'uv',
        ],
        { cwd: workspace },
      );
      if (generated.exitCode !== 0) throw new Error(`generating the ${server} project failed: ${generated.stderr}`);
      const project = join(workspace, server);
      // A fresh resolution, not the template's current lock.
      rmSync(join(project, 'uv.lock'));
      await execa(venvBin(python, 'uv'), ['lock', '--python', python], {
        cwd: project,
        stdio: 'inherit',
        env: { UV_PYTHON_DOWNLOADS: 'never' },
      });
      const lock = readFileSync(join(project, 'uv.lock'), 'utf8');
      const projectEntry = `name = "${PLACEHOLDER_NAME}"\nversion = "0.1.0"\nsource = { editable = "." }`;
      if (lock.split(projectEntry).length !== 2)
        throw new Error(`the ${server} lock does not hold the project entry once`);
      if (lock.includes('{{')) throw new Error(`the ${server} lock has text that Handlebars would read`);
      const template = lock.replace(projectEntry, projectEntry.replace(PLACEHOLDER_NAME, '{{distributionName}}'));
      writeFileSync(join(REPO_ROOT, 'templates', 'partials', `uv-lock-${server}.hbs`), template);
      process.stdout.write(`templates/partials/uv-lock-${server}.hbs: refreshed\n`);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

await refreshUvLocks();
