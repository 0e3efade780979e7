import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { groupAlive, startGroupServer, type GroupServer } from '../support/group-server.js';
import { venvBin } from '../support/python-env.js';
import { freePort } from '../support/server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { sarifValidator } from '../support/sarif-schema.js';
import { must } from '../support/must.js';

const python = inject('python');

// The apps the servers below serve, one module each.
const APPS: Record<string, string> = {
  'plain.py': `from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello"


@app.get("/boom")
def boom():
    raise RuntimeError("boom")
`,
  // DebuggedApplication with the console, as app.run(debug=True) builds it, but under a production server.
  'debugged.py': `from werkzeug.debug import DebuggedApplication
from plain import app as flask_app

app = DebuggedApplication(flask_app, evalex=True)
`,
  // No PIN: the console runs Python for whoever opens it.
  'open_console.py': `from werkzeug.debug import DebuggedApplication
from plain import app as flask_app

app = DebuggedApplication(flask_app, evalex=True, console_path="/console", pin_security=False)
`,
  // An app of its own at /console: not Werkzeug's, not a finding.
  'own_console.py': `from flask import Flask

app = Flask(__name__)


@app.get("/console")
def console():
    return "<html><title>Admin console</title>CONSOLE_MODE = true</html>"
`,
  // A 405 page that leaks the traceback (the shape of a custom handler that formats the exception).
  'leaky_405.py': `import traceback
from flask import Flask

app = Flask(__name__)


@app.post("/submit")
def submit():
    return "ok"


@app.errorhandler(405)
def not_allowed(error):
    try:
        raise RuntimeError("method check failed")
    except RuntimeError:
        return "<pre>" + traceback.format_exc() + "</pre>", 405
`,
};

let project: TempProject;
let server: GroupServer | undefined;
beforeAll(() => {
  project = tempProject('secure-flask-probe-');
  for (const [name, source] of Object.entries(APPS)) project.write(name, source);
});
afterAll(() => project.remove());
afterEach(async () => {
  if (!server) return;
  const { pid } = server;
  expect(await server.stop()).toBe(true);
  expect(groupAlive(pid)).toBe(false);
  server = undefined;
});

async function flaskRun(module: string, extra: string[]): Promise<GroupServer> {
  const port = await freePort();
  return startGroupServer(
    python,
    ['-m', 'flask', '--app', module, 'run', '--host', '127.0.0.1', '--port', String(port), ...extra],
    { cwd: project.root, env: {}, port },
  );
}

async function gunicorn(target: string): Promise<GroupServer> {
  const port = await freePort();
  return startGroupServer(venvBin(python, 'gunicorn'), ['--bind', `127.0.0.1:${port}`, '--workers', '1', target], {
    cwd: project.root,
    env: {},
    port,
  });
}

async function waitress(target: string): Promise<GroupServer> {
  const port = await freePort();
  return startGroupServer(venvBin(python, 'waitress-serve'), [`--listen=127.0.0.1:${port}`, target], {
    cwd: project.root,
    env: {},
    port,
  });
}

interface ProbeJson {
  results: {
    url: string;
    reachable: boolean;
    error?: string;
    consoleLocked?: boolean;
    requests: number;
    notes: string[];
    exposures: { id: string; severity: string; url: string; evidence: string }[];
  }[];
  summary: { urls: number; exposed: number; unreachable: number };
}

async function probeJson(urls: string[]): Promise<{ exitCode: number; report: ProbeJson }> {
  const result = await secureFlask(['probe', '--format', 'json', ...urls]);
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as ProbeJson };
}

const ids = (report: ProbeJson, index = 0) =>
  must(report.results[index])
    .exposures.map((found) => found.id)
    .sort();

