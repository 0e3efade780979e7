import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './repo-root.js';

export { REPO_ROOT };
const REQUIREMENTS = join(REPO_ROOT, 'test', 'python', 'requirements.txt');
const VENV = join(REPO_ROOT, '.venv-test');
const STAMP = join(VENV, '.requirements.sha256');

/** The interpreter that creates the venv: SECURE_FLASK_TEST_PYTHON, else python3 on PATH. */
async function basePython(): Promise<string> {
  const candidate = process.env.SECURE_FLASK_TEST_PYTHON ?? 'python3';
  const probe = await execa(candidate, ['-c', 'import sys, venv, ensurepip; assert sys.version_info >= (3, 10), sys.version'], { reject: false });
  if (probe.exitCode === 0) return candidate;
  // A bare machine: install Python with the system package manager rather than skip the Python tests.
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('test setup: installing python3 and python3-venv with apt-get\n');
    await execa('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    await execa('apt-get', ['install', '-y', '-qq', 'python3', 'python3-venv'], { stdio: 'inherit', env: { DEBIAN_FRONTEND: 'noninteractive' } });
    return 'python3';
  }
  throw new Error(`test setup: ${candidate} (>= 3.10 with venv) is required for the test suite: install it or set SECURE_FLASK_TEST_PYTHON`);
}

/**
 * Creates (once) the test virtualenv from the pinned requirements and returns
 * its python. The venv is re-created when requirements.txt changes.
 */
export async function ensureTestPython(): Promise<string> {
  const digest = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  const python = join(VENV, 'bin', 'python');
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return python;
  rmSync(VENV, { recursive: true, force: true });
  const base = await basePython();
  process.stderr.write('test setup: creating .venv-test from test/python/requirements.txt\n');
  await execa(base, ['-m', 'venv', VENV], { stdio: 'inherit' });
  await execa(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], { stdio: 'inherit' });
  writeFileSync(STAMP, digest);
  return python;
}

export function venvBin(python: string, tool: string): string {
  return join(python, '..', tool);
}
