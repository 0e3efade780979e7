import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CREATE_BIN, createSecureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
let folder: TempProject;
afterEach(() => folder?.remove());

const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;
/** No user git config from this machine: a throwaway global config per test. */
const gitEnv = (root: string, extra: Record<string, string> = {}) => ({
  HOME: root,
  GIT_CONFIG_GLOBAL: join(root, '.gitconfig'),
  ...extra,
});

describe('--force in an existing git repository (a monorepo)', () => {
  it("commits nothing, stages nothing, and makes no nested repository: the user's work stays theirs", async () => {
    folder = tempProject('secure-flask-monorepo-');
    await folder.git('init', '-q');
    folder.write('service-a/app.py', 'print("a")\n');
    await folder.git('add', '-A');
    await folder.git('commit', '-q', '-m', 'first');
    folder.write('service-a/app.py', 'print("edited, not committed")\n');
    folder.write('token.txt', 'ghp_secret\n');
    // A hook that refuses every commit: nothing may go around it.
    chmodSync(folder.write('.git/hooks/pre-commit', '#!/bin/sh\necho refused by hook >&2\nexit 1\n'), 0o755);
    const head = await git(folder.root, 'rev-parse', 'HEAD');

    const result = await createSecureFlask(['services/new-api', '--force', '--yes', '--no-install'], {
      cwd: folder.root,
      env: gitEnv(folder.root),
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/inside the existing repository .*: nothing committed/);
    expect(await git(folder.root, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(folder.root, 'diff', '--cached', '--name-only')).toBe('');
    expect(existsSync(join(folder.root, 'services/new-api/.git'))).toBe(false);
    expect(readFileSync(join(folder.root, 'service-a/app.py'), 'utf8')).toBe('print("edited, not committed")\n');
    const status = await git(folder.root, 'status', '--porcelain');
    expect(status).toMatch(/^\?\? token\.txt$/m);
    expect(status).toMatch(/^ M service-a\/app\.py$/m);
  });
});

describe('git init in a new folder', () => {
  it("commits only the generated files, not the user's files beside them", async () => {
    folder = tempProject('secure-flask-newrepo-');
    folder.write('app/notes.txt', 'mine\n');
    const result = await createSecureFlask(['app', '--force', '--yes', '--no-install'], {
      cwd: folder.root,
      env: gitEnv(folder.root),
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const project = join(folder.root, 'app');
    const committed = (await git(project, 'ls-tree', '-r', '--name-only', 'HEAD')).split('\n');
    expect(committed).toContain('wsgi.py');
    expect(committed).not.toContain('notes.txt');
    expect(committed).not.toContain('.env');
    expect(await git(project, 'status', '--porcelain')).toBe('?? notes.txt');
  });

  it('never bypasses hooks: a refusing hook leaves the files staged and says so', async () => {
    folder = tempProject('secure-flask-hooks-');
    chmodSync(folder.write('hooks/pre-commit', '#!/bin/sh\necho "refused by the team hook" >&2\nexit 1\n'), 0o755);
    folder.write(
      '.gitconfig',
      `[core]\n\thooksPath = ${join(folder.root, 'hooks')}\n[user]\n\tname = T\n\temail = t@example.com\n`,
    );
    const result = await createSecureFlask(['app', '--yes', '--no-install'], {
      cwd: folder.root,
      env: gitEnv(folder.root),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /the first commit failed \(refused by the team hook\); the generated files are staged/,
    );
    const project = join(folder.root, 'app');
    expect(await git(project, 'diff', '--cached', '--name-only')).toMatch(/^wsgi\.py$/m);
  });
});

describe('--force on a folder with files the project also has', () => {
  it('keeps the user\'s README, writes the rest, and says what it kept (no "internal error")', async () => {
    folder = tempProject('secure-flask-clash-');
    folder.write('app/README.md', 'my readme\n');
    folder.write('app/tests', 'a file where the project wants a folder\n');
    const result = await createSecureFlask(['app', '--force', '--yes', '--no-install', '--no-git'], {
      cwd: folder.root,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /Kept your README\.md, tests\/conftest\.py, tests\/test_app\.py, tests\/test_production_safety\.py: the generated ones were not written/,
    );
    expect(readFileSync(join(folder.root, 'app/README.md'), 'utf8')).toBe('my readme\n');
    expect(readFileSync(join(folder.root, 'app/tests'), 'utf8')).toMatch(/a file/);
    expect(existsSync(join(folder.root, 'app/wsgi.py'))).toBe(true);
    expect(readdirSync(join(folder.root, 'app')).filter((name) => name.startsWith('.create-secure-flask-'))).toEqual(
      [],
    );
  });
});

describe('one clear line for every error', () => {
  it.each([
    [
      ['--server', 'uwsgi'],
      "create-secure-flask: error: --server must be one of gunicorn, waitress, both (got 'uwsgi')",
    ],
    [['a', 'b'], 'create-secure-flask: error: expected one project folder, got 2 (a, b)'],
    [
      ['inspect'],
      "create-secure-flask: error: 'inspect' is a module of Python's standard library: the package would shadow it; choose another name (or pass --package)",
    ],
    [
      ['123abc'],
      "create-secure-flask: error: the package name 'abc' derived from the project name '123abc' is not usable: 'abc' is a module of Python's standard library: the package would shadow it; choose another name (or pass --package)",
    ],
  ])('%j prints %s', async (args, message) => {
    folder = tempProject('secure-flask-errors-');
    const result = await createSecureFlask([...args, '--yes', '--no-install', '--no-git'], { cwd: folder.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(message);
    expect(readdirSync(folder.root)).toEqual([]);
  });

  it('an unusable --python is refused before anything is written, without execa internals', async () => {
    folder = tempProject('secure-flask-python-');
    const result = await createSecureFlask(['app', '--yes', '--no-git', '--python', 'no-such-python'], {
      cwd: folder.root,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'create-secure-flask: error: no-such-python was not found; pass --python with one, or --no-install',
    );
    expect(readdirSync(folder.root)).toEqual([]);
  });

  it('a 240-character folder name works once the project has a shorter name (the staging folder adds nothing)', async () => {
    folder = tempProject('secure-flask-long-');
    const long = 'a'.repeat(240);
    const refused = await createSecureFlask([long, '--yes', '--no-install', '--no-git'], { cwd: folder.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      'create-secure-flask: error: the project name is 240 characters long; at most 100 (pass a shorter --name)',
    );
    const created = await createSecureFlask([long, '--name', 'long-folder', '--yes', '--no-install', '--no-git'], {
      cwd: folder.root,
    });
    expect(created.stderr).toBe('');
    expect(existsSync(join(folder.root, long, 'long_folder', '__init__.py'))).toBe(true);
  });

  it('a file where the project folder must go is the user\'s situation, said up front, never an "internal error"', async () => {
    folder = tempProject('secure-flask-blocked-');
    folder.write('a-file', 'x');
    const result = await createSecureFlask(['a-file/app', '--yes', '--no-install', '--no-git'], { cwd: folder.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `create-secure-flask: error: ${join(folder.root, 'a-file')} is a file: the project folder cannot go inside it`,
    );
    expect(readdirSync(folder.root)).toEqual(['a-file']);
  });

  it('`.` creates the project in the current folder and prints no `cd .`', async () => {
    folder = tempProject('secure-flask-dot-');
    const result = await createSecureFlask(['.', '--yes', '--no-install', '--no-git', '--python', 'python3.11'], {
      cwd: folder.root,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Created \d+ files in the current folder$/m);
    expect(result.stdout).not.toMatch(/cd \./);
    // The next steps name the interpreter the user chose, and print a real key, not `SECRET_KEY=...`.
    expect(result.stdout).toMatch(/^Next steps:\n {2}python3\.11 -m venv \.venv\n/m);
    expect(result.stdout).toMatch(
      /SECRET_KEY="\$\(python -c 'import secrets; print\(secrets\.token_hex\(32\)\)'\)" gunicorn -c gunicorn\.conf\.py wsgi:app$/m,
    );
    expect(existsSync(join(folder.root, 'wsgi.py'))).toBe(true);
  });
});

/**
 * Stand-ins for git and Python that start the real step, say so through a marker file, and then
 * hang the way a slow install does, so the test can press Ctrl+C (SIGINT to the process group,
 * as a terminal sends it) at a known point without timing anything.
 */
async function hangingTools(root: string, realPython: string) {
  const marker = join(root, 'step-started');
  const realGit = (await execa('sh', ['-c', 'command -v git'])).stdout.trim();
  const pythonStandIn = folder.write(
    'bin/slow-python',
    `#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "venv" ]; then\n  "${realPython}" -m venv --without-pip "$3" || exit 1\n  touch "${marker}"\n  exec sleep 60\nfi\nexec "${realPython}" "$@"\n`,
  );
  const gitStandIn = folder.write(
    'bin/git',
    `#!/bin/sh\nif [ "$1" = "init" ]; then\n  mkdir -p .git/objects\n  touch "${marker}"\n  exec sleep 60\nfi\nexec "${realGit}" "$@"\n`,
  );
  chmodSync(pythonStandIn, 0o755);
  chmodSync(gitStandIn, 0o755);
  return { marker, pythonStandIn, binFolder: join(root, 'bin') };
}

async function pressCtrlCWhenStarted(args: string[], env: Record<string, string>, marker: string) {
  const child = execa(process.execPath, [CREATE_BIN, ...args], {
    cwd: folder.root,
    env: { NO_COLOR: '1', ...env },
    detached: true,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  for (let waited = 0; !existsSync(marker) && waited < 600; waited += 1)
    await new Promise((done) => setTimeout(done, 50));
  expect(existsSync(marker)).toBe(true);
  process.kill(-must(child.pid), 'SIGINT');
  return child;
}

describe('Ctrl+C during the post steps (a real SIGINT)', () => {
  it('during the venv install: removes the half-built .venv, keeps the complete project, prints how to finish, exits 130', async () => {
    folder = tempProject('secure-flask-sigint-venv-');
    const tools = await hangingTools(folder.root, python);
    const result = await pressCtrlCWhenStarted(
      ['app', '--yes', '--no-git', '--python', tools.pythonStandIn],
      {},
      tools.marker,
    );
    expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(130);
    const project = join(folder.root, 'app');
    expect(existsSync(join(project, '.venv'))).toBe(false);
    expect(existsSync(join(project, 'wsgi.py'))).toBe(true);
    expect(existsSync(join(project, 'requirements.txt'))).toBe(true);
    expect(String(result.stdout)).toMatch(
      /Interrupted: the half-built \.venv was removed; the project files are complete\. To finish:\n {2}cd app\n {2}\S*slow-python -m venv \.venv\n/,
    );
  });

  it('during git init: removes the new .git, keeps the project, prints the git commands, exits 130', async () => {
    folder = tempProject('secure-flask-sigint-git-');
    const tools = await hangingTools(folder.root, python);
    const result = await pressCtrlCWhenStarted(
      ['app', '--yes', '--no-install'],
      { PATH: `${tools.binFolder}:${process.env.PATH ?? ''}`, ...gitEnv(folder.root) },
      tools.marker,
    );
    expect(result.exitCode, String(result.stdout) + String(result.stderr)).toBe(130);
    const project = join(folder.root, 'app');
    expect(existsSync(join(project, '.git'))).toBe(false);
    expect(existsSync(join(project, 'wsgi.py'))).toBe(true);
    expect(String(result.stdout)).toMatch(
      /Interrupted: the new \.git was removed; the project files are complete\. To finish:\n {2}cd app\n {2}git init\n/,
    );
  });
});