describe('secure-flask probe against real servers on 127.0.0.1', () => {
  it("Flask's development server with debug on: debugger, PIN-locked console, dev server; exit 1", async () => {
    server = await flaskRun('plain', ['--debug', '--no-reload']);
    const result = await secureFlask(['probe', server.url]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('debugger-served');
    expect(result.stdout).toContain('the interactive console is served (locked by a PIN)');
    expect(result.stdout).toMatch(/development-server\s+Werkzeug's development server answers/);
    expect(result.stdout).toContain('Exposed: 1 of 1 URL serves the debugger or a traceback.');
    const { report } = await probeJson([server.url, `${server.url}boom`]);
    expect(ids(report)).toEqual(['debugger-console', 'debugger-served', 'development-server']);
    expect(must(report.results[0]).consoleLocked).toBe(true);
    // Debug mode propagates the exception to the debugger, which renders it.
    expect(ids(report, 1)).toEqual(['debugger-console', 'debugger-served', 'development-server', 'error-traceback']);
    expect(must(must(report.results[1]).exposures.find((found) => found.id === 'error-traceback')).evidence).toBe(
      'the Werkzeug debugger traceback page',
    );
    expect(must(must(report.results[0]).exposures.find((found) => found.id === 'debugger-served')).evidence).toMatch(
      /^200 text\/javascript/,
    );
  });

  it("Flask's development server with debug off: only the development-server warning; exit 0", async () => {
    server = await flaskRun('plain', ['--no-debug', '--no-reload']);
    const { exitCode, report } = await probeJson([server.url, `${server.url}boom`]);
    expect(exitCode).toBe(0);
    expect(ids(report, 0)).toEqual(['development-server']);
    expect(ids(report, 1)).toEqual(['development-server']);
  });

  it('gunicorn without the debugger: clean, exit 0', async () => {
    server = await gunicorn('plain:app');
    const result = await secureFlask(['probe', server.url, `${server.url}boom`]);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain('clean  no debugger, console, traceback or development server seen');
    expect(result.stdout).toContain('Clean: no debugger exposed.');
  });

  it('waitress without the debugger: clean, exit 0', async () => {
    server = await waitress('plain:app');
    const { exitCode, report } = await probeJson([server.url]);
    expect(exitCode).toBe(0);
    expect(must(report.results[0]).exposures).toEqual([]);
  });

  it('DebuggedApplication(evalex=True) under gunicorn: debugger and locked console', async () => {
    server = await gunicorn('debugged:app');
    const { exitCode, report } = await probeJson([server.url, `${server.url}boom`]);
    expect(exitCode).toBe(1);
    expect(ids(report, 0)).toEqual(['debugger-console', 'debugger-served']);
    expect(must(report.results[0]).consoleLocked).toBe(true);
    // Without app.debug, Flask answers the 500 itself: the middleware never sees the exception.
    expect(ids(report, 1)).toEqual(['debugger-console', 'debugger-served']);
  });

  it('a console with no PIN (pin_security=False) under waitress: unlocked console', async () => {
    server = await waitress('open_console:app');
    const { exitCode, report } = await probeJson([server.url]);
    expect(exitCode).toBe(1);
    expect(must(report.results[0]).consoleLocked).toBe(false);
    const consoleFinding = must(must(report.results[0]).exposures.find((found) => found.id === 'debugger-console'));
    expect(consoleFinding.url).toBe(`${server.url}console`);
    expect(consoleFinding.evidence).toBe('console page with EVALEX_TRUSTED = true');
  });

  it("an app's own /console route is not Werkzeug's console", async () => {
    server = await gunicorn('own_console:app');
    const { exitCode, report } = await probeJson([server.url]);
    expect(exitCode).toBe(0);
    expect(must(report.results[0]).exposures).toEqual([]);
  });

  it('behind a proxy that passes a public Host: the console refuses it (trusted_hosts), the middleware still answers', async () => {
    server = await gunicorn('debugged:app');
    const upstream = new URL(server.url);
    // What nginx with `proxy_set_header Host $host` does for https://shop.example.com.
    const proxy = createServer((request, response) => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: request.url,
          method: request.method,
          headers: { ...request.headers, host: 'shop.example.com' },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.on('error', () => response.writeHead(502).end());
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const address = proxy.address();
      const { exitCode, report } = await probeJson([
        `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
      ]);
      expect(exitCode).toBe(1);
      expect(ids(report)).toEqual(['debugger-console', 'debugger-served']);
      const consoleFinding = must(must(report.results[0]).exposures.find((found) => found.id === 'debugger-console'));
      expect(consoleFinding.evidence).toBe('400 from the console path while the debugger middleware is served');
      expect(must(report.results[0]).consoleLocked).toBeUndefined();
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('a 405 page with a traceback', async () => {
    server = await gunicorn('leaky_405:app');
    const { exitCode, report } = await probeJson([`${server.url}submit`]);
    expect(exitCode).toBe(1);
    expect(must(report.results[0]).exposures).toEqual([
      expect.objectContaining({
        id: 'error-traceback',
        severity: 'error',
        url: `${server.url}submit`,
        evidence: '"Traceback (most recent call last)"',
      }),
    ]);
  });

  it('an unreachable port: exit 2, reported as unreachable', async () => {
    const port = await freePort();
    const result = await secureFlask(['probe', `http://127.0.0.1:${port}/`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('unreachable  connection refused');
    const { report } = await probeJson([`http://127.0.0.1:${port}/`]);
    expect(report.results[0]).toMatchObject({ reachable: false, error: 'connection refused', requests: 1 });
    expect(report.summary).toEqual({ urls: 1, exposed: 0, unreachable: 1 });
  });

  it('sarif: valid SARIF 2.1.0, one result per exposure pointing at the URL', async () => {
    server = await flaskRun('plain', ['--debug', '--no-reload']);
    const result = await secureFlask([
      'probe',
      '--format',
      'sarif',
      server.url,
      `http://127.0.0.1:${await freePort()}/`,
    ]);
    expect(result.exitCode).toBe(1);
    const log = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        invocations: { executionSuccessful: boolean }[];
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = must(log.runs[0]);
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'debugger-served',
      'debugger-console',
      'error-traceback',
      'development-server',
    ]);
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['development-server', 'warning'],
      ['debugger-served', 'error'],
      ['debugger-console', 'error'],
    ]);
    expect(must(must(run.results[1]).locations[0]).physicalLocation.artifactLocation.uri).toBe(server.url);
    expect(must(run.invocations[0]).executionSuccessful).toBe(false);
  });

  it('usage errors: no URL, not a URL, not http(s); exit 2 with one line', async () => {
    for (const args of [[], ['not a url'], ['ftp://127.0.0.1/']]) {
      const result = await secureFlask(['probe', ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^secure-flask probe: error: /);
    }
  });
});

describe('what probe sends', () => {
  let recorder: Server;
  let recorded: { method: string; url: string; body: number }[];
  let base: string;
  beforeAll(async () => {
    recorded = [];
    recorder = createServer((request: IncomingMessage, response) => {
      let body = 0;
      request.on('data', (chunk: Buffer) => (body += chunk.length));
      request.on('end', () => {
        recorded.push({ method: request.method ?? '', url: request.url ?? '', body });
        if (request.url === '/') {
          response.writeHead(302, { location: '/home' }).end();
        } else if (request.url === '/home') {
          response.writeHead(302, { location: 'https://elsewhere.invalid/' }).end();
        } else if (request.url === '/slow') {
          // Never answers: the probe's own timeout ends it.
        } else if (request.url?.startsWith('/endless')) {
          // A body that never ends: the probe reads a bounded prefix and hangs up.
          response.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const pump = () => {
            while (!response.destroyed && response.write(chunk));
            if (!response.destroyed) response.once('drain', pump);
          };
          pump();
        } else {
          response.writeHead(404, { 'content-type': 'text/html' }).end('not here');
        }
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const address = recorder.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    recorder.closeAllConnections();
    await new Promise((resolve) => recorder.close(resolve));
  });

  it('GET only, no body, a bounded count; same-origin redirects followed, others not; never a PIN or a command', async () => {
    recorded.length = 0;
    const { exitCode, report } = await probeJson([`${base}/`]);
    // The app is on the other origin: not probed there, so not verified (exit 2), never "clean".
    expect(exitCode).toBe(2);
    expect(recorded.every((request) => request.method === 'GET' && request.body === 0)).toBe(true);
    expect(recorded.length).toBeLessThanOrEqual(10);
    expect(must(report.results[0]).requests).toBe(recorded.length);
    expect(recorded.map((request) => request.url).slice(0, 2)).toEqual(['/', '/home']);
    expect(recorded.some((request) => /elsewhere/.test(request.url))).toBe(false);
    expect(must(report.results[0]).notes).toContain(
      `${base}/home redirects to https://elsewhere.invalid/: another origin, not followed (probe it by name)`,
    );
    for (const { url } of recorded) {
      const query = new URL(url, base).searchParams;
      expect(query.has('pin')).toBe(false);
      expect(query.has('s')).toBe(false);
      if (query.has('cmd')) expect(query.get('cmd')).toBe('resource');
    }
  });

  it('a body that never ends is read up to a limit, then the connection is closed', async () => {
    const { exitCode, report } = await probeJson([`${base}/endless`]);
    expect(exitCode).toBe(0);
    expect(report.results[0]).toMatchObject({ reachable: true, exposures: [] });
  });

  it('a server that never answers: the per-request timeout ends the probe; exit 2', async () => {
    const { exitCode, report } = await probeJson([`${base}/slow`, '--timeout', '1']);
    expect(exitCode).toBe(2);
    expect(report.results[0]).toMatchObject({ reachable: false, error: 'no answer within 1000 ms' });
  });
});

describe('TLS', () => {
  let tlsServer: HttpsServer;
  let url: string;
  let folder: TempProject;
  beforeAll(async () => {
    folder = tempProject('secure-flask-tls-');
    await execa(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { cwd: folder.root },
    );
    tlsServer = createHttpsServer(
      { key: readFileSync(join(folder.root, 'key.pem')), cert: readFileSync(join(folder.root, 'cert.pem')) },
      (_request, response) => {
        response.writeHead(200, { server: 'Werkzeug/3.1.9 Python/3.12.0' }).end('hi');
      },
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const address = tlsServer.address();
    url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((resolve) => tlsServer.close(resolve));
    folder.remove();
  });

  it('certificates are verified: a self-signed one is unreachable (exit 2) unless --insecure', async () => {
    const verified = await probeJson([url]);
    expect(verified.exitCode).toBe(2);
    expect(must(verified.report.results[0]).error).toMatch(
      /self.signed certificate.*\(use --insecure to skip TLS verification\)$/,
    );
    const insecure = await secureFlask(['probe', '--insecure', '--format', 'json', url]);
    expect(insecure.exitCode).toBe(0);
    const report = JSON.parse(insecure.stdout) as ProbeJson;
    expect(must(report.results[0]).reachable).toBe(true);
    expect(ids(report)).toEqual(['development-server']);
  });
});
