import { randomBytes } from 'node:crypto';
import { exposure, isExposed, type Exposure } from './exposures.js';
import { httpGet, type HttpAnswer, type HttpOutcome } from './http-get.js';

export interface ProbeOptions {
  /** Per request. */
  timeoutMs: number;
  /** For everything sent to one URL. */
  budgetMs: number;
  insecure: boolean;
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = { timeoutMs: 5000, budgetMs: 20_000, insecure: false };

export interface ProbeResult {
  url: string;
  reachable: boolean;
  /** Why the URL could not be probed (unreachable, TLS, time budget). */
  error?: string;
  exposures: Exposure[];
  /** Whether the console asks for Werkzeug's PIN, when a console was found. */
  consoleLocked?: boolean;
  requests: number;
  notes: string[];
}

// Werkzeug 3.1 serves its static files from werkzeug/debug/shared for
// `?__debugger__=yes&cmd=resource&f=<name>` on any path, before the app sees the
// request and without checking the Host (DebuggedApplication.__call__ / get_resource).
// The markers are in those files; the content type comes from the file name.
const DEBUGGER_RESOURCES = [
  { file: 'debugger.js', contentType: /javascript/i, marker: /EVALEX_TRUSTED|CONSOLE_MODE/ },
  { file: 'style.css', contentType: /text\/css/i, marker: /div\.debugger|div\.traceback/ },
] as const;
// render_console_html: the console page sets CONSOLE_MODE = true, and
// EVALEX_TRUSTED = false until the PIN cookie is present (always true with no PIN).
const CONSOLE_PAGE = /CONSOLE_MODE\s*=\s*true/;
const CONSOLE_TRUSTED = /EVALEX_TRUSTED\s*=\s*true/;
const WERKZEUG_PAGE = /\/\/ Werkzeug Debugger<\/title>/;
const TRACEBACK_MARKERS: { pattern: RegExp; evidence: string }[] = [
  { pattern: WERKZEUG_PAGE, evidence: 'the Werkzeug debugger traceback page' },
  { pattern: /Traceback \(most recent call last\)/, evidence: '"Traceback (most recent call last)"' },
  {
    pattern: /File (?:"|&quot;|&#34;)[^"&\n]+(?:"|&quot;|&#34;), line \d+, in /,
    evidence: 'a Python stack frame (File "...", line N, in ...)',
  },
];
const MAX_REDIRECTS = 3;
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Reads a live server the way a visitor could, and reports what gives the
 * debugger away. GET only, a fixed list of requests (at most 10), redirects
 * followed only within the origin, a time budget for the whole URL. It never
 * posts to the console, never sends a PIN and never asks to run anything.
 */
export async function probeUrl(target: URL, options: ProbeOptions = DEFAULT_PROBE_OPTIONS): Promise<ProbeResult> {
  const result: ProbeResult = { url: target.href, reachable: false, exposures: [], requests: 0, notes: [] };
  const deadline = Date.now() + options.budgetMs;
  const seen = new Set<string>();
  const found = (item: Exposure) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    result.exposures.push(item);
  };
  const get = async (url: URL): Promise<HttpOutcome> => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ok: false, url: url.href, error: `time budget of ${options.budgetMs} ms spent` };
    result.requests += 1;
    return httpGet(url, {
      timeoutMs: Math.min(options.timeoutMs, remaining),
      maxBytes: MAX_BODY_BYTES,
      insecure: options.insecure,
    });
  };
  // Every answer is read for the Server header and, when it is an error, for a traceback.
  const inspect = (answer: HttpAnswer) => {
    const server = headerText(answer.headers.server);
    if (/\bWerkzeug\//i.test(server)) {
      found(exposure('development-server', answer.url, "Werkzeug's development server answers", `Server: ${server}`));
    }
    if (answer.status >= 400) {
      const marker = TRACEBACK_MARKERS.find(({ pattern }) => pattern.test(answer.body));
      if (marker)
        found(
          exposure(
            'error-traceback',
            answer.url,
            `the ${answer.status} page shows a Python traceback`,
            marker.evidence,
          ),
        );
    }
  };

  const { outcome: base, awayTo } = await getFollowingSameOrigin(target, get, result.notes);
  if (!base.ok) {
    result.error = base.error;
    // A certificate problem is what --insecure skips; https spoken to a plain-HTTP port is not one.
    if (/wrong version number|packet length too long|EPROTO|http request/i.test(base.error))
      result.error += ` (the port answers plain HTTP: probe http://${target.host}${target.pathname})`;
    else if (/certificate|self.signed|CERT_|UNABLE_TO_VERIFY/i.test(base.error))
      result.error += ' (use --insecure to skip TLS verification)';
    return redacted(result, target);
  }
  result.reachable = true;
  inspect(base.answer);
  const page = new URL(base.answer.url);

  let middleware = false;
  for (const resource of DEBUGGER_RESOURCES) {
    const url = new URL(page.pathname, page);
    url.search = `?__debugger__=yes&cmd=resource&f=${resource.file}`;
    const outcome = await get(url);
    if (!outcome.ok) {
      result.notes.push(`${url.href}: ${outcome.error}`);
      continue;
    }
    inspect(outcome.answer);
    const contentType = headerText(outcome.answer.headers['content-type']);
    if (
      outcome.answer.status === 200 &&
      resource.contentType.test(contentType) &&
      resource.marker.test(outcome.answer.body)
    ) {
      middleware = true;
      found(
        exposure(
          'debugger-served',
          url.href,
          `the debugger middleware serves its ${resource.file}`,
          `200 ${contentType}, Werkzeug's ${resource.file}`,
        ),
      );
    }
  }

  for (const url of uniqueUrls([new URL('/console', page), new URL('console', page)])) {
    const outcome = await get(url);
    if (!outcome.ok) {
      result.notes.push(`${url.href}: ${outcome.error}`);
      continue;
    }
    const { answer } = outcome;
    inspect(answer);
    if (answer.status === 200 && CONSOLE_PAGE.test(answer.body) && WERKZEUG_PAGE.test(answer.body)) {
      const locked = !CONSOLE_TRUSTED.test(answer.body);
      result.consoleLocked = locked;
      found(
        exposure(
          'debugger-console',
          url.href,
          locked
            ? 'the interactive console is served (locked by a PIN)'
            : 'the interactive console is served with no PIN: anyone can run Python in the server',
          locked ? 'console page with EVALEX_TRUSTED = false (PIN prompt)' : 'console page with EVALEX_TRUSTED = true',
        ),
      );
      break;
    }
    // DebuggedApplication.display_console answers SecurityError (400) to a Host outside
    // trusted_hosts (".localhost", "127.0.0.1"); any client that sends such a Host passes.
    if (answer.status === 400 && middleware) {
      found(
        exposure(
          'debugger-console',
          url.href,
          'the interactive console exists but refuses this Host name (Werkzeug trusted_hosts); ' +
            'a request with Host: localhost would get it',
          '400 from the console path while the debugger middleware is served',
        ),
      );
      break;
    }
  }

  const missing = new URL(`/secure-flask-probe-${randomBytes(6).toString('hex')}`, page);
  const notFound = await get(missing);
  if (notFound.ok) inspect(notFound.answer);
  else result.notes.push(`${missing.href}: ${notFound.error}`);
  // The app itself is on the other origin: what answered here is a redirect, so "clean" would be a guess.
  if (awayTo !== undefined && !isExposed(result.exposures)) {
    result.reachable = false;
    result.error = `not probed: the page redirects to ${awayTo}, another origin (probe it by name)`;
  }
  return redacted(result, target);
}

