import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/python-env.js';

/**
 * `npm run bench:corpus -- <snapshots> [<cache>]`: exports the public Flask repositories listed in
 * test/bench/flask-corpus.txt into the bench's cache folder (default `.bench/corpus`), one folder
 * per repository, each at the listed commit. `<snapshots>` is a folder of git directories, bare or
 * cloned, named `owner+name` (optionally with a `repo/` git directory inside), `owner/name` or
 * `name`: wherever the repositories can be had (`git clone --bare https://github.com/owner/name`
 * for each). The commit must be in the snapshot. Files a snapshot lacks (some leave out very large
 * blobs) are left out and counted. Each export gets a git repository of its own with one commit,
 * so check and migrate meet it as they meet a clone: its own root, .gitignore in force.
 * Nothing is ever written under the project's own sources, and the cache folder is git-ignored.
 */
export const CORPUS_LIST = join(REPO_ROOT, 'test', 'bench', 'flask-corpus.txt');
export const DEFAULT_CORPUS_CACHE = join(REPO_ROOT, '.bench', 'corpus');

export interface CorpusEntry {
  repository: string;
  commit: string;
  /** The folder name in the cache: `owner+name`. */
  folder: string;
}

export function corpusEntries(): CorpusEntry[] {
  return readFileSync(CORPUS_LIST, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [repository = '', commit = ''] = line.split(/\s+/);
      return { repository, commit, folder: repository.replace('/', '+') };
    });
}

function git(args: string[], input?: Buffer): { ok: boolean; stdout: Buffer } {
  const result = spawnSync('git', args, { input, maxBuffer: 1024 * 1024 * 1024 });
  return { ok: result.status === 0, stdout: result.stdout ?? Buffer.alloc(0) };
}

/** The git directory under `snapshots` that holds `entry`'s commit, if any. */
function findGitDir(snapshots: string, entry: CorpusEntry): string | undefined {
  const [owner = '', name = ''] = entry.repository.split('/');
  const places = [
    join(snapshots, entry.folder, 'repo'),
    join(snapshots, entry.folder),
    join(snapshots, owner, name),
    join(snapshots, name),
  ];
  for (const place of places) {
    for (const gitDir of [join(place, '.git'), place]) {
      if (existsSync(gitDir) && git(['--git-dir', gitDir, 'cat-file', '-e', `${entry.commit}^{commit}`]).ok)
        return gitDir;
    }
  }
  return undefined;
}

/** Writes the tree of `commit` into `target`; returns how many files the snapshot lacked. */
function exportCommit(gitDir: string, commit: string, target: string): { files: number; missing: number } {
  const listing = git(['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit]);
  if (!listing.ok) throw new Error(`cannot list ${commit} in ${gitDir}`);
  const entries = listing.stdout
    .toString('utf8')
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', type = '', object = ''] = meta.split(' ');
      return { mode, type, object, path };
    })
    .filter((entry) => entry.type === 'blob');
  // One `cat-file --batch` for the whole tree: `<oid> blob <size>\n<bytes>\n`, or `<oid> missing\n`.
  const batch = git(
    ['--git-dir', gitDir, 'cat-file', '--batch'],
    Buffer.from(entries.map((entry) => `${entry.object}\n`).join('')),
  ).stdout;
  let offset = 0;
  let missing = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const header = batch.subarray(offset, headerEnd).toString('latin1').split(' ');
    offset = headerEnd + 1;
    if (header[1] !== 'blob') {
      missing++;
      continue;
    }
    const size = Number(header[2]);
    const bytes = batch.subarray(offset, offset + size);
    offset += size + 1;
    const path = join(target, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if (entry.mode === '120000') symlinkSync(bytes.toString('utf8'), path);
    else writeFileSync(path, bytes, { mode: entry.mode === '100755' ? 0o755 : 0o644 });
  }
  return { files: entries.length - missing, missing };
}

function main(): void {
  const [snapshotsArgument, cacheArgument] = process.argv.slice(2);
  if (!snapshotsArgument) {
    process.stderr.write('usage: npm run bench:corpus -- <folder of git snapshots or clones> [<cache folder>]\n');
    process.exit(2);
  }
  const snapshots = resolve(snapshotsArgument);
  const cache = resolve(cacheArgument ?? DEFAULT_CORPUS_CACHE);
  mkdirSync(cache, { recursive: true });
  let absent = 0;
  for (const entry of corpusEntries()) {
    const gitDir = findGitDir(snapshots, entry);
    if (!gitDir) {
      process.stderr.write(`${entry.repository}: commit ${entry.commit} not found under ${snapshots}\n`);
      absent++;
      continue;
    }
    const target = join(cache, entry.folder);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    const { files, missing } = exportCommit(gitDir, entry.commit, target);
    // A repository of its own, committed, as a clone would be.
    const inTarget = [
      '-C',
      target,
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@localhost',
      '-c',
      'commit.gpgsign=false',
    ];
    if (
      !git([...inTarget, 'init', '-q']).ok ||
      !git([...inTarget, 'add', '-A', '-f']).ok ||
      !git([...inTarget, 'commit', '-q', '--no-verify', '-m', entry.commit]).ok
    ) {
      throw new Error(`cannot make a git repository of ${target}`);
    }
    process.stdout.write(
      `${entry.repository}: ${files} files${missing > 0 ? ` (${missing} not in the snapshot)` : ''}\n`,
    );
  }
  process.stdout.write(`corpus in ${cache}${absent > 0 ? `; ${absent} repositories not found` : ''}\n`);
  if (absent > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
