import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/python-env.js';
import { inTerminal, KEY } from '../support/terminal.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

const APP = 'from flask import Flask\n\napp = Flask(__name__)\napp.config["DEBUG"] = True\n\nif __name__ == "__main__":\n    app.run(debug=True)\n';

async function committedProject(files: Record<string, string>): Promise<TempProject> {
  const created = tempProject('secure-flask-migrate-cli-');
  for (const [path, contents] of Object.entries(files)) created.write(path, contents);
  await created.git('init', '-q');
  await created.git('add', '-A');
  await created.git('commit', '-qm', 'start');
  return created;
}

describe('secure-flask migrate', () => {
  it('dry run: prints the diff and a summary, writes nothing, exits 1', async () => {
    project = await committedProject({ 'app.py': APP, '.flaskenv': 'FLASK_DEBUG=1\n', 'README.md': 'hi\n' });
    const result = await secureFlask(['migrate'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('--- a/app.py\n+++ b/app.py\n');
    expect(result.stdout).toContain('-app.config["DEBUG"] = True\n');
    expect(result.stdout).toContain('-    app.run(debug=True)\n+    app.run()\n');
    expect(result.stdout).toMatch(/^migrate: 2 changed, 1 deleted, 0 unchanged, 0 skipped, 0 failed$/m);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
  });

  it('--write applies everything atomically, keeps the file mode, and a second run changes nothing', async () => {
    project = await committedProject({ 'app.py': APP });
    chmodSync(join(project.root, 'app.py'), 0o750);
    await project.git('commit', '-qam', 'executable');
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote 1 file\./);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe('from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n');
    expect(statSync(join(project.root, 'app.py')).mode & 0o777).toBe(0o750);
    expect(readdirSync(project.root).filter((name) => name.includes('.tmp') || name.startsWith('app.py.'))).toEqual([]);
    const again = await secureFlask(['migrate'], { cwd: project.root });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^migrate: 0 changed, 1 unchanged/m);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    project = tempProject('secure-flask-migrate-link-');
    project.write('real/app.py', APP);
    symlinkSync(join(project.root, 'real', 'app.py'), join(project.root, 'linked_app.py'));
    const result = await secureFlask(['migrate', '--write', 'linked_app.py'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(lstatSync(join(project.root, 'linked_app.py')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(project.root, 'real', 'app.py'), 'utf8')).not.toContain('debug=True');
  });

  it('refuses to write into a dirty git tree unless --allow-dirty', async () => {
    project = await committedProject({ 'app.py': APP });
    writeFileSync(join(project.root, 'notes.txt'), 'uncommitted\n');
    const refused = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/working tree has uncommitted changes \(notes\.txt\).*--allow-dirty/);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
    const allowed = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(allowed.exitCode).toBe(0);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).not.toBe(APP);
  });

  it('outside git it says there is no undo and goes on', async () => {
    project = tempProject('secure-flask-migrate-nogit-');
    project.write('app.py', APP);
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/is not a git repository: there is no undo/);
  });

  it('--patch writes a patch that git apply and patch -p1 accept (a deleted file included), and applying it equals --write', async () => {
    const files = {
      'app.py': APP,
      'crlf.py': APP.replace(/\n/g, '\r\n'),
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nENV FLASK_DEBUG=1\nCMD ["python", "app.py"]\n',
      'requirements.txt': 'flask\n',
      '.flaskenv': '# Turn on the debugger.\nFLASK_DEBUG=1\n',
    };
    project = await committedProject(files);
    const result = await secureFlask(['migrate', '--patch', 'changes.patch'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const patchFile = join(project.root, 'changes.patch');
    expect(readFileSync(patchFile, 'utf8')).toContain('diff --git a/.flaskenv b/.flaskenv\ndeleted file mode 100644\n--- a/.flaskenv\n+++ /dev/null\n@@ -1,2 +0,0 @@\n');
    const gitCheck = await execa('git', ['apply', '--check', patchFile], { cwd: project.root, reject: false, all: true });
    expect(gitCheck.exitCode, gitCheck.all).toBe(0);
    const patchCheck = await execa('patch', ['-p1', '--dry-run', '-i', patchFile], { cwd: project.root, reject: false, all: true });
    expect(patchCheck.exitCode, patchCheck.all).toBe(0);
    await execa('git', ['apply', patchFile], { cwd: project.root });
    expect(existsSync(join(project.root, '.flaskenv'))).toBe(false);
    const written = ['app.py', 'crlf.py', 'Dockerfile', 'requirements.txt', 'gunicorn.conf.py'];
    const viaPatch = Object.fromEntries(written.map((f) => [f, readFileSync(join(project.root, f), 'utf8')]));
    expect(viaPatch.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]');
    const other = await committedProject(files);
    const byPatch = await committedProject(files);
    try {
      await secureFlask(['migrate', '--write'], { cwd: other.root });
      for (const [file, text] of Object.entries(viaPatch)) expect(readFileSync(join(other.root, file), 'utf8'), file).toBe(text);
      expect(existsSync(join(other.root, '.flaskenv'))).toBe(false);
      expect(viaPatch['crlf.py']).toContain('app.run()\r\n');
      // GNU patch applies it too, deletion included.
      const applied = await execa('patch', ['-p1', '-i', patchFile], { cwd: byPatch.root, reject: false, all: true });
      expect(applied.exitCode, applied.all).toBe(0);
      expect(existsSync(join(byPatch.root, '.flaskenv'))).toBe(false);
      for (const [file, text] of Object.entries(viaPatch)) expect(readFileSync(join(byPatch.root, file), 'utf8'), file).toBe(text);
    } finally {
      other.remove();
      byPatch.remove();
    }
  });

  it('--json lists each edit with offsets and line/column positions', async () => {
    project = await committedProject({ 'app.py': APP });
    const result = await secureFlask(['migrate', '--json'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { files: { path: string; status: string; changes: { ruleId: string; title: string; edits: { startLine: number; replacement: string }[] }[] }[]; summary: { changed: number } };
    expect(report.summary.changed).toBe(1);
    expect(report.files[0]!.path).toBe('app.py');
    expect(report.files[0]!.changes.map((change) => [change.ruleId, change.edits[0]!.startLine, change.edits[0]!.replacement])).toEqual([
      ['config-debug-item', 4, ''],
      ['run-debug', 7, ''],
    ]);
  });

  it('exits 0 with nothing to do on a clean project', async () => {
    project = await committedProject({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    const result = await secureFlask(['migrate'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^migrate: 0 changed, 1 unchanged, 0 skipped, 0 failed$/m);
  });

  it('rejects bad flags with a one-line error', async () => {
    for (const [args, message] of [
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['--patch', ''], /--patch needs a file name/],
      [['--jobs', '0'], /--jobs must be a whole number/],
      [['missing/path'], /no such file or directory: missing\/path/],
    ] as const) {
      const result = await secureFlask(['migrate', ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('migrate over every flagged rule fixture', () => {
  it('compiles, is idempotent, and leaves only findings that need a person', async () => {
    project = tempProject('secure-flask-migrate-all-');
    for (const rule of readdirSync(join(REPO_ROOT, 'fixtures'))) {
      if (rule === 'apps' || rule === 'behaviour' || rule === 'deploy-model' || rule === 'deploy-severity') continue;
      for (const caseName of readdirSync(join(REPO_ROOT, 'fixtures', rule))) {
        if (caseName.startsWith('flagged')) cpSync(join(REPO_ROOT, 'fixtures', rule, caseName), join(project.root, rule, caseName), { recursive: true });
      }
    }
    const first = await secureFlask(['migrate', '--write', '.'], { cwd: project.root });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const compiled = await execa(python, ['-m', 'compileall', '-q', '.'], { cwd: project.root, reject: false, all: true });
    expect(compiled.exitCode, compiled.all).toBe(0);
    const second = await secureFlask(['migrate', '.'], { cwd: project.root });
    expect(second.stdout).toMatch(/^migrate: 0 changed/m);
    const check = await secureFlask(['check', '--format', 'json', '.'], { cwd: project.root });
    const remaining = (JSON.parse(check.stdout) as { findings: { ruleId: string; path: string }[] }).findings.map((f) => `${f.path} ${f.ruleId}`).sort();
    // Reviewed: each of these has no rewrite a reviewer could trust at a glance (see each rule's doc).
    expect(remaining).toEqual([
      // A template env file copied or loaded into place: the template itself is for a person to edit.
      'compose-debug-env/flagged-template/docker-compose.yml compose-debug-env',
      // A development stage keeps its debug setting and its development server (reported as a warning).
      'dockerfile-debug/flagged-development/Dockerfile dockerfile-debug',
      'dockerfile-debug/flagged-development/Dockerfile dockerfile-debug',
      'dockerfile-debug/flagged-template-copy/Dockerfile dockerfile-debug',
      'dockerfile-debug/flagged-template-copy/Dockerfile dockerfile-debug',
      // Dev-server commands whose image or platform does not say where packages are installed (no requirements,
      // no pip install, no COPY of the app, supervisord/systemd environments): `--debug` is dropped, the command listed.
      'dockerfile-debug/flagged/Dockerfile dockerfile-dev-server',
      'dockerfile-debug/flagged/web.dockerfile dockerfile-dev-server',
      'dockerfile-dev-server/flagged-manage/Dockerfile.flags dockerfile-dev-server',
      'dockerfile-dev-server/flagged-manage/Dockerfile.group dockerfile-dev-server',
      'dockerfile-dev-server/flagged-split-exec/Dockerfile dockerfile-dev-server',
      'dockerfile-dev-server/flagged/Dockerfile dockerfile-dev-server',
      'dockerfile-dev-server/flagged/Dockerfile.api dockerfile-dev-server',
      'orchestrator-dev-server/flagged-development/compose.yaml orchestrator-dev-server',
      'orchestrator-dev-server/flagged/compose.yaml orchestrator-dev-server',
      'orchestrator-dev-server/flagged/compose.yaml orchestrator-dev-server',
      'orchestrator-dev-server/flagged/pod.yaml orchestrator-dev-server',
      // The file an EnvironmentFile= loads, which migrate does not rewrite.
      'process-debug-env/flagged/app.service process-debug-env',
      'process-dev-server/flagged/Procfile process-dev-server',
      'process-dev-server/flagged/supervisord.conf process-dev-server',
      'process-dev-server/flagged/web.service process-dev-server',
      // A script's server command: the deploy file that runs it decides what is installed.
      'script-debug/flagged/boot.sh script-debug',
      'werkzeug-debugged-application/flagged/app.py werkzeug-debugged-application',
      'werkzeug-debugged-application/flagged/app.py werkzeug-debugged-application',
    ]);
  }, 120_000);
});

describe('interactive review', () => {
  it('asks per change, applies the accepted one and leaves the skipped one', async () => {
    project = await committedProject({ 'app.py': APP });
    const session = inTerminal(`${process.execPath} ${SECURE_FLASK_BIN} migrate`, project.root);
    await session.waitFor(/change 1 of 2/);
    await session.type(KEY.enter); // Accept
    await session.waitFor(/change 2 of 2/);
    await session.type(KEY.down); // Skip
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/Wrote 1 file\./);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP.replace('app.config["DEBUG"] = True\n', ''));
  });
});
