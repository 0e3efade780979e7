import { describe, expect, it } from 'vitest';
import { resolveOptions, toPackageName, DEFAULT_ANSWERS } from '../../src/create/options.js';
import { tempProject } from '../support/temp-project.js';

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
  ])('%j is refused with a reason', (name, reason) => {
    const result = toPackageName(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
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

  it('refuses an empty or control-character folder name', () => {
    expect(() => resolveOptions(answers('  '), '/tmp')).toThrow(/cannot be empty/);
    expect(() => resolveOptions(answers('bad\u0007name'), '/tmp')).toThrow(/control characters/);
  });
});
