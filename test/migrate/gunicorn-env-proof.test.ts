import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { REPO_ROOT, venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');

/** The rule fixtures whose gunicorn sets debug variables itself (-e, raw_env), and one whose -e replaces raw_env. */
const FIXTURES = [
  'process-debug-env/flagged-gunicorn',
  'process-debug-env/flagged-gunicorn-default-config',
  'process-debug-env/clean-gunicorn',
  'dockerfile-debug/flagged-gunicorn-raw-env',
  'dockerfile-debug/flagged-gunicorn-env',
];

interface ProofCase {
  name: string;
  fixture: string;
  /** The deploy file and the line of it whose gunicorn command is run. */
  deployFile: string;
  line: number;
  /** What the app sees before and after migrate (the variables it shows, and app.debug). */
  before: Record<string, string | boolean | null>;
  after: Record<string, string | boolean | null>;
}

const CASES: ProofCase[] = [
  {
    name: 'Procfile: -e FLASK_DEBUG=1 and --env FLASK_DEBUG=true',
    fixture: 'process-debug-env/flagged-gunicorn',
    deployFile: 'Procfile',
    line: 1,
    before: { FLASK_DEBUG: '1', LOG_LEVEL: 'info', debug: true },
    after: { FLASK_DEBUG: null, LOG_LEVEL: 'info', debug: false },
  },
  {
    name: 'Procfile: --env FLASK_DEBUG=true',
    fixture: 'process-debug-env/flagged-gunicorn',
    deployFile: 'Procfile',
    line: 2,
    before: { FLASK_DEBUG: 'true', debug: true },
    after: { FLASK_DEBUG: null, debug: false },
  },
  {
    name: 'Dockerfile: --env=FLASK_DEBUG=1 -eFLASK_ENV=development',
    fixture: 'dockerfile-debug/flagged-gunicorn-env',
    deployFile: 'Dockerfile.shell',
    line: 5,
    before: { FLASK_DEBUG: '1', FLASK_ENV: 'development', debug: true },
    after: { FLASK_DEBUG: null, FLASK_ENV: null, debug: false },
  },
  {
    name: 'Dockerfile exec form: "-e", "FLASK_DEBUG=1"',
    fixture: 'dockerfile-debug/flagged-gunicorn-env',
    deployFile: 'Dockerfile',
    line: 5,
    before: { FLASK_DEBUG: '1', debug: true },
    after: { FLASK_DEBUG: null, debug: false },
  },
  {
    name: 'gunicorn -c gunicorn_config.py: a raw_env list',
    fixture: 'dockerfile-debug/flagged-gunicorn-raw-env',
    deployFile: 'Dockerfile',
    line: 7,
    before: { FLASK_DEBUG: '1', APP_NAME: 'shop', debug: true },
    after: { FLASK_DEBUG: null, APP_NAME: 'shop', debug: false },
  },
  {
    name: './gunicorn.conf.py read by default: a raw_env tuple with a computed item',
    fixture: 'process-debug-env/flagged-gunicorn-default-config',
    deployFile: 'Procfile',
    line: 1,
    before: { FLASK_DEBUG: '1', EXTRA: '1', debug: true },
    after: { FLASK_DEBUG: null, EXTRA: '1', debug: false },
  },
  {
    name: 'clean: -e on the command line replaces the raw_env of the file -c names (the model says so too)',
    fixture: 'process-debug-env/clean-gunicorn',
    deployFile: 'Procfile',
    line: 2,
    before: { FLASK_DEBUG: '0', FLASK_ENV: 'production', debug: false },
    after: { FLASK_DEBUG: '0', FLASK_ENV: 'production', debug: false },
  },
];

const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

/** The gunicorn command of a Procfile line or a Dockerfile CMD (shell or exec form), as argv. */
function gunicornArgv(text: string, line: number): string[] {
  const written = must(text.split('\n')[line - 1])
    .replace(/^\w+:\s*/, '')
    .replace(/^CMD\s+/, '');
  const argv = written.startsWith('[') ? (JSON.parse(written) as string[]) : written.trim().split(/\s+/);
  expect(argv[0]).toBe('gunicorn');
  return argv.slice(1);
}

/** The arguments without their binds (gunicorn binds every --bind it is given): the test binds loopback only. */
function withoutBinds(args: readonly string[]): string[] {
  return args.filter(
    (word, index) => !['-b', '--bind'].includes(word) && !['-b', '--bind'].includes(args[index - 1] ?? ''),
  );
}

/** Runs the command's gunicorn on 127.0.0.1 in the fixture's folder and returns what the app shows. */
async function served(folder: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const port = await freePort();
  const server = await startServer(
    venvBin(python, 'gunicorn'),
    [...withoutBinds(args), '--bind', `127.0.0.1:${port}`, '--workers', '1'],
    { cwd: folder, env: CLEAN_ENV, port },
  );
  try {
    const response = await fetch(server.url);
    expect(response.status, server.output()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await server.stop();
  }
}

describe("migrate takes gunicorn's own debug settings out, and the commands still run under real gunicorn", () => {
  let workspace: TempProject;
  beforeAll(async () => {
    workspace = tempProject('secure-flask-gunicorn-env-');
    for (const side of ['before', 'after'])
      for (const fixture of FIXTURES)
        cpSync(join(REPO_ROOT, 'fixtures', fixture), join(workspace.root, side, fixture), { recursive: true });
    const migrated = await secureFlask(['migrate', '--write', '.'], { cwd: join(workspace.root, 'after') });
    expect(migrated.exitCode, migrated.stdout + migrated.stderr).toBe(0);
  }, 120_000);
  afterAll(() => workspace.remove());

  it.each(CASES)('$name', async (proof) => {
    for (const side of ['before', 'after'] as const) {
      const folder = join(workspace.root, side, proof.fixture);
      const args = gunicornArgv(readFileSync(join(folder, proof.deployFile), 'utf8'), proof.line);
      expect(await served(folder, args), `${side}: gunicorn ${args.join(' ')}`).toMatchObject(proof[side]);
    }
  });

  it('the rewritten config files keep their other items, and a second run has nothing left to change', async () => {
    const after = join(workspace.root, 'after');
    expect(readFileSync(join(after, 'dockerfile-debug/flagged-gunicorn-raw-env/gunicorn_config.py'), 'utf8')).toBe(
      'bind = "0.0.0.0:8000"\nworkers = 2\nraw_env = [\n    "APP_NAME=shop",\n]\n',
    );
    const again = await secureFlask(['migrate', '.'], { cwd: after });
    expect(again.stdout).toMatch(/^migrate: 0 changed/m);
  });
});
