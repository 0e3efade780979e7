import { chmodSync, chownSync, linkSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { committedProject, FLASK_DEBUG_APP, type TempProject } from '../support/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

const MIGRATED = 'from flask import Flask\n\napp = Flask(__name__)\napp.run()\n';

async function repository(files: Record<string, string>): Promise<TempProject> {
  const project = await committedProject(files, 'secure-flask-keeping-');
  projects.push(project);
  return project;
}

describe('migrate --write keeps what the file was', () => {
  it.runIf(process.getuid?.() === 0)('a file owned by nobody (mode 0640) keeps its owner, group and mode when root migrates it', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const path = join(project.root, 'app.py');
    chownSync(path, 65534, 65534);
    chmodSync(path, 0o640);
    const result = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(MIGRATED);
    const stats = statSync(path);
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
  });

  it('a read-only file (0444) is refused with a clear message unless --force, which keeps its mode', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const path = join(project.root, 'app.py');
    chmodSync(path, 0o444);
    const refused = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('failed: app.py: it is read-only (mode 0444); left untouched (pass --force to rewrite it)');
    expect(readFileSync(path, 'utf8')).toBe(FLASK_DEBUG_APP);
    const forced = await secureFlask(['migrate', '--write', '--allow-dirty', '--force'], { cwd: project.root });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(MIGRATED);
    expect(statSync(path).mode & 0o777).toBe(0o444);
  });

  it('a hard-linked file: the rewrite says the other name keeps the old text', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const path = join(project.root, 'app.py');
    const other = join(project.root, 'copy-of-app.txt');
    linkSync(path, other);
    const result = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(MIGRATED);
    expect(readFileSync(other, 'utf8')).toBe(FLASK_DEBUG_APP);
    expect(result.stderr).toContain('note: app.py: it had 1 other hard link; that name keeps the old text');
  });
});
