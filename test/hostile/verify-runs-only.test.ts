import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

function repository(files: Record<string, string>): TempProject {
  const project = tempProject('secure-flask-verify-hostile-');
  projects.push(project);
  for (const [path, contents] of Object.entries(files)) project.write(path, contents);
  return project;
}

const APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "hello"\n';

/** Running (a zombie waiting for an init that does not reap it is dead). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(path: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path) || readFileSync(path, 'utf8') === '') {
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await sleep(100);
  }
}

describe("verify runs only the repository's own app, and says what it runs", () => {
  it('a Procfile whose app spec calls os.system runs nothing', async () => {
    const project = repository({
      'app.py': APP,
      Procfile: `web: gunicorn "os:system('touch pwned')"\nworker: gunicorn "app:create_app(__import__('os').system('touch pwned2'))"\n`,
    });
    const result = await secureFlask(['verify', '--python', python, '--format', 'json'], { cwd: project.root });
    expect(result.exitCode).toBe(2);
    expect(existsSync(join(project.root, 'pwned'))).toBe(false);
    const report = JSON.parse(result.stdout) as { entrypoints: { status: string; reason?: string }[] };
    expect(report.entrypoints[0]).toMatchObject({
      status: 'not-run',
      reason:
        "app spec 'os:system('touch pwned')' names module 'os', which is not in the repository; verify only runs the repository's own app",
    });
    expect(result.stderr).not.toContain('running the repository');
  });

  it('log and pid paths outside its temporary folder are not written; each command is printed before it starts', async () => {
    const outside = repository({});
    const project = repository({
      'app.py': APP,
      Procfile: `web: gunicorn --access-logfile ${outside.root}/access.log --pid ${outside.root}/gunicorn.pid app:app\n`,
    });
    const result = await secureFlask(['verify', '--python', python], { cwd: project.root });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(existsSync(join(outside.root, 'access.log'))).toBe(false);
    expect(existsSync(join(outside.root, 'gunicorn.pid'))).toBe(false);
    const lines = result.stderr.split('\n');
    const announced = lines.findIndex((line) => line.includes("running the repository's code for Procfile"));
    expect(announced, result.stderr).toBeGreaterThanOrEqual(0);
    expect(lines[announced]).toMatch(/-m gunicorn app:app --bind 127\.0\.0\.1:\d+ \(in /);
    expect(lines.findIndex((line) => line.includes('starting Procfile'))).toBeGreaterThan(announced);
    const help = await secureFlask(['verify', '--help']);
    expect(help.stdout).toContain("verify RUNS THE REPOSITORY'S CODE on this machine");
  });

  it('a process the app starts in a new session (start_new_session=True) does not outlive verify', async () => {
    const project = repository({
      'app.py': `import os, subprocess, sys\n${APP}\nsubprocess.Popen([sys.executable, "-c", "import os, time; open('escaped.pid', 'w').write(str(os.getpid())); time.sleep(600)"], start_new_session=True)\n`,
      Procfile: 'web: gunicorn app:app\n',
    });
    const result = await secureFlask(['verify', '--python', python], { cwd: project.root });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    await waitFor(join(project.root, 'escaped.pid'));
    const pid = Number(readFileSync(join(project.root, 'escaped.pid'), 'utf8'));
    expect(alive(pid)).toBe(false);
  });

  it('a second Ctrl+C kills at once and still removes the temporary folder', async () => {
    const project = repository({
      // Ignores SIGTERM, so the first Ctrl+C waits; writes where verify's harness lives.
      'app.py': `import os, signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nimport time\n${APP}\nopen('harness.txt', 'w').write(os.environ['PYTHONPATH'].split(os.pathsep)[0] + '\\n' + str(os.getpid()))\n`,
      // A script verify runs through its harness, with a server that never answers.
      'serve.py': 'import app, time\ntime.sleep(600)\n',
      Procfile: 'web: python serve.py\n',
    });
    const run = execa(process.execPath, [SECURE_FLASK_BIN, 'verify', '--python', python, '--timeout', '120'], {
      cwd: project.root,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    await waitFor(join(project.root, 'harness.txt'));
    const [harness, serverPid] = readFileSync(join(project.root, 'harness.txt'), 'utf8').split('\n');
    expect(existsSync(must(harness))).toBe(true);
    run.kill('SIGINT');
    await sleep(300);
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(130);
    expect(existsSync(must(harness))).toBe(false);
    await sleep(200);
    expect(alive(Number(serverPid))).toBe(false);
  });
});
