import { findGitRoot } from '../files/discover.js';

export type GitState =
  | { kind: 'clean' }
  | { kind: 'dirty'; files: string[] }
  | { kind: 'not-a-repository' }
  /** A repository whose state git would not tell (dubious ownership, git missing, a broken .git). */
  | { kind: 'unknown'; reason: string };

/**
 * Whether the working tree under `root` has uncommitted changes (untracked
 * files count). Only the absence of any `.git` above `root` means "not a
 * repository": when there is one and `git status` fails, the state is unknown,
 * which is not the same as clean.
 */
export async function gitState(root: string): Promise<GitState> {
  if (findGitRoot(root) === undefined) return { kind: 'not-a-repository' };
  // Loaded here: a dry run outside git never pays for it.
  const { execa } = await import('execa');
  const status = await execa('git', ['status', '--porcelain', '-z', '--untracked-files=normal', '.'], {
    cwd: root,
    reject: false,
  });
  if (status.failed || status.exitCode !== 0) {
    const reason =
      String(status.stderr ?? '')
        .split('\n')
        .find((line) => line.trim() !== '') ??
      (status.code === 'ENOENT' ? 'git is not installed' : (status.shortMessage ?? 'git status failed'));
    return {
      kind: 'unknown',
      reason:
        status.code === 'ENOENT' || /ENOENT/.test(reason)
          ? 'git is not installed (or not on PATH)'
          : reason.replace(/^fatal: /, ''),
    };
  }
  // -z: NUL-separated, unquoted paths; a rename or copy is followed by its source path.
  const entries = String(status.stdout).split('\0');
  const files: string[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] ?? '';
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') index++;
  }
  return files.length === 0 ? { kind: 'clean' } : { kind: 'dirty', files };
}
