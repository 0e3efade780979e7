import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import { MAX_FILE_BYTES } from '../files/source-text.js';
import type { BaselineEntry } from './baseline.js';
import { projectRootOf } from './discover.js';
import { fileKindOf } from './file-kinds.js';
import { runCheck, type CheckOptions, type CheckReport } from './run-check.js';

// Besides the files check reads: what decides which files are read and how deploy files are understood.
const CONTEXT_FILE = /(^|\/)(\.gitignore|pyproject\.toml|\.secure-flask\.json|[^/]*requirements[^/]*\.(txt|in)|setup\.cfg|Pipfile)$/;

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
    const before = await runCheck({ ...options, paths: existing, cwd, configFile: undefined, resolvedConfig: today.config });
    return before.findings.map((finding) => ({ ruleId: finding.ruleId, path: finding.rootPath, fingerprint: finding.fingerprint, line: finding.line }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Writes the commit's files that check reads (and those that shape the run) under `folder`. */
function writeTree(root: string, commit: string, folder: string): void {
  const listing = git(root, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const blobs: { sha: string; path: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\s+(\d+|-)\t(.*)$/s.exec(entry);
    if (!match) continue; // submodules (commit), symlinks are mode 120000 blobs: skipped below
    const [, mode, sha, size, path] = match as unknown as [string, string, string, string, string];
    if (mode === '120000' || Number(size) > MAX_FILE_BYTES) continue;
    if (fileKindOf(basename(path)) || CONTEXT_FILE.test(path)) blobs.push({ sha, path });
  }
  if (blobs.length === 0) return;
  const batch = spawnSync('git', ['cat-file', '--batch'], { cwd: root, input: blobs.map((blob) => blob.sha).join('\n') + '\n', maxBuffer: 1024 * 1024 * 1024 });
  if (batch.status !== 0) throw new UsageError(`--baseline-ref: git cat-file failed: ${String(batch.stderr).split('\n')[0]}`);
  const out = batch.stdout;
  let offset = 0;
  for (const { path } of blobs) {
    const headerEnd = out.indexOf(10, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('latin1').split(' ')[2]);
    const target = join(folder, ...path.split('/'));
    if (!target.startsWith(folder + sep)) throw new UsageError(`--baseline-ref: unexpected path in the commit: ${path}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new UsageError(`--baseline-ref: cannot run git (${result.error.message})`);
  if (result.status !== 0 && !args.includes('--quiet')) throw new UsageError(`--baseline-ref: git ${args[0]} failed: ${result.stderr.split('\n')[0]}`);
  return result.stdout;
}
