import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { must } from '../support/must.js';

let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/away') {
      response.writeHead(302, { location: 'http://elsewhere.invalid/' }).end();
    } else if (path === '/trickle') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html>');
      // Never ends within the probe's timeout; the socket is closed by the probe or at teardown.
    } else if (path === '/huge-headers') {
      response.writeHead(200, { 'x-filler': 'x'.repeat(40_000) }).end('ok');
    } else {
      response
        .writeHead(200, { server: 'Werkzeug/3.1.3 Python/3.12.1', 'content-type': 'text/html' })
        .end('<html>hello</html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('probe says what happened, and keeps secrets out of its reports', () => {
  it('user:password@ in a URL is masked in text, JSON and SARIF', async () => {
    const url = `http://admin:s3cret-pw@127.0.0.1:${port}/`;
    for (const format of ['text', 'json', 'sarif']) {
      const result = await secureFlask(['probe', '--format', format, url]);
      expect(result.stdout, format).toContain('development');
      expect(result.stdout + result.stderr, format).not.toContain('s3cret-pw');
      expect(result.stdout + result.stderr, format).not.toContain('admin:');
    }
    const bad = await secureFlask(['probe', 'http://admin:s3cret-pw@[bad']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).not.toContain('s3cret-pw');
  });

  it('a slow answer and oversized headers are "not probed" with what happened, not "unreachable"', async () => {
    const slow = await secureFlask(['probe', '--timeout', '1', `${base}/trickle`]);
    expect(slow.exitCode).toBe(2);
    expect(slow.stdout).toContain('not probed  answered, but the body did not finish within 1000 ms');
    expect(slow.stdout).not.toContain('unreachable');
    const huge = await secureFlask(['probe', `${base}/huge-headers`]);
    expect(huge.exitCode).toBe(2);
    expect(huge.stdout).toContain('not probed  answered with headers larger than 16 KiB (not read)');
  });

  it('a redirect to another host is "not probed" with exit 2, never "clean"', async () => {
    const result = await secureFlask(['probe', '--format', 'json', `${base}/away`]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as { results: { reachable: boolean; error?: string }[] };
    expect(report.results[0]).toMatchObject({
      reachable: false,
      error: 'not probed: the page redirects to http://elsewhere.invalid, another origin (probe it by name)',
    });
    const text = await secureFlask(['probe', `${base}/away`]);
    expect(text.stdout).not.toContain('Clean');
  });

  it('https to a plain-HTTP port suggests http://, not --insecure', async () => {
    const result = await secureFlask(['probe', '--format', 'json', `https://127.0.0.1:${port}/`]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as { results: { error?: string }[] };
    expect(must(report.results[0]).error).toContain(`(the port answers plain HTTP: probe http://127.0.0.1:${port}/)`);
    expect(must(report.results[0]).error).not.toContain('--insecure');
  });
});
