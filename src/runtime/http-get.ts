import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8, cut at the byte limit. */
  body: string;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; url: string; error: string };

export interface HttpGetOptions {
  method?: 'GET' | 'HEAD';
  timeoutMs: number;
  maxBytes: number;
  /** Skip TLS certificate verification (`--insecure`). */
  insecure: boolean;
}

/**
 * One GET or HEAD, never more: no redirect following (the caller decides which
 * ones are same-origin), no keep-alive pool, no body sent, a deadline for the
 * whole exchange and a cap on what is read. node:http rather than fetch, so
 * `--insecure` needs no extra dependency and the byte cap stops the download.
 */
export function httpGet(url: URL, options: HttpGetOptions): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(url, {
      method: options.method ?? 'GET',
      agent: false,
      rejectUnauthorized: !options.insecure,
      headers: { 'user-agent': 'secure-flask-probe', accept: '*/*', connection: 'close' },
    });
    let responded = false;
    const timer = setTimeout(() => {
      // A server that sent its status line but trickles the body did answer: say which happened.
      const error = responded
        ? `answered, but the body did not finish within ${options.timeoutMs} ms`
        : `no answer within ${options.timeoutMs} ms`;
      finish({ ok: false, url: url.href, error });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, url: url.href, error: describeNetworkError(error) }),
    );
    req.on('response', (res) => {
      responded = true;
      const done = () =>
        finish({
          ok: true,
          answer: {
            url: url.href,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          },
        });
      res.on('data', (chunk: Buffer) => {
        const room = options.maxBytes - received;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        received += chunk.length;
        if (received >= options.maxBytes) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end();
  });
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND') return 'host not found';
  if (error.code === 'ECONNRESET') return 'connection reset';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'answered with headers larger than 16 KiB (not read)';
  if (error.code?.startsWith('HPE_')) return `answered with a malformed HTTP response (${error.code})`;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
