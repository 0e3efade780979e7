import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { planMigration } from '../../src/migrate/plan.js';
import { writePlannedFile } from '../../src/migrate/write-files.js';
import { withPythonTree } from '../../src/python/parser.js';
import { python3SyntaxError } from '../../src/python/python3-syntax.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { secureFlask } from '../support/cli.js';
import { compileAll } from '../support/cpython.js';
import { committedProject as committedRepository, tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

const HEAD = 'from flask import Flask\napp = Flask(__name__)\n';
const RUN = 'app.run(debug=True)\n';
const APP = `${HEAD}${RUN}`;

// Files tree-sitter reads without an ERROR node and CPython 3 refuses.
const REJECTED: Record<string, string> = {
  'tab-error': `${HEAD}if app:\n\tx = 1\n        y = 2\n${RUN}`,
  'unexpected-indent': `${HEAD}    x = 1\n${RUN}`,
  'unindent-mismatch': `${HEAD}if app:\n        x = 1\n    y = 2\n${RUN}`,
  'block-cut-off': `${HEAD}${RUN}if __name__ == "__main__":\n`,
  'block-cut-off-comment': `${HEAD}if app:\n# nothing here\n${RUN}`,
  'top-level-walrus': `${HEAD}x := 1\n${RUN}`,
  'print-statement': `${HEAD}print "starting"\n${RUN}`,
  'exec-statement': `${HEAD}exec "x = 1"\n${RUN}`,
  'except-comma': `${HEAD}try:\n    import foo\nexcept ImportError, e:\n    pass\n${RUN}`,
  'raise-comma': `${HEAD}if not app:\n    raise ValueError, "no app"\n${RUN}`,
  backticks: `${HEAD}name = \`app\`\n${RUN}`,
  diamond: `${HEAD}if 1 <> 2:\n    pass\n${RUN}`,
  'octal-literal': `${HEAD}mode = 0777\n${RUN}`,
  'long-literal': `${HEAD}limit = 10L\n${RUN}`,
  'ur-prefix': `${HEAD}text = ur'x'\n${RUN}`,
  'return-outside-function': `${HEAD}if app:\n    return\n${RUN}`,
  'await-outside-async': `${HEAD}def f():\n    await g()\n${RUN}`,
  'break-outside-loop': `${HEAD}if app:\n    break\n${RUN}`,
  'future-import-late': `${HEAD}from __future__ import annotations\n${RUN}`,
  'future-feature-unknown': `from __future__ import braces\n${HEAD}${RUN}`,
  'unknown-coding-cookie': `# -*- coding: uft-8 -*-\n${HEAD}${RUN}`,
  // Past CPython's recursion limits (RecursionError / "too complex"), though tree-sitter reads them.
  'sum-of-100000-terms': `${HEAD}x = ${Array(100_000).fill('1').join('+')}\n${RUN}`,
  'unary-minus-5000-deep': `${HEAD}x = ${'-'.repeat(5000)}1\n${RUN}`,
  'parentheses-201-deep': `${HEAD}x = ${'('.repeat(201)}1${')'.repeat(201)}\n${RUN}`,
  'indentation-100-levels': `${HEAD}${Array.from({ length: 100 }, (_, level) => `${' '.repeat(level)}if app:\n`).join('')}${' '.repeat(100)}pass\n${RUN}`,
};

// Shapes the gate must not refuse (CPython compiles them), or migrate would skip good files.
const ACCEPTED: Record<string, string> = {
  'tabs-consistently': `${HEAD}if app:\n\tx = 1\n\tif x:\n\t\ty = 2\n${RUN}`,
  'backslash-continuation': `${HEAD}x = 1 + \\\n        2\nif app and \\\n        x:\n    y = 1\n${RUN}`,
  // tree-sitter keeps no line_continuation node before a string.
  // A backslash, then a line with only a comment: the logical line ends there.
  'backslash-then-comment-line': `${HEAD}def f():\n    x = (1) \\\n        # done\n\n\ndef g():\n    # body\n    return 2\n${RUN}`,
  'backslash-before-string': `${HEAD}class Config:\n    URI = None or \\\n        'sqlite://'\n    X = 1\n${RUN}`,
  brackets: `${HEAD}x = [\n  1,\n        2,\n]\nd = {\n    "a":\n  1}\n${RUN}`,
  'multi-line-string': `${HEAD}s = """\n  a\n\tb\n"""\nif app:\n    t = '''\nx\n        '''\n${RUN}`,
  'comments-anywhere': `${HEAD}if app:\n  x = 1\n# left\n      # right\n  y = 2\n${RUN}`,
  'one-line-blocks': `${HEAD}if app: pass\nclass A: x = 1\nwhile False: break\n${RUN}`,
  'walrus-in-parentheses': `${HEAD}(y := 1)\nif (n := 2):\n    print(n, [z := 3])\n${RUN}`,
  literals: `${HEAD}a = 0\nb = 00\nc = 0o777\nd = 1_000\ne = 0777.5\nf = 10j\ng = rb'x' + Rb'y' + b''\nh = f'{a}' + u'x' + R'x' + fr'{a}'\n${RUN}`,
  'async-and-await': `${HEAD}async def f():\n    await g()\n    return [await h() for h in ()]\n${RUN}`,
  'functions-and-loops': `${HEAD}def f():\n    for x in ():\n        if x:\n            break\n        continue\n    yield 1\n    return 2\n${RUN}`,
  match: `${HEAD}match app:\n    case None:\n        pass\n    case _:\n        pass\n${RUN}`,
  'decorators-and-classes': `${HEAD}@app.route("/")\ndef index():\n    return "hi"\n\nclass Config:\n    DEBUG = False\n\n    def method(self):\n        return 1\n${RUN}`,
  'except-as': `${HEAD}try:\n    pass\nexcept (ValueError, TypeError) as e:\n    pass\nfinally:\n    pass\n${RUN}`,
  'form-feed-and-semicolons': `${HEAD}\fx = 1; y = 2\n${RUN}`,
  // Python 3 reads it as a shift and a tuple: valid syntax (a TypeError only when run).
  'print-chevron': `${HEAD}import sys\nprint >>sys.stderr, "starting"\n${RUN}`,
  'future-import-first': `"""Docstring."""\n# comment\nfrom __future__ import annotations\nfrom __future__ import division as d\n${HEAD}${RUN}`,
  'async-generator-expression': `${HEAD}def numbers(source):\n    return (x async for x in source if await x)\n${RUN}`,
  'print-function': `${HEAD}print("x", end="")\n${RUN}`,
  'sum-of-500-terms': `${HEAD}x = ${Array(500).fill('1').join('+')}\n${RUN}`,
  'parentheses-200-deep': `${HEAD}x = ${'('.repeat(200)}1${')'.repeat(200)}\n${RUN}`,
  'indentation-99-levels': `${HEAD}${Array.from({ length: 99 }, (_, level) => `${' '.repeat(level)}if app:\n`).join('')}${' '.repeat(99)}pass\n${RUN}`,
  crlf: `${HEAD}if app:\r\n    x = 1\r\n${RUN}`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'),
};

async function committedProject(files: Record<string, string>): Promise<TempProject> {
  const project = await committedRepository(files, 'secure-flask-write-safety-');
  projects.push(project);
  return project;
}

describe('migrate never writes a file CPython rejects', () => {
  it('the grammar gate agrees with CPython on every shape (what it refuses, what it lets through)', async () => {
    const names = [...Object.keys(REJECTED), ...Object.keys(ACCEPTED)];
    const sources = [...Object.values(REJECTED), ...Object.values(ACCEPTED)];
    const verdicts = await compileAll(python, sources);
    const disagreements = names.filter((name, index) => {
      const source = must(sources[index]);
      const [hasError, gate] = withPythonTree(
        source,
        (tree) => [tree.rootNode.hasError, python3SyntaxError(tree, source)] as const,
      );
      return (
        hasError || must(verdicts[index]).ok !== (gate === undefined) || name in REJECTED === must(verdicts[index]).ok
      );
    });
    expect(disagreements.map((name) => `${name}: CPython ${JSON.stringify(verdicts[names.indexOf(name)])}`)).toEqual(
      [],
    );
  });

  it('reports each such file as skipped and leaves it byte-for-byte', async () => {
    const files = Object.fromEntries(
      Object.entries(REJECTED).map(([name, source]) => [`${name.replace(/-/g, '_')}.py`, source]),
    );
    const project = await committedProject({ ...files, 'good.py': APP });
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const [path, source] of Object.entries(files)) {
      expect(readFileSync(join(project.root, path), 'utf8'), path).toBe(source);
      expect(result.stdout).toMatch(
        new RegExp(
          `^skipped: ${path.replace('.', '\\.')}: not valid Python 3 \\(.+\\) at line \\d+:\\d+; left untouched$`,
          'm',
        ),
      );
    }
    expect(readFileSync(join(project.root, 'good.py'), 'utf8')).toBe(`${HEAD}app.run()\n`);
    expect(result.stdout).toMatch(
      new RegExp(`^migrate: 1 changed, 0 unchanged, ${Object.keys(files).length} skipped, 0 failed`, 'm'),
    );
  });
});

