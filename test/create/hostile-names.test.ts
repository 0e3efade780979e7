import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UsageError } from '../../src/core/usage-error.js';
import { DEFAULT_ANSWERS, resolveOptions, type Options } from '../../src/create/options.js';
import { renderProject } from '../../src/create/render.js';
import { createSecureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
let workspace: TempProject;
beforeAll(() => {
  workspace = tempProject('secure-flask-hostile-');
});
afterAll(() => workspace.remove());

// A fixed seed in CI; HOSTILE_NAME_RUNS / HOSTILE_NAME_SEED for longer or other runs.
const SEED = Number(process.env.HOSTILE_NAME_SEED ?? 1312);
const RUNS = Number(process.env.HOSTILE_NAME_RUNS ?? 150);

/** Pieces that break one language or another when written raw. */
const HOSTILE_PIECES = [
  '"',
  '"""',
  "'",
  "'''",
  '\\',
  '\\n',
  '\\x',
  '\\u',
  '\\N{',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  'é',
  '{{',
  '}}',
  '{{{x}}}',
  '#',
  '# ',
  '*',
  '_',
  '`',
  '```',
  '<script>',
  '&amp;',
  '[x](y)',
  '![i](j)',
  '${HOME}',
  '$(id)',
  '%s',
  '%(x)s',
  '--',
  ':',
  '=',
  '|',
  '~',
  '- ',
  '> ',
  '1. ',
  '+++',
  ' ',
];
const hostileName = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE_PIECES),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.string({ maxLength: 6 }),
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(''));

/** What UTF-8 can hold of a name: a lone surrogate becomes U+FFFD (TOML and Markdown have no escape for one). */
const wellFormed = (name: string) =>
  name.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function optionsFor(
  name: string,
  server: Options['server'],
  packageManager: Options['packageManager'],
): Options | UsageError {
  try {
    return resolveOptions(
      { ...DEFAULT_ANSWERS, target: 'project', name, packageName: 'hostile', server, packageManager },
      workspace.root,
    );
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

describe('hostile project names (fast-check, fixed seed)', () => {
  it(`every generated file parses, and the name reads back exactly, for ${RUNS} generated names and the known breakers`, async () => {
    const known = [
      'a"b',
      'say """hi"""',
      'trailing\\',
      "it's",
      `mixed "'" quotes`,
      '# [not](a link) *or* <b>html</b> &amp;',
      '$(touch pwned)',
    ];
    const names = [...known, ...fc.sample(hostileName, { seed: SEED, numRuns: RUNS })];
    const cases: { root: string; name: string; well_formed: string }[] = [];
    const refused: string[] = [];
    for (const [index, name] of names.entries()) {
      // Long runs (HOSTILE_NAME_RUNS) render for minutes: let the test runner's messages through.
      if (index % 50 === 0) await new Promise((resume) => setImmediate(resume));
      const options = optionsFor(
        name,
        must((['gunicorn', 'waitress', 'both'] as const)[index % 3]),
        index % 2 === 0 ? 'pip' : 'uv',
      );
      if (options instanceof UsageError) {
        // Refused up front (control characters, empty, too long): one line, naming the problem.
        expect(options.message.split('\n')).toHaveLength(1);
        expect(options.message).toMatch(/project name/);
        refused.push(name);
        continue;
      }
      const root = join(workspace.root, `case-${index}`);
      for (const file of renderProject(options)) {
        mkdirSync(join(root, file.path, '..'), { recursive: true });
        writeFileSync(join(root, file.path), file.contents);
      }
      cases.push({ root, name: options.projectName, well_formed: wellFormed(options.projectName) });
    }
    // Both kinds happened, and every known breaker generated a project.
    expect(cases.length).toBeGreaterThan(RUNS / 3);
    expect(refused.length).toBeGreaterThan(0);
    expect(cases.map((testCase) => testCase.name)).toEqual(expect.arrayContaining(known));

    const input = join(workspace.root, 'cases.json');
    writeFileSync(input, JSON.stringify(cases));
    const parsed = await execa(python, [join(REPO_ROOT, 'test', 'python', 'parse_generated.py'), input], {
      reject: false,
    });
    expect(parsed.exitCode, parsed.stderr).toBe(0);
    expect(JSON.parse(parsed.stdout)).toEqual([]);

    const roots = cases.map((testCase) => testCase.root);
    const ruff = venvBin(python, 'ruff');
    const lint = await execa(ruff, ['check', '--no-cache', '--quiet', ...roots], { reject: false, all: true });
    expect(lint.exitCode, lint.all).toBe(0);
    const format = await execa(ruff, ['format', '--check', '--no-cache', ...roots], { reject: false, all: true });
    expect(format.exitCode, format.all).toBe(0);
  });

  it("no template writes the project name raw: every use goes through the escaper of its file's language", async () => {
    const raw = await execa('grep', ['-rnE', '\\{\\{\\{?projectName', join(REPO_ROOT, 'templates')], { reject: false });
    expect(raw.stdout).toBe('');
  });

  it('a name with quotes and a trailing backslash generates a project whose own tests pass', async () => {
    const result = await createSecureFlask(
      ['quoted', '--name', 'Say """hi""" it\'s \\', '--yes', '--no-install', '--no-git'],
      { cwd: workspace.root },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const pytest = await execa(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: join(workspace.root, 'quoted'),
      reject: false,
      all: true,
    });
    expect(pytest.exitCode, pytest.all).toBe(0);
  });

  it('a name with a line break is refused in one line, and nothing is written', async () => {
    const folder = tempProject('secure-flask-newline-');
    try {
      const result = await createSecureFlask(['app', '--name', 'two\nlines', '--yes', '--no-install', '--no-git'], {
        cwd: folder.root,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        'create-secure-flask: error: the project name contains control characters (a line break, a tab...)',
      );
      expect(readdirSync(folder.root)).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});
