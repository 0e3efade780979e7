import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecureFlask } from '../support/cli.js';
import { venvBin } from '../support/python-env.js';
import { freePort, startServer } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const python = inject('python');
let workspace: TempProject;
beforeAll(() => {
  workspace = tempProject('secure-flask-devlogs-');
});
afterAll(() => workspace.remove());

describe('the generated project in development (flask run --debug)', () => {
  it('logs each request once, with its request id, and writes no terminal colour codes into a log that is not a terminal', async () => {
    const created = await createSecureFlask(['dev-logs', '--yes', '--no-install', '--no-git', '--no-docker', '--ci', 'none'], { cwd: workspace.root });
    expect(created.exitCode, created.stderr).toBe(0);
    const project = join(workspace.root, 'dev-logs');
    const port = await freePort();
    // The README's development command; --no-reload so that stopping it stops everything it started.
    const running = await startServer(venvBin(python, 'flask'), ['--app', 'dev_logs', 'run', '--debug', '--no-reload', '--port', String(port)], {
      cwd: project,
      port,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace.root, LANG: 'C.UTF-8', APP_ENV: 'development' },
    });
    try {
      expect((await fetch(`${running.url}/health`)).status).toBe(200);
      expect((await fetch(`${running.url}/missing`)).status).toBe(404);
    } finally {
      await running.stop();
    }
    const log = running.output();
    // Output goes to a pipe, as to a log file or a collector: plain text only.
    expect(log).not.toMatch(/\u001b\[/);
    const lines = (path: string) => log.split('\n').filter((line) => line.includes(` ${path} `) || line.includes(`${path} HTTP/`));
    expect(lines('/health')).toEqual([expect.stringMatching(/INFO \[[0-9a-f]{32}\] dev_logs\.access: GET \/health 200 /)]);
    expect(lines('/missing')).toEqual([expect.stringMatching(/INFO \[[0-9a-f]{32}\] dev_logs\.access: GET \/missing 404 /)]);
    // The development server's own messages stay: where it listens, and that debug mode is on.
    expect(log).toMatch(/Running on http:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/Debug mode: on/);
  });
});
