import { execa } from 'execa';

export type GitState = { kind: 'clean' } | { kind: 'dirty'; files: string[] } | { kind: 'not-a-repository' };

/** Whether the working tree under `root` has uncommitted changes (untracked files count). */
export async function gitState(root: string): Promise<GitState> {
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=normal', '.'], { cwd: root, reject: false });
  if (status.exitCode !== 0) return { kind: 'not-a-repository' };
  const files = String(status.stdout)
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  return files.length === 0 ? { kind: 'clean' } : { kind: 'dirty', files };
}
