import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { execa } from 'execa';
import { envAssignments } from '../deploy/env-file.js';

/**
 * The `.flaskenv` and `.env` values Flask's CLI and app.run() would load
 * (flask.cli.load_dotenv: the nearest of each, searching up from the working
 * folder; `.env` beats `.flaskenv`; neither beats the real environment) — but
 * only files a fresh checkout has: tracked by git, or any file outside git. A
 * developer's git-ignored local `.env` is not what production runs with.
 * verify sets FLASK_SKIP_DOTENV=1 and passes these values itself.
 */
export async function committedDotenv(root: string, workdir: string): Promise<{ values: Record<string, string>; files: string[] }> {
  const values: Record<string, string> = {};
  const files: string[] = [];
  for (const name of ['.flaskenv', '.env']) {
    const path = nearest(root, workdir, name);
    if (!path || !(await committed(root, path))) continue;
    files.push(relative(root, path));
    for (const { name: key, value } of envAssignments(readFileSync(path, 'utf8'))) values[key] = unquote(value);
  }
  return { values, files };
}

function nearest(root: string, workdir: string, name: string): string | undefined {
  const top = resolve(root);
  for (let folder = resolve(top, workdir); ; folder = dirname(folder)) {
    const candidate = join(folder, name);
    if (existsSync(candidate)) return candidate;
    if (folder === top || !folder.startsWith(top + sep)) return undefined;
  }
}

async function committed(root: string, path: string): Promise<boolean> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, reject: false });
  if (inside.exitCode !== 0) return true;
  const tracked = await execa('git', ['ls-files', '--error-unmatch', '--', path], { cwd: root, reject: false });
  return tracked.exitCode === 0;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  return quoted ? quoted[2]! : value;
}
