import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export type StepResult = { ok: true; detail?: string } | { ok: false; message: string };

/** `git init` and a first commit, with a fallback identity when the user has none configured. */
export async function initGitRepository(targetDir: string, alreadyRepository: boolean): Promise<StepResult> {
  try {
    if (!alreadyRepository) await execa('git', ['init', '-q'], { cwd: targetDir });
    await execa('git', ['add', '-A'], { cwd: targetDir });
    const identity = await execa('git', ['config', 'user.email'], { cwd: targetDir, reject: false });
    const fallback = identity.exitCode === 0 ? [] : ['-c', 'user.name=create-secure-flask', '-c', 'user.email=create-secure-flask@localhost'];
    await execa('git', [...fallback, 'commit', '-q', '--no-verify', '-m', 'Initial commit from create-secure-flask'], { cwd: targetDir });
    return { ok: true, detail: alreadyRepository ? 'committed to the existing repository' : 'initialized with a first commit' };
  } catch (error) {
    const message = (error as { shortMessage?: string }).shortMessage ?? String(error);
    return { ok: false, message: `git step failed: ${message.split('\n')[0]}` };
  }
}

/** A `.venv` with the project and its dev tools installed; a failed install removes the half-made venv. */
export async function createVirtualenv(targetDir: string, python: string): Promise<StepResult> {
  const venv = join(targetDir, '.venv');
  try {
    await execa(python, ['-m', 'venv', venv], { cwd: targetDir });
    await execa(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', '.[dev]'], {
      cwd: targetDir,
      timeout: 600_000,
    });
    return { ok: true, detail: '.venv created with the project and its dev tools' };
  } catch (error) {
    rmSync(venv, { recursive: true, force: true });
    const result = error as { shortMessage?: string; stderr?: string };
    const reason = (result.stderr ?? '').trim().split('\n').at(-1) || result.shortMessage || String(error);
    return { ok: false, message: `creating the virtualenv failed: ${reason}` };
  }
}
