import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './repo-root.js';

export { REPO_ROOT };
const REQUIREMENTS = join(REPO_ROOT, 'test', 'python', 'requirements.txt');
const VENV = join(REPO_ROOT, '.venv-test');
// Connexion 2 needs Flask < 2.3, so it cannot share the main venv (Flask 3.1): a second, small one.
const CONNEXION2_REQUIREMENTS = join(REPO_ROOT, 'test', 'python', 'requirements-connexion2.txt');
const CONNEXION2_VENV = join(REPO_ROOT, '.venv-test-connexion2');

/** The interpreter that creates the venv: SECURE_FLASK_TEST_PYTHON, else python3 on PATH. */
async function basePython(): Promise<string> {
  const candidate = process.env.SECURE_FLASK_TEST_PYTHON ?? 'python3';
  const probe = await execa(
    candidate,
    ['-c', 'import sys, venv, ensurepip; assert sys.version_info >= (3, 10), sys.version'],
    { reject: false },
  );
  if (probe.exitCode === 0) return candidate;
  // A bare machine: install Python with the system package manager rather than skip the Python tests.
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('test setup: installing python3 and python3-venv with apt-get\n');
    await execa('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    await execa('apt-get', ['install', '-y', '-qq', 'python3', 'python3-venv'], {
      stdio: 'inherit',
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    return 'python3';
  }
  throw new Error(
    `test setup: ${candidate} (>= 3.10 with venv) is required for the test suite: install it or set SECURE_FLASK_TEST_PYTHON`,
  );
}

/**
 * Creates (once) the test virtualenv from the pinned requirements and returns
 * its python. The venv is re-created when requirements.txt changes.
 */
export async function ensureTestPython(): Promise<string> {
  return ensureVenv(VENV, REQUIREMENTS);
}

/** The venv with Connexion 2 and the Flask 2.2 it needs, created the same way. */
export async function ensureConnexion2Python(): Promise<string> {
  return ensureVenv(CONNEXION2_VENV, CONNEXION2_REQUIREMENTS);
}

async function ensureVenv(venv: string, requirements: string): Promise<string> {
  const stamp = join(venv, '.requirements.sha256');
  const digest = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const python = join(venv, 'bin', 'python');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return python;
  rmSync(venv, { recursive: true, force: true });
  const base = await basePython();
  process.stderr.write(`test setup: creating ${basename(venv)} from test/python/${basename(requirements)}\n`);
  await execa(base, ['-m', 'venv', venv], { stdio: 'inherit' });
  await execa(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements], {
    stdio: 'inherit',
  });
  writeFileSync(stamp, digest);
  return python;
}

export function venvBin(python: string, tool: string): string {
  return join(python, '..', tool);
}
