import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';

/**
 * Trees a hostile or merely unusual repository holds: special files (FIFO,
 * character device, socket) under checked names, links inside, outside,
 * dangling and in loops (to files and folders), and files owned by someone
 * else. Devices and ownership need root; as another user those entries are
 * plain files.
 */
export type EntryKind =
  | 'debug-app'
  | 'clean-app'
  | 'fifo'
  | 'device'
  | 'socket'
  | 'link-inside'
  | 'link-outside'
  | 'link-dangling'
  | 'link-loop'
  | 'folder-link-outside'
  | 'folder-link-up'
  | 'owned-by-nobody';

export interface TreeEntry {
  kind: EntryKind;
  /** Under a subfolder or at the top. */
  nested: boolean;
}

const KINDS: EntryKind[] = [
  'debug-app',
  'clean-app',
  'fifo',
  'device',
  'socket',
  'link-inside',
  'link-outside',
  'link-dangling',
  'link-loop',
  'folder-link-outside',
  'folder-link-up',
  'owned-by-nobody',
];

export const treeArb: fc.Arbitrary<TreeEntry[]> = fc.array(
  fc.record({ kind: fc.constantFrom(...KINDS), nested: fc.boolean() }),
  { minLength: 1, maxLength: 8 },
);

export const DEBUG_APP = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n';
const CLEAN_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const isRoot = process.getuid?.() === 0;

export interface BuiltTree {
  /** Paths (relative to the root) of regular debug apps inside the repository, owned files included. */
  debugFiles: string[];
  specialFiles: { path: string; kind: 'fifo' | 'device' | 'socket' }[];
  ownedFiles: string[];
  close: () => Promise<void>;
}

/** Lays the entries out under `root`, with `outside` as the folder that links may escape to (it holds a debug app). */
export async function buildTree(root: string, outside: string, entries: TreeEntry[]): Promise<BuiltTree> {
  mkdirSync(join(root, 'pkg'), { recursive: true });
  writeFileSync(join(outside, 'outside_app.py'), DEBUG_APP);
  const built: BuiltTree = { debugFiles: [], specialFiles: [], ownedFiles: [], close: async () => {} };
  const servers: Server[] = [];
  let anchor: string | undefined;
  for (const [index, entry] of entries.entries()) {
    const folder = entry.nested ? 'pkg' : '.';
    const relative = join(folder, `entry_${index}.py`);
    const path = join(root, relative);
    const plainApp = (text: string) => {
      writeFileSync(path, text);
      if (text === DEBUG_APP) built.debugFiles.push(relative);
      anchor ??= path;
    };
    switch (entry.kind) {
      case 'debug-app':
        plainApp(DEBUG_APP);
        break;
      case 'clean-app':
        plainApp(CLEAN_APP);
        break;
      case 'fifo':
        execFileSync('mkfifo', [path]);
        built.specialFiles.push({ path: relative, kind: 'fifo' });
        break;
      case 'device':
        if (!isRoot) plainApp(CLEAN_APP);
        else {
          execFileSync('mknod', ['-m', '666', path, 'c', '1', '3']);
          built.specialFiles.push({ path: relative, kind: 'device' });
        }
        break;
      case 'socket': {
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(path, resolve));
        servers.push(server);
        built.specialFiles.push({ path: relative, kind: 'socket' });
        break;
      }
      case 'link-inside':
        if (anchor) symlinkSync(anchor, path);
        else plainApp(CLEAN_APP);
        break;
      case 'link-outside':
        symlinkSync(join(outside, 'outside_app.py'), path);
        break;
      case 'link-dangling':
        symlinkSync(join(root, `missing_${index}.py`), path);
        break;
      case 'link-loop':
        symlinkSync(`${path}.other`, path);
        symlinkSync(path, `${path}.other`);
        break;
      case 'folder-link-outside':
        symlinkSync(outside, join(root, folder, `outside_${index}`));
        break;
      case 'folder-link-up':
        symlinkSync('..', join(root, folder, `up_${index}`));
        break;
      case 'owned-by-nobody':
        plainApp(DEBUG_APP);
        if (isRoot) {
          chownSync(path, 65534, 65534);
          chmodSync(path, 0o640);
          built.ownedFiles.push(relative);
        }
        break;
    }
  }
  built.close = async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  };
  return built;
}
