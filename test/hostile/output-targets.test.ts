import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { committedProject, FLASK_DEBUG_APP, type TempProject } from '../support/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

async function repository(files: Record<string, string>): Promise<TempProject> {
  const project = await committedProject(files, 'secure-flask-output-');
  projects.push(project);
  return project;
}

const OTHER = 'print("hello")\n';

describe('--output and --patch never replace what they must not', () => {
  it("'-' is standard output, for --output and --patch; no file named '-' appears", async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const report = await secureFlask(['check', '--format', 'json', '--output', '-'], { cwd: project.root });
    expect(report.exitCode).toBe(1);
    expect(JSON.parse(report.stdout).findings).toHaveLength(1);
    const patch = await secureFlask(['migrate', '--patch', '-'], { cwd: project.root });
    expect(patch.exitCode).toBe(1);
    expect(patch.stdout).toMatch(/^diff --git a\/app\.py b\/app\.py\n/);
    expect(patch.stdout).not.toContain('migrate: 1 changed');
    expect(patch.stderr).toContain('wrote the patch for 1 file to standard output');
    expect(existsSync(join(project.root, '-'))).toBe(false);
    // execa drops the last newline of what it captured.
    await execa('git', ['apply', '--check', '-'], { cwd: project.root, input: `${patch.stdout}\n` });
  });

  it('a character device stays a device (a null device of our own as root, else /dev/null)', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    // Root can replace /dev/null itself: a test run against a regression must not break the machine.
    const device = process.getuid?.() === 0 ? join(project.root, 'null') : '/dev/null';
    if (device !== '/dev/null') execFileSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    const before = statSync(device);
    const result = await secureFlask(['check', '--output', device], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    const after = statSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
  });

  it('a FIFO is written in place (a reader gets the report) and stays a FIFO', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const fifo = join(project.root, 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = execa('cat', [fifo], { timeout: 60_000 });
    const result = await secureFlask(['check', '--format', 'json', '--output', fifo], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(JSON.parse(String((await reader).stdout)).findings).toHaveLength(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('/dev/fd/N writes to that open descriptor', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP });
    const result = await execa(
      'bash',
      ['-c', `"${process.execPath}" "${SECURE_FLASK_BIN}" check --format json --output /dev/fd/3 3>report.json`],
      { cwd: project.root, reject: false, env: { NO_COLOR: '1' } },
    );
    expect(result.exitCode, String(result.stderr)).toBe(1);
    expect(JSON.parse(readFileSync(join(project.root, 'report.json'), 'utf8')).findings).toHaveLength(1);
  });

  it('never a file the run checks or migrates, and a tracked file only with --force', async () => {
    const project = await repository({ 'app.py': FLASK_DEBUG_APP, 'other.py': OTHER });
    const patchOverInput = await secureFlask(['migrate', '--patch', 'app.py', '--force'], { cwd: project.root });
    expect(patchOverInput.exitCode).toBe(2);
    expect(patchOverInput.stderr.trim()).toBe(
      'secure-flask: error: cannot write app.py: this run reads that file; choose another path for the output',
    );
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(FLASK_DEBUG_APP);
    const reportOverInput = await secureFlask(['check', '--output', 'other.py', '--force'], { cwd: project.root });
    expect(reportOverInput.exitCode).toBe(2);
    expect(readFileSync(join(project.root, 'other.py'), 'utf8')).toBe(OTHER);
    // Tracked but not checked (a test file is skipped by default): only with --force.
    project.write('tests/test_app.py', OTHER);
    await project.git('add', '-A');
    await project.git('commit', '-qm', 'tests');
    const tracked = await secureFlask(['check', '--output', 'tests/test_app.py'], { cwd: project.root });
    expect(tracked.exitCode).toBe(2);
    expect(tracked.stderr.trim()).toBe(
      'secure-flask: error: cannot write tests/test_app.py: git tracks that file; choose another path, or pass --force to replace it',
    );
    expect(readFileSync(join(project.root, 'tests/test_app.py'), 'utf8')).toBe(OTHER);
    const forced = await secureFlask(['check', '--output', 'tests/test_app.py', '--force'], { cwd: project.root });
    expect(forced.exitCode).toBe(1);
    expect(readFileSync(join(project.root, 'tests/test_app.py'), 'utf8')).toContain('app.py:4:9');
    // An untracked report from an earlier run is replaced as before.
    project.write('report.txt', 'old report\n');
    const again = await secureFlask(['check', '--output', 'report.txt'], { cwd: project.root });
    expect(again.exitCode).toBe(1);
    expect(readFileSync(join(project.root, 'report.txt'), 'utf8')).toContain('app.py');
  });
});
