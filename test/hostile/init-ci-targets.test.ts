import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

function scratch(prefix: string): TempProject {
  const project = tempProject(prefix);
  projects.push(project);
  return project;
}

const WORKFLOW =
  'name: CI\non:\n  push:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n';
const PRE_COMMIT =
  'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n      - id: ruff\n';

describe('init-ci never writes through a link that leaves the repository', () => {
  const cases: Record<string, (repo: TempProject, outside: TempProject) => string> = {
    'a workflow file': (repo, outside) => {
      const target = outside.write('ci.yml', WORKFLOW);
      mkdirSync(join(repo.root, '.github', 'workflows'), { recursive: true });
      symlinkSync(target, join(repo.root, '.github', 'workflows', 'ci.yml'));
      return target;
    },
    'the .github folder': (repo, outside) => {
      const target = outside.write('github/workflows/ci.yml', WORKFLOW);
      symlinkSync(join(outside.root, 'github'), join(repo.root, '.github'));
      return target;
    },
    'the pre-commit config': (repo, outside) => {
      repo.write('.github/workflows/ci.yml', WORKFLOW);
      const target = outside.write('pre-commit.yaml', PRE_COMMIT);
      symlinkSync(target, join(repo.root, '.pre-commit-config.yaml'));
      return target;
    },
    'an empty .github folder (where the new workflow would go)': (_repo, outside) => {
      mkdirSync(join(outside.root, 'github'));
      symlinkSync(join(outside.root, 'github'), join(_repo.root, '.github'));
      return join(outside.root, 'github');
    },
  };
  for (const [what, arrange] of Object.entries(cases)) {
    it(`${what} linked outside: a one-line error, nothing written anywhere`, async () => {
      const repo = scratch('secure-flask-init-ci-repo-');
      const outside = scratch('secure-flask-init-ci-outside-');
      await repo.git('init', '-q');
      const target = arrange(repo, outside);
      const before = existsSync(target) && statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
      const result = await secureFlask(['init-ci', '--write'], { cwd: repo.root });
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /a symlink that resolves outside the repository; init-ci does not write through it, nothing was changed/,
      );
      if (before !== undefined) expect(readFileSync(target, 'utf8')).toBe(before);
      else expect(existsSync(join(target, 'workflows'))).toBe(false);
      if (what.startsWith('the pre-commit'))
        expect(readFileSync(join(repo.root, '.github/workflows/ci.yml'), 'utf8')).toBe(WORKFLOW);
    });
  }
});

describe('init-ci keeps what it does not mean to change', () => {
  it('a read-only (0444) file is refused unless --force, which keeps its mode', async () => {
    const repo = scratch('secure-flask-init-ci-ro-');
    await repo.git('init', '-q');
    const path = repo.write('.github/workflows/ci.yml', WORKFLOW);
    chmodSync(path, 0o444);
    const refused = await secureFlask(['init-ci', '--write'], { cwd: repo.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'secure-flask init-ci: error: cannot write .github/workflows/ci.yml: it is read-only (mode 0444) (pass --force to rewrite it); nothing was changed',
    );
    expect(readFileSync(path, 'utf8')).toBe(WORKFLOW);
    const forced = await secureFlask(['init-ci', '--write', '--force'], { cwd: repo.root });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('secure-flask');
    expect(statSync(path).mode & 0o777).toBe(0o444);
  });

  it.runIf(process.getuid?.() === 0)('a file owned by nobody (0640) keeps its owner, group and mode', async () => {
    const repo = scratch('secure-flask-init-ci-owner-');
    await repo.git('init', '-q');
    const path = repo.write('.github/workflows/ci.yml', WORKFLOW);
    chownSync(path, 65534, 65534);
    chmodSync(path, 0o640);
    const result = await secureFlask(['init-ci', '--write'], { cwd: repo.root });
    expect(result.exitCode, result.stderr).toBe(0);
    const stats = statSync(path);
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
    expect(readFileSync(path, 'utf8')).toContain('secure-flask');
  });

  it('a CRLF workflow stays CRLF: every added line ends in \\r\\n', async () => {
    const repo = scratch('secure-flask-init-ci-crlf-');
    await repo.git('init', '-q');
    const crlf = WORKFLOW.replace(/\n/g, '\r\n');
    const path = repo.write('.github/workflows/ci.yml', crlf);
    const result = await secureFlask(['init-ci', '--write'], { cwd: repo.root });
    expect(result.exitCode, result.stderr).toBe(0);
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith(crlf)).toBe(true);
    expect(after).toContain('secure-flask');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('YAML it cannot edit is named in our words: several documents, an alias bomb', async () => {
    const repo = scratch('secure-flask-init-ci-yaml-');
    await repo.git('init', '-q');
    repo.write('.github/workflows/ci.yml', `${WORKFLOW}---\nname: second\n`);
    const several = await secureFlask(['init-ci'], { cwd: repo.root });
    expect(several.exitCode).toBe(2);
    expect(several.stderr.trim()).toBe(
      'secure-flask: error: .github/workflows/ci.yml: holds more than one YAML document (---); a workflow is one document',
    );
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    repo.write('.github/workflows/ci.yml', `${WORKFLOW}${bomb}\n`);
    const exploded = await secureFlask(['init-ci'], { cwd: repo.root });
    expect(exploded.exitCode).toBe(2);
    expect(exploded.stderr.trim()).toBe(
      'secure-flask: error: .github/workflows/ci.yml: its aliases expand too far (a YAML bomb?); not read',
    );
  });
});
