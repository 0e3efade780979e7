import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../support/repo-root.js';
import { inTerminal, KEY } from '../support/terminal.js';
import { renderTerminalSvg } from './terminal-svg.js';

/**
 * `npm run pictures`: the README's pictures, from real runs of the built CLI with colour
 * on: a `check` report, and the interactive review of `migrate` driven in a
 * pseudo-terminal. Writes docs/pictures/*.svg.
 */

const BIN = join(REPO_ROOT, 'dist', 'bin', 'secure-flask.js');
const OUT = join(REPO_ROOT, 'docs', 'pictures');
const COLUMNS = 100;

// A small service with the usual ways debug mode reaches production.
const DEMO: Record<string, string> = {
  'app.py':
    'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object("config.Config")\n\n\n@app.get("/")\ndef index():\n    return "hello"\n\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n',
  'config.py': 'class Config:\n    SECRET_KEY = "change-me"\n    DEBUG = True\n',
  '.flaskenv': 'FLASK_APP=app\nFLASK_DEBUG=1\n',
  Dockerfile:
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install flask\nENV FLASK_DEBUG=1\nCMD ["python", "app.py"]\n',
};

function writeDemo(): string {
  const root = mkdtempSync(join(tmpdir(), 'secure-flask-pictures-'));
  const project = join(root, 'service');
  for (const [path, contents] of Object.entries(DEMO)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), contents);
  }
  return project;
}

async function git(cwd: string, ...args: string[]): Promise<void> {
  await execa(
    'git',
    ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd },
  );
}

async function checkPicture(): Promise<string> {
  const project = writeDemo();
  try {
    const result = await execa(process.execPath, [BIN, 'check'], {
      cwd: project,
      reject: false,
      env: { FORCE_COLOR: '1', NO_COLOR: '', COLUMNS: String(COLUMNS) },
    });
    const output = `\u001b[32m$\u001b[0m secure-flask check\n${String(result.stdout)}`;
    // Room for every line even when wrapped; blank rows at the bottom are trimmed.
    return renderTerminalSvg(output, {
      cols: COLUMNS,
      rows: 3 * output.split('\n').length,
      title: 'secure-flask check',
    });
  } finally {
    rmSync(dirname(project), { recursive: true, force: true });
  }
}

async function reviewPicture(): Promise<string> {
  const project = writeDemo();
  try {
    await git(project, 'init', '-q');
    await git(project, 'add', '-A');
    await git(project, 'commit', '-q', '-m', 'demo');
    const session = inTerminal(
      `env -u NO_COLOR FORCE_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} migrate`,
      project,
    );
    // Accept the first change (single key, as git add -p), then picture the screen at the next question.
    const firstQuestion = (await session.waitFor(/Apply \[y,n,a,q,\?\]\?/)).length;
    await session.type('y');
    const screen = await session.waitFor(new RegExp(`[\\s\\S]{${firstQuestion}}[\\s\\S]*Apply \\[y,n,a,q,\\?\\]\\?`));
    await session.type(KEY.ctrlC);
    await session.finished;
    return renderTerminalSvg(screen, { cols: COLUMNS, rows: 40, title: 'secure-flask migrate (review)' });
  } finally {
    rmSync(dirname(project), { recursive: true, force: true });
  }
}

/** Every README picture, rendered now from the built CLI: file name -> SVG text. */
export async function renderPictures(): Promise<Record<string, string>> {
  return { 'check.svg': await checkPicture(), 'migrate-review.svg': await reviewPicture() };
}

export const PICTURES_FOLDER = OUT;

// Written only when run as `npm run pictures`; the pictures test imports renderPictures.
if (process.argv[1] && /pictures[\\/]run\.[jt]s$/.test(process.argv[1])) {
  mkdirSync(OUT, { recursive: true });
  for (const [name, svg] of Object.entries(await renderPictures())) writeFileSync(join(OUT, name), svg);
  process.stdout.write(
    `wrote ${join('docs', 'pictures', 'check.svg')} and ${join('docs', 'pictures', 'migrate-review.svg')}\n`,
  );
}
