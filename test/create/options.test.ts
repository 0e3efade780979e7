import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { resolveOptions, toPackageName, DEFAULT_ANSWERS } from '../../src/create/options.js';
import { STDLIB_MODULE_NAMES } from '../../src/create/python-names.js';
import { tempProject } from '../support/temp-project.js';

const python = inject('python');

describe('project names', () => {
  it.each([
    ['demo', 'demo'],
    ['My Shop', 'my_shop'],
    ['my-shop-api', 'my_shop_api'],
    ['  Café Crème ', 'cafe_creme'],
    ['2fast', 'fast'],
    ['__private__', 'private'],
    ['API.v2', 'api_v2'],
  ])('%j becomes the package %s', (name, expected) => {
    expect(toPackageName(name)).toEqual({ ok: true, packageName: expected });
  });

  it.each([
    ['123', /has no letters/],
    ['---', /has no letters/],
    ['class', /Python keyword/],
    ['flask', /would shadow/],
    ['tests', /would shadow/],
    ['inspect', /standard library/],
    ['tomllib', /standard library/],
    ['zoneinfo', /standard library/],
    ['cgi', /standard library/], // gone in 3.13, still there in 3.10-3.12
    ['match', /Python keyword/],
  ])('%j is refused with a reason', (name, reason) => {
    const result = toPackageName(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});

describe("Python's own names", () => {
  it("the embedded list has every module of the test virtualenv's sys.stdlib_module_names", async () => {
    const result = await execa(python, ['-c', 'import sys; print("\\n".join(sorted(sys.stdlib_module_names)))']);
    const missing = result.stdout.split('\n').filter((name) => !name.startsWith('_') && !STDLIB_MODULE_NAMES.has(name));
    expect(missing).toEqual([]);
    expect(STDLIB_MODULE_NAMES.size).toBeGreaterThan(200);
  });
});

describe('targets', () => {
  const answers = (target: string, force = false) => ({ ...DEFAULT_ANSWERS, target, force });

  it('accepts a new folder, an empty one, and one holding only .git', () => {
    const project = tempProject();
    try {
      expect(resolveOptions(answers('new-app'), project.root).displayTarget).toBe('new-app');
      project.write('empty-but-git/.git/HEAD', 'ref: refs/heads/main\n');
      expect(resolveOptions(answers('empty-but-git'), project.root).packageName).toBe('empty_but_git');
    } finally {
      project.remove();
    }
  });

  it('refuses a non-empty folder unless --force, and a file', () => {
    const project = tempProject();
    try {
      project.write('taken/notes.txt', 'mine\n');
      project.write('a-file', 'x');
      expect(() => resolveOptions(answers('taken'), project.root)).toThrow(/taken is not empty \(1 entry\).*--force/);
      expect(resolveOptions(answers('taken', true), project.root).force).toBe(true);
      expect(() => resolveOptions(answers('a-file'), project.root)).toThrow(/exists and is not a folder/);
    } finally {
      project.remove();
    }
  });

  it('reports a target outside the current folder with its absolute path', () => {
    const project = tempProject();
    try {
      project.write('work/.keep', '');
      const options = resolveOptions(answers('../elsewhere'), `${project.root}/work`);
      expect(options.outsideCwd).toBe(true);
      expect(options.displayTarget).toBe(`${project.root}/elsewhere`);
    } finally {
      project.remove();
    }
  });

  it('`.` is the current folder: its own name, and only when it is empty or --force', () => {
    const project = tempProject();
    try {
      const cwd = join(project.root, 'my-service');
      mkdirSync(cwd);
      const options = resolveOptions(answers('.'), cwd);
      expect(options).toMatchObject({
        projectName: 'my-service',
        packageName: 'my_service',
        inCurrentFolder: true,
        displayTarget: '.',
      });
      project.write('my-service/notes.txt', 'mine\n');
      expect(() => resolveOptions(answers('.'), cwd)).toThrow(/current folder is not empty.*--force/);
      expect(resolveOptions(answers('.', true), cwd).inCurrentFolder).toBe(true);
    } finally {
      project.remove();
    }
  });

  it('checks lengths up front: a folder name the file system refuses, a project name too long to be a title', () => {
    const project = tempProject();
    try {
      expect(() => resolveOptions(answers('a'.repeat(256)), project.root)).toThrow(
        /is 256 bytes long; file systems allow 255/,
      );
      expect(() => resolveOptions(answers('é'.repeat(128)), project.root)).toThrow(/is 256 bytes long/);
      expect(() => resolveOptions(answers('a'.repeat(240)), project.root)).toThrow(
        /project name is 240 characters long; at most 100/,
      );
      expect(resolveOptions({ ...answers('a'.repeat(240)), name: 'short' }, project.root).packageName).toBe('short');
      expect(() => resolveOptions({ ...answers('x'), name: 'n'.repeat(101) }, project.root)).toThrow(/at most 100/);
    } finally {
      project.remove();
    }
  });

  it('takes a package name that is given, and checks it like a derived one', () => {
    expect(resolveOptions({ ...answers('My Shop'), packageName: 'shop' }, '/tmp').packageName).toBe('shop');
    expect(() => resolveOptions({ ...answers('x'), packageName: 'My-Shop' }, '/tmp')).toThrow(
      /only lower-case letters, digits and _/,
    );
    expect(() => resolveOptions({ ...answers('x'), packageName: 'inspect' }, '/tmp')).toThrow(/standard library/);
  });

  it('refuses an empty or control-character folder name', () => {
    expect(() => resolveOptions(answers('  '), '/tmp')).toThrow(/cannot be empty/);
    expect(() => resolveOptions(answers('bad\u0007name'), '/tmp')).toThrow(/control characters/);
  });
});
