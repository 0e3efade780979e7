import { execFile } from 'node:child_process';
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
  const status = await gitStatus(root);
  if (status.failure !== undefined || status.exitCode !== 0) {
    const reason =
      status.stderr.split('\n').find((line) => line.trim() !== '') ??
      (status.failure === 'ENOENT'
        ? 'git is not installed'
        : `git status failed (${status.failure ?? status.exitCode})`);
    return {
      kind: 'unknown',
      reason:
        status.failure === 'ENOENT' || /ENOENT/.test(reason)
          ? 'git is not installed (or not on PATH)'
          : reason.replace(/^fatal: /, ''),
    };
  }
  // -z: NUL-separated, unquoted paths; a rename or copy is followed by its source path.
  const entries = status.stdout.split('\0');
  const files: string[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] ?? '';
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') index++;
  }
  return files.length === 0 ? { kind: 'clean' } : { kind: 'dirty', files };
}

/**
 * `git status --porcelain -z` under `root`. Node's own child_process, not execa: execa is an ES module
 * only, which the CommonJS bundle migrate runs from (src/bin/code-cache.ts) cannot load on Node 20.
 */
function gitStatus(root: string): Promise<{ exitCode: number; stdout: string; stderr: string; failure?: string }> {
  const args = ['status', '--porcelain', '-z', '--untracked-files=normal', '.'];
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A number is git's own exit code; otherwise git did not run (ENOENT) or did not finish (a signal).
      const code = (error as { code?: unknown } | null)?.code;
      if (!error || typeof code === 'number')
        resolve({ exitCode: typeof code === 'number' ? code : 0, stdout, stderr });
      else resolve({ exitCode: -1, stdout, stderr, failure: typeof code === 'string' ? code : error.message });
    });
  });
}
