import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/files/source-text.js';
import { secureFlask } from '../support/cli.js';
import { runUnprivileged } from '../support/unprivileged.js';
import { SECURE_FLASK_BIN } from '../support/cli.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

function scratch(prefix = 'secure-flask-closed-'): TempProject {
  const project = tempProject(prefix);
  projects.push(project);
  return project;
}

const CLEAN = 'from flask import Flask\n\napp = Flask(__name__)\n';

describe('check fails closed on files it could not check', () => {
  it('a Python file padded past the size limit, ending in app.run(debug=True), is not a pass', async () => {
    const project = scratch();
    project.write('app.py', CLEAN);
    const padding = `${'# padding\n'.repeat(Math.ceil((MAX_FILE_BYTES + 1) / 10))}`;
    project.write('big.py', `${CLEAN}${padding}app.run(debug=True)\n`);
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      'secure-flask check: error: 1 file not checked (big.py: larger than 16 MiB); fix it, or exclude it (--exclude or the config)',
    );
    // Excluded by the user: the run passes.
    project.write('.secure-flask.json', JSON.stringify({ exclude: ['big.py'] }));
    const excluded = await secureFlask(['check'], { cwd: project.root });
    expect(excluded.exitCode, excluded.stderr).toBe(0);
  });

  it('a generated module of a few MiB is checked, not skipped', async () => {
    const project = scratch();
    // 6 MiB, past the old 5 MiB limit: long serialized lines, as protobuf's _pb2 modules have.
    project.write(
      'generated_pb2.py',
      `${CLEAN}${`DESCRIPTOR = b"${'x'.repeat(1020)}"\n`.repeat(6 * 1024)}app.run(debug=True)\n`,
    );
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain('generated_pb2.py:');
  });

  it('an unreadable Python file is not a pass', async () => {
    const project = scratch();
    project.write('app.py', CLEAN);
    const secret = project.write('secret.py', FLASK_DEBUG_APP);
    chmodSync(secret, 0o000);
    const result = await runUnprivileged(process.execPath, [SECURE_FLASK_BIN, 'check'], {
      cwd: project.root,
      env: { NO_COLOR: '1' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('1 file not checked (secret.py: unreadable (permission denied))');
  });
});

describe('check never leaves the repository through a folder link', () => {
  it('ln -s / rootlink is skipped at once, and a link to an outside folder puts nothing from outside in the report or SARIF', async () => {
    const project = scratch();
    const outside = scratch('secure-flask-closed-outside-');
    project.write('app.py', CLEAN);
    outside.write('leaked.py', FLASK_DEBUG_APP);
    outside.write('.flaskenv', 'FLASK_DEBUG=1\n');
    symlinkSync('/', join(project.root, 'rootlink'));
    symlinkSync(outside.root, join(project.root, 'vendor_link'));
    // A link that stays inside is still followed.
    project.write('real/inner.py', FLASK_DEBUG_APP);
    symlinkSync(join(project.root, 'real'), join(project.root, 'inner_link'));
    writeFileSync(join(project.root, '.gitignore'), 'real/\n');
    const result = await secureFlask(['check', '--verbose'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain('skipped rootlink: symlink to a folder outside the repository');
    expect(result.stdout).toContain('skipped vendor_link: symlink to a folder outside the repository');
    expect(result.stdout).not.toContain('leaked.py');
    expect(result.stdout).toContain('inner_link/inner.py');
    const sarif = await secureFlask(['check', '--format', 'sarif'], { cwd: project.root });
    expect(sarif.stdout).not.toContain('vendor_link');
    expect(sarif.stdout).not.toContain('rootlink');
  });
});

describe('check never reads a file outside the repository through a file link', () => {
  it('a link to an outside file is skipped with that reason; a link to a file inside is still read', async () => {
    const project = scratch();
    const outside = scratch('secure-flask-closed-outside-');
    project.write('app.py', CLEAN);
    outside.write('leaked.py', FLASK_DEBUG_APP);
    symlinkSync(join(outside.root, 'leaked.py'), join(project.root, 'linked.py'));
    project.write('lib/inner.py', FLASK_DEBUG_APP);
    symlinkSync(join(project.root, 'lib', 'inner.py'), join(project.root, 'inner_link.py'));
    const result = await secureFlask(['check', '--verbose'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain('skipped linked.py: symlink to a file outside the repository');
    expect(result.stdout).not.toMatch(/^linked\.py:/m);
    // The inside file is read once, under whichever of its names the walk meets first.
    expect(result.stdout).toMatch(/^ {2}(?:inner_link|lib\/inner)\.py:\d+:\d+ +error +run-debug/m);
    expect(result.stdout).toContain('1 finding in 1 file');
  });
});
