import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { givenEnvironment, redactGiven } from '../../src/runtime/given-env.js';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');

describe('--env and --env-file as docker run reads them', () => {
  let folder: TempProject;
  beforeAll(() => {
    folder = tempProject('secure-flask-given-env-');
  });
  afterAll(() => folder.remove());

  it("files first, in order, then --env; comments and blank lines skipped; values literal; KEY alone takes the caller's value", () => {
    const first = folder.write(
      'a.env',
      '# secrets\n\nSECRET_KEY=from-file\nDATABASE_URL=postgres://u:p@db/x # not a comment\n  QUOTED="kept as is"\n',
    );
    const second = folder.write('b.env', 'SECRET_KEY=second-file\r\nFROM_CALLER\n');
    const given = givenEnvironment(
      'secure-flask verify',
      [first, second],
      ['SECRET_KEY=flag=with=equals', 'EMPTY=', 'ALSO_CALLER', 'UNSET_IN_CALLER'],
      { FROM_CALLER: 'c1', ALSO_CALLER: 'c2', OTHER: 'never' },
    );
    expect(given).toEqual({
      SECRET_KEY: 'flag=with=equals',
      DATABASE_URL: 'postgres://u:p@db/x # not a comment',
      QUOTED: '"kept as is"',
      FROM_CALLER: 'c1',
      EMPTY: '',
      ALSO_CALLER: 'c2',
    });
  });

  it('a name that is not a variable, or a file that cannot be read: one clear usage error', () => {
    expect(() => givenEnvironment('secure-flask verify', [], ['1BAD=x'], {})).toThrow(
      /^secure-flask verify: --env 1BAD: '1BAD' is not an environment variable name \(expected KEY=VALUE\)$/,
    );
    const bad = folder.write('bad.env', 'OK=1\nexport A=1\n');
    expect(() => givenEnvironment('secure-flask verify', [bad], [], {})).toThrow(
      /bad\.env:2: 'export A' is not an environment variable name/,
    );
    expect(() => givenEnvironment('secure-flask verify', [join(folder.root, 'missing.env')], [], {})).toThrow(
      /cannot read --env-file .*missing\.env: ENOENT/,
    );
  });

  it('redacts every given value of 4 characters or more, the longest first', () => {
    expect(redactGiven('key=abcdef1234 short=on x=abcdef', { A: 'abcdef', B: 'abcdef1234', C: 'on' })).toBe(
      'key=$B short=on x=$A',
    );
  });
});

describe('verify a freshly generated project with the secrets production injects', () => {
  let workspace: TempProject;
  let project: string;
  const secret = randomBytes(32).toString('hex');
  beforeAll(async () => {
    workspace = tempProject('secure-flask-verify-generated-');
    const created = await createSecureFlask(['shop', '--yes', '--no-git', '--python', python], {
      cwd: workspace.root,
      env: { HOME: workspace.root },
    });
    expect(created.exitCode, created.stdout + created.stderr).toBe(0);
    project = join(workspace.root, 'shop');
    writeFileSync(join(workspace.root, 'production.env'), `# what the platform injects\nSECRET_KEY=${secret}\n`);
  }, 600_000);
  afterAll(() => workspace.remove());

  const projectPython = () => join(project, '.venv', 'bin', 'python');

  it("without the secret it cannot start, even when the caller's environment has one (nothing leaks in)", async () => {
    const result = await secureFlask(['verify', '--python', projectPython()], {
      cwd: project,
      env: { SECRET_KEY: secret },
    });
    expect(result.exitCode).toBe(2);
    // The app refuses to start without SECRET_KEY (its message may scroll out of the log tail when several workers fail).
    expect(result.stdout).toMatch(/did not start/);
    expect(result.stdout).not.toMatch(/served http|given environment/);
  }, 120_000);

  it('--env-file: every production entrypoint starts and serves no debugger, and the value is never printed', async () => {
    const result = await secureFlask(['verify', '--python', projectPython(), '--env-file', '../production.env'], {
      cwd: project,
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/served http:\/\/127\.0\.0\.1:\d+\/: no debugger, console or traceback/);
    expect(result.stdout).toMatch(
      /Clean: \d+ production entrypoints? started on 127\.0\.0\.1 and served no debugger\./,
    );
    expect(result.stdout).toContain('given environment (values not shown): SECRET_KEY');
    expect(result.stdout + result.stderr).not.toContain(secret);
  }, 120_000);

  it("--env KEY=VALUE does the same, in JSON too, and KEY alone passes the caller's value", async () => {
    const flagged = await secureFlask(
      ['verify', '--python', projectPython(), '--env', `SECRET_KEY=${secret}`, '--format', 'json'],
      { cwd: project },
    );
    expect(flagged.exitCode, flagged.stdout + flagged.stderr).toBe(0);
    expect(flagged.stdout + flagged.stderr).not.toContain(secret);
    const report = JSON.parse(flagged.stdout) as { entrypoints: { status: string; givenEnvironment?: string[] }[] };
    expect(report.entrypoints.map((entrypoint) => [entrypoint.status, entrypoint.givenEnvironment])).toEqual(
      report.entrypoints.map(() => ['clean', ['SECRET_KEY']]),
    );
    const passed = await secureFlask(['verify', '--python', projectPython(), '-e', 'SECRET_KEY'], {
      cwd: project,
      env: { SECRET_KEY: secret },
    });
    expect(passed.exitCode, passed.stdout + passed.stderr).toBe(0);
  }, 240_000);
});
