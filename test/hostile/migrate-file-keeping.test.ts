import { chmodSync, chownSync, linkSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
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
  it.runIf(process.getuid?.() === 0)(
    'a file owned by nobody (mode 0640) keeps its owner, group and mode when root migrates it',
    async () => {
      const project = await repository({ 'app.py': FLASK_DEBUG_APP });
      const path = join(project.root, 'app.py');
      chownSync(path, 65534, 65534);
      chmodSync(path, 0o640);
      const result = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(MIGRATED);
      const stats = statSync(path);
      expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
    },
  );

  it('a read-only file (0444) is refused with a clear message unless --force, which keeps its mode', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const path = join(project.root, 'app.py');
    chmodSync(path, 0o444);
    const refused = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      'failed: app.py: it is read-only (mode 0444); left untouched (pass --force to rewrite it)',
    );
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

describe('migrate --write stopped by Ctrl+C', () => {
  it('says how many files it wrote, and that many changed on disk', async () => {
    const files = Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`app_${index}.py`, FLASK_DEBUG_APP]));
    const project = await repository(files);
    const run = execa(process.execPath, [SECURE_FLASK_BIN, 'migrate', '--write', '--jobs', '1'], {
      cwd: project.root,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    // Signal once the writes have begun (the first file is rewritten), as a user's Ctrl+C mid-run.
    const first = join(project.root, 'app_0.py');
    while (run.exitCode === null && readFileSync(first, 'utf8') !== MIGRATED)
      await new Promise((resolve) => setTimeout(resolve, 10));
    run.kill('SIGINT');
    const result = await run;
    const writtenOnDisk = Object.keys(files).filter(
      (path) => readFileSync(join(project.root, path), 'utf8') === MIGRATED,
    ).length;
    if (result.exitCode === 0) {
      // Every write finished before the signal arrived: the plain summary is then the truth.
      expect(String(result.stdout)).toContain('Wrote 600 files.');
      expect(writtenOnDisk).toBe(600);
      return;
    }
    expect(result.exitCode).toBe(130);
    const interrupted = /Interrupted: wrote (\d+) of 600 files; the others are unchanged\./.exec(String(result.stdout));
    expect(interrupted, String(result.stdout).slice(-500)).not.toBeNull();
    expect(Number(interrupted?.[1])).toBe(writtenOnDisk);
  });
});

describe("migrate --write in the file's own encoding", () => {
  const body = (accent: string) =>
    `# -*- coding: ${accent} -*-\nfrom flask import Flask\n\nname = "caf\u00e9 \u20ac"\napp = Flask(__name__)\napp.run(debug=True)\n`;

  it('a cp1252 file (with bytes latin-1 lacks, as the euro sign) is rewritten in cp1252, byte for byte elsewhere', async () => {
    const project = await repository({ 'README.md': 'encodings\n' });
    const original = Buffer.from(body('cp1252').replace('\u20ac', '\u0000'), 'latin1');
    original[original.indexOf(0)] = 0x80; // the euro sign in cp1252
    project.write('app.py', original);
    await project.git('add', '-A');
    await project.git('commit', '-qm', 'cp1252');
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const after = readFileSync(join(project.root, 'app.py'));
    const expected = Buffer.from(original.toString('latin1').replace('app.run(debug=True)', 'app.run()'), 'latin1');
    expect(after.equals(expected)).toBe(true);
  });

  it('a multi-byte codec it cannot encode (Shift JIS) is skipped with that reason', async () => {
    const project = await repository({ 'README.md': 'encodings\n' });
    // "名前" in Shift JIS, inside a string.
    const text = Buffer.concat([
      Buffer.from('# -*- coding: shift_jis -*-\nfrom flask import Flask\n\nname = "'),
      Buffer.from([0x96, 0xbc, 0x91, 0x4f]),
      Buffer.from('"\napp = Flask(__name__)\napp.run(debug=True)\n'),
    ]);
    project.write('app.py', text);
    await project.git('add', '-A');
    await project.git('commit', '-qm', 'sjis');
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^skipped: app\.py: encoded in shift-jis, which migrate cannot write back; left untouched$/m,
    );
    expect(readFileSync(join(project.root, 'app.py')).equals(text)).toBe(true);
  });
});
