import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import { MAX_FILE_BYTES } from '../files/source-text.js';
import type { BaselineEntry } from './baseline.js';
import { projectRootOf } from '../files/discover.js';
import { isSkippedFolder } from '../files/file-kinds.js';
import { runCheck, type CheckOptions, type CheckReport } from './run-check.js';

// cat-file answers are read in batches of at most this many bytes: memory stays flat on a large tree.
const BATCH_BYTES = 64 * 1024 * 1024;

/**
 * The findings at a git commit, as Semgrep's `--baseline-commit` finds them: the commit's
 * tree is read with git (ls-tree, cat-file) into a temporary folder and checked there with
 * today's settings. The user's working tree, index and refs are never touched.
 */
export async function findingsAtRef(ref: string, options: CheckOptions, today: CheckReport): Promise<BaselineEntry[]> {
  const { root, isGitRepository } = projectRootOf(options.paths, options.cwd);
  if (!isGitRepository) throw new UsageError(`--baseline-ref needs a git repository (${root} is not in one)`);
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  if (commit === '') throw new UsageError(`--baseline-ref: '${ref}' is not a commit in this repository`);
  const folder = mkdtempSync(join(tmpdir(), 'secure-flask-baseline-'));
  try {
    writeTree(root, commit, folder);
    // A folder named `.git` makes the copy a repository root, as the original is, for .gitignore.
    mkdirSync(join(folder, '.git'), { recursive: true });
    const inCopy = (path: string) => join(folder, relative(root, path));
    const cwd = inCopy(options.cwd);
    mkdirSync(cwd, { recursive: true });
    const paths = options.paths.map((path) => relative(options.cwd, inCopy(join(options.cwd, path))) || '.');
    const existing = paths.filter((path) => existsSync(join(cwd, path)));
    if (existing.length === 0) return [];
    const before = await runCheck({
      ...options,
      paths: existing,
      cwd,
      configFile: undefined,
      resolvedConfig: today.config,
    });
    return before.findings.map((finding) => ({
      ruleId: finding.ruleId,
      path: finding.rootPath,
      fingerprint: finding.fingerprint,
      line: finding.line,
    }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Writes the commit's files under `folder`: every file check could read, and every file a deploy
 * file or an import may name (scripts, requirements, .gitignore), so the old run sees the project
 * as it was. Dependency and build folders are left out, as the walk leaves them out.
 */
function writeTree(root: string, commit: string, folder: string): void {
  const listing = git(root, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const batches: { sha: string; path: string }[][] = [[]];
  let batchBytes = 0;
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\s+(\d+)\t(.*)$/s.exec(entry);
    if (!match) continue; // submodules are commits, not blobs
    const [, mode, sha, size, path] = match as unknown as [string, string, string, string, string];
    // A symlink (120000) is left out: its target may be outside the copy.
    if (mode === '120000' || Number(size) > MAX_FILE_BYTES || path.split('/').slice(0, -1).some(isSkippedFolder))
      continue;
    if (batchBytes + Number(size) > BATCH_BYTES && (batches.at(-1)?.length ?? 0) > 0) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)?.push({ sha, path });
    batchBytes += Number(size);
  }
  for (const blobs of batches) if (blobs.length > 0) writeBlobs(root, blobs, folder);
}

function writeBlobs(root: string, blobs: readonly { sha: string; path: string }[], folder: string): void {
  const batch = spawnSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: `${blobs.map((blob) => blob.sha).join('\n')}\n`,
    maxBuffer: 2 * BATCH_BYTES,
  });
  if (batch.status !== 0)
    throw new UsageError(`--baseline-ref: git cat-file failed: ${String(batch.stderr).split('\n')[0]}`);
  const out = batch.stdout;
  let offset = 0;
  for (const { path } of blobs) {
    const headerEnd = out.indexOf(10, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('latin1').split(' ')[2]);
    const target = join(folder, ...path.split('/'));
    if (!target.startsWith(folder + sep))
      throw new UsageError(`--baseline-ref: unexpected path in the commit: ${path}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new UsageError(`--baseline-ref: cannot run git (${result.error.message})`);
  if (result.status !== 0 && !args.includes('--quiet'))
    throw new UsageError(`--baseline-ref: git ${args[0]} failed: ${result.stderr.split('\n')[0]}`);
  return result.stdout;
}
