import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECURE_FLASK_BIN } from '../support/cli.js';
import { ensureNeovim } from '../support/neovim.js';
import { REPO_ROOT } from '../support/python-env.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const SCRIPT = join(REPO_ROOT, 'test', 'server', 'neovim-quick-fix.lua');
const APP =
  'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080, debug=True)\n';
const DOCKERFILE = 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';

interface NeovimOutcome {
  failure?: string;
  steps: {
    diagnostic?: { code: string; lnum: number; col: number; severity: number; source: string; message: string };
    action?: { title: string; kind: string };
    cleared?: boolean;
  }[];
}

let nvim = 'nvim';
let project: TempProject | undefined;
beforeAll(async () => {
  nvim = await ensureNeovim();
});
afterEach(() => {
  project?.remove();
  project = undefined;
});

/** Opens `file` in headless Neovim with secure-flask as its language server, applies the preferred quick fix, writes all buffers. */
async function quickFixInNeovim(files: Record<string, string>, file: string): Promise<NeovimOutcome> {
  project = tempProject('secure-flask-nvim-');
  for (const [path, contents] of Object.entries(files)) project.write(path, contents);
  await project.git('init', '-q');
  const resultPath = join(project.root, '.nvim-result.json');
  const run = await execa(nvim, ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`], {
    cwd: project.root,
    reject: false,
    timeout: 150_000,
    stdin: 'ignore',
    env: {
      SF_ROOT: project.root,
      SF_FILE: file,
      SF_RESULT: resultPath,
      SF_NODE: process.execPath,
      SF_BIN: SECURE_FLASK_BIN,
      XDG_STATE_HOME: join(project.root, '.nvim-state'),
    },
  });
  const outcome = JSON.parse(readFileSync(resultPath, 'utf8')) as NeovimOutcome;
  expect(outcome.failure, `${outcome.failure}\n${run.stderr}`).toBeUndefined();
  expect(run.exitCode).toBe(0);
  return outcome;
}

const read = (path: string) => readFileSync(join(project?.root ?? '', path), 'utf8');

describe('secure-flask server in Neovim (headless, built-in LSP client)', () => {
  it('shows the run-debug error in app.py and its quick fix removes debug=True from the file', async () => {
    const outcome = await quickFixInNeovim(
      { 'app.py': APP, Dockerfile: DOCKERFILE, 'requirements.txt': 'flask==3.1.3\n' },
      'app.py',
    );
    const [first] = outcome.steps;
    // vim.diagnostic.severity.ERROR is 1; the Dockerfile runs this block, so it is an error.
    expect(first?.diagnostic).toMatchObject({
      code: 'run-debug',
      source: 'secure-flask',
      severity: 1,
      lnum: 5,
      col: 39,
    });
    expect(outcome.steps.at(-1)).toEqual({ cleared: true });
    expect(read('app.py')).toBe(APP.replace(', debug=True', ''));
    expect(read('Dockerfile')).toBe(DOCKERFILE);
  });

  it("the Dockerfile's quick fix switches CMD to Gunicorn and writes gunicorn.conf.py and requirements.txt beside it", async () => {
    const app = APP.replace(', debug=True', '');
    await quickFixInNeovim(
      { 'app.py': app, Dockerfile: DOCKERFILE, 'requirements.txt': 'flask==3.1.3\n' },
      'Dockerfile',
    );
    expect(read('Dockerfile')).toBe(
      DOCKERFILE.replace('CMD ["python", "app.py"]', 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]'),
    );
    expect(read('gunicorn.conf.py')).toMatch(/^_port = "8080"$/m);
    expect(read('requirements.txt')).toBe('flask==3.1.3\ngunicorn>=23\n');
    expect(read('app.py')).toBe(app);
    // The fixed project passes check: nothing left for the guard to find.
    const check = await execa(process.execPath, [SECURE_FLASK_BIN, 'check', '.'], {
      cwd: project?.root,
      reject: false,
    });
    expect(check.stdout).toMatch(/^No debug-mode findings/m);
    expect(check.exitCode).toBe(0);
  });
});