/** The report without the URL's user:password (it is sent as basic auth, never printed). */
function redacted(result: ProbeResult, target: URL): ProbeResult {
  if (target.username === '' && target.password === '') return result;
  const secrets = [`${target.username}:${target.password}@`, `${target.username}@`].filter(
    (secret) => secret !== '@' && secret !== ':@',
  );
  const mask = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join('***@'), text);
  return {
    ...result,
    url: mask(result.url),
    ...(result.error === undefined ? {} : { error: mask(result.error) }),
    notes: result.notes.map(mask),
    exposures: result.exposures.map((item) => ({ ...item, url: mask(item.url), evidence: mask(item.evidence) })),
  };
}

async function getFollowingSameOrigin(
  start: URL,
  get: (url: URL) => Promise<HttpOutcome>,
  notes: string[],
): Promise<{ outcome: HttpOutcome; awayTo?: string }> {
  let url = start;
  for (let hop = 0; ; hop += 1) {
    const outcome = await get(url);
    if (!outcome.ok) return { outcome };
    const location = headerText(outcome.answer.headers.location);
    if (outcome.answer.status < 300 || outcome.answer.status >= 400 || location === '') return { outcome };
    const next = new URL(location, url);
    if (next.origin !== start.origin) {
      notes.push(`${url.href} redirects to ${next.href}: another origin, not followed (probe it by name)`);
      return { outcome, awayTo: next.origin };
    }
    if (hop === MAX_REDIRECTS) {
      notes.push(`${url.href}: more than ${MAX_REDIRECTS} redirects, stopped`);
      return { outcome };
    }
    url = next;
  }
}

function uniqueUrls(urls: URL[]): URL[] {
  return [...new Map(urls.map((url) => [url.href, url])).values()];
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
