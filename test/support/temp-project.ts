import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

export interface TempProject {
  root: string;
  write: (path: string, contents: string | Buffer) => string;
  git: (...args: string[]) => Promise<void>;
  remove: () => void;
}

/** A scratch folder for one test (world-readable, so tests can also run the CLI as another user). */
export function tempProject(prefix = 'secure-flask-test-'): TempProject {
  const root = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(root, 0o755);
  return {
    root,
    write(path, contents) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, contents);
      return full;
    },
    async git(...args) {
      await execa(
        'git',
        ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
        { cwd: root },
      );
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A scratch git repository with `files` committed: a clean tree, as migrate wants before writing. */
export async function committedProject(
  files: Record<string, string>,
  prefix = 'secure-flask-committed-',
): Promise<TempProject> {
  const created = tempProject(prefix);
  for (const [path, contents] of Object.entries(files)) created.write(path, contents);
  await commitAll(created);
  return created;
}

/** `git init` and one commit of every file git does not ignore. */
export async function commitAll(project: TempProject): Promise<void> {
  await project.git('init', '-q');
  await project.git('add', '-A');
  await project.git('commit', '-qm', 'start');
}

export const FLASK_DEBUG_APP = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n';