describe('migrate never writes where it must not', () => {
  it('does not write through a symlink (to a file or a folder) that leaves the repository', async () => {
    const outside = tempProject('secure-flask-outside-');
    projects.push(outside);
    const outsideFile = outside.write('app.py', APP);
    outside.write('pkg/views.py', APP);
    const project = await committedProject({ 'inside/app.py': APP });
    symlinkSync(outsideFile, join(project.root, 'linked.py'));
    symlinkSync(join(outside.root, 'pkg'), join(project.root, 'pkg'));
    symlinkSync(join(project.root, 'inside', 'app.py'), join(project.root, 'inside_link.py'));
    await project.git('add', '-A');
    await project.git('commit', '-qm', 'links');
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(outsideFile, 'utf8')).toBe(APP);
    expect(readFileSync(join(outside.root, 'pkg', 'views.py'), 'utf8')).toBe(APP);
    // Links met in the walk that leave the repository, to a file or a folder, are not even read
    // (check's discovery skips them): nothing of theirs is planned, so nothing is written through.
    expect(result.stdout).not.toContain('linked.py');
    expect(result.stdout).not.toContain('pkg/views.py');
    expect(result.stdout).toMatch(/^migrate: 1 changed, 0 unchanged, 2 skipped, 0 failed$/m);
    // Named on the command line, the link is the user's to name: it is read, and still never written through.
    const named = await secureFlask(['migrate', '--write', '--allow-dirty', 'linked.py'], { cwd: project.root });
    expect(readFileSync(outsideFile, 'utf8')).toBe(APP);
    expect(named.stdout).toMatch(
      /^skipped: linked\.py: a symlink that resolves outside the repository; not written through$/m,
    );
    // A link that stays inside is written through as before.
    expect(readFileSync(join(project.root, 'inside', 'app.py'), 'utf8')).toBe(`${HEAD}app.run()\n`);
  });

  it('a git status that fails (git missing) is an error unless --allow-dirty, not "not a repository"', async () => {
    const project = await committedProject({ 'app.py': APP });
    // An empty PATH: git cannot be found (the CLI itself runs by node's absolute path).
    const env = { PATH: join(project.root, 'no-tools-here') };
    const refused = await secureFlask(['migrate', '--write'], { cwd: project.root, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'secure-flask migrate: error: cannot tell whether the git working tree is clean (git is not installed (or not on PATH)); fix that, or pass --allow-dirty',
    );
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
    const allowed = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root, env });
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(`${HEAD}app.run()\n`);
  });

  it.runIf(process.getuid?.() === 0)(
    '"detected dubious ownership" is an error, and a dirty tree is not written',
    async () => {
      const project = await committedProject({ 'app.py': APP });
      writeFileSync(join(project.root, 'notes.txt'), 'uncommitted\n');
      // Owned by someone else: git refuses to read the repository for root.
      await execa('chown', ['-R', '65534:65534', project.root]);
      const refused = await secureFlask(['migrate', '--write'], { cwd: project.root, env: { HOME: project.root } });
      await execa('chown', ['-R', '0:0', project.root]);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(
        /cannot tell whether the git working tree is clean \(detected dubious ownership in repository at .*\); fix that, or pass --allow-dirty/,
      );
      expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
    },
  );

  it('an edit made by another process between the last read and the rename is kept and reported', async () => {
    const project = await committedProject({ 'app.py': APP });
    const plan = await planMigration({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
    const file = must(plan.files.find((entry) => entry.status === 'changed'));
    const theirs = `${APP}# edited by someone else\n`;
    const result = await writePlannedFile(file, plan.report.root, () =>
      writeFileSync(join(project.root, 'app.py'), theirs),
    );
    expect(result).toEqual({
      ok: false,
      reason: 'it changed on disk while migrate ran; left untouched (run migrate again)',
    });
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(theirs);
    expect(readdirSync(project.root).filter((name) => name.includes('secure-flask'))).toEqual([]);
  });
});

