import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let workspace: TempProject;
beforeAll(() => {
  workspace = tempProject('secure-flask-devlogs-');
});
afterAll(() => workspace.remove());

async function generate(name: string, flags: string[] = []): Promise<string> {
  const created = await createSecureFlask([name, '--yes', '--no-install', '--no-git', ...flags], {
    cwd: workspace.root,
  });
  expect(created.exitCode, created.stderr).toBe(0);
  return join(workspace.root, name);
}

describe('the generated project in development', () => {
  it('flask run --debug logs each request once, with its request id, and writes no terminal colour codes into a log that is not a terminal', async () => {
    const project = await generate('dev-logs', ['--no-docker', '--ci', 'none']);
    const port = await freePort();
    // The README's development command; --no-reload so that stopping it stops everything it started.
    const running = await startServer(
      venvBin(python, 'flask'),
      ['--app', 'dev_logs', 'run', '--debug', '--no-reload', '--port', String(port)],
      {
        cwd: project,
        port,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: workspace.root,
          LANG: 'C.UTF-8',
          APP_ENV: 'development',
        },
      },
    );
    try {
      expect((await fetch(`${running.url}/health`)).status).toBe(200);
      expect((await fetch(`${running.url}/missing`)).status).toBe(404);
    } finally {
      await running.stop();
    }
    const log = running.output();
    // Output goes to a pipe, as to a log file or a collector: plain text only.
    expect(log.includes('\u001b[')).toBe(false);
    const lines = (path: string) =>
      log.split('\n').filter((line) => line.includes(` ${path} `) || line.includes(`${path} HTTP/`));
    expect(lines('/health')).toEqual([
      expect.stringMatching(/INFO \[[0-9a-f]{32}\] dev_logs\.access: GET \/health 200 /),
    ]);
    expect(lines('/missing')).toEqual([
      expect.stringMatching(/INFO \[[0-9a-f]{32}\] dev_logs\.access: GET \/missing 404 /),
    ]);
    // The development server's own messages stay: where it listens, and that debug mode is on.
    expect(log).toMatch(/Running on http:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/Debug mode: on/);
  });

  it('compose.dev.yaml is read as development: its deliberate debugger is suppressed by name, a warning without that, an error under a production name', async () => {
    const project = await generate('compose-dev');
    const devOnly = await secureFlask(['check', '--format', 'json', 'compose.dev.yaml'], { cwd: project });
    expect(devOnly.exitCode, devOnly.stdout).toBe(0);
    expect((JSON.parse(devOnly.stdout) as { summary: { suppressed: number } }).summary.suppressed).toBe(1);
    const unsuppressed = readFileSync(join(project, 'compose.dev.yaml'), 'utf8').replace(
      /^.*secure-flask: ignore.*\n/m,
      '',
    );
    writeFileSync(join(project, 'compose.dev.yaml'), unsuppressed);
    const asDevelopment = await secureFlask(['check', 'compose.dev.yaml'], { cwd: project });
    expect(asDevelopment.exitCode).toBe(1);
    expect(asDevelopment.stdout).toMatch(/warning {2}orchestrator-dev-server .*only development runs it/);
    writeFileSync(join(project, 'compose.yaml'), unsuppressed);
    const asProduction = await secureFlask(['check', 'compose.yaml'], { cwd: project });
    expect(asProduction.exitCode).toBe(1);
    expect(asProduction.stdout).toMatch(/error {2}orchestrator-dev-server/);
  });
});