// A child process that plans app.py and then dies (or is signalled) with the temp file written.
function writerThatDies(root: string, how: 'SIGKILL' | 'SIGTERM'): Promise<{ exitCode?: number; signal?: string }> {
  const dist = (path: string) => JSON.stringify(join(REPO_ROOT, 'dist', 'src', path));
  const script = `
    const { planMigration } = await import(${dist('migrate/plan.js')});
    const { writePlannedFile } = await import(${dist('migrate/write-files.js')});
    const plan = await planMigration({ paths: ['.'], includeTests: false, cwd: process.cwd(), jobs: 1 });
    const file = plan.files.find((entry) => entry.status === 'changed');
    await writePlannedFile(file, plan.report.root, () => process.kill(process.pid, ${JSON.stringify(how)}));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    console.log('survived');
  `;
  return execa(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    reject: false,
    timeout: 30_000,
  }).then((result) => ({ exitCode: result.exitCode, signal: result.signal, stdout: String(result.stdout) }));
}

describe('temp files', () => {
  it('SIGTERM while writing removes the temp file and exits 143', async () => {
    const project = await committedProject({ 'app.py': APP });
    const result = await writerThatDies(project.root, 'SIGTERM');
    expect(result.exitCode).toBe(143);
    expect(readdirSync(project.root).filter((name) => name.includes('.secure-flask-'))).toEqual([]);
    expect([APP, `${HEAD}app.run()\n`]).toContain(readFileSync(join(project.root, 'app.py'), 'utf8'));
  });

  it('leftovers of a killed run (SIGKILL) are ours by name, and the next run removes only those', async () => {
    const project = await committedProject({ 'app.py': APP });
    const killed = await writerThatDies(project.root, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const leftovers = readdirSync(project.root).filter((name) => /^app\.py\.secure-flask-\d+-\d+\.tmp$/.test(name));
    expect(leftovers).toHaveLength(1);
    // Someone else's file that merely looks like a temp file stays.
    writeFileSync(join(project.root, 'app.py.3543266909'), 'not ours\n');
    const result = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`removed 1 temp file an interrupted run left: ${leftovers[0]}`);
    expect(existsSync(join(project.root, must(leftovers[0])))).toBe(false);
    expect(readFileSync(join(project.root, 'app.py.3543266909'), 'utf8')).toBe('not ours\n');
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(`${HEAD}app.run()\n`);
  });
});
