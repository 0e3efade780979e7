import { answeredHelpOrVersion, COMMON_OPTIONS, oneOf, parseCommandArgs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { outputWidth } from '../core/terminal-text.js';
import { UsageError, EXIT_OK } from '../core/usage-error.js';
import { parseSeconds, REPORT_FORMATS } from './command-options.js';
import { packageVersion } from '../core/version.js';
import { DEFAULT_PROBE_OPTIONS, probeUrl, type ProbeResult } from './probe.js';
import { formatProbeJson, formatProbeSarif, formatProbeText } from './report/probe-report.js';
import { runtimeExitCode } from './exit-code.js';
import { writeRuntimeReport } from './report/write-report.js';

const HELP = `Usage: secure-flask probe URL... [options]

Reads a live server the way any visitor could and reports what gives Werkzeug's
debugger away: the debugger middleware (its ?__debugger__=yes&cmd=resource files),
an interactive console at /console and whether a PIN locks it, a traceback in an
error page (the URL itself, a random missing path), and Werkzeug's development
server in the Server header.

Read-only: GET requests only, at most 10 per URL, redirects followed only within
the same origin, never a POST to the console, never a PIN, never code to run.

Options:
  --format <text|json|sarif>  output format (default: text)
  --output <file>             write the report to a file instead of stdout
  --timeout <seconds>         per request (default: 5)
  --insecure                  do not verify TLS certificates
  -h, --help                  show this help

Exit codes: 0 clean, 1 the debugger, a console or a traceback is served,
2 a URL did not answer, or a usage error.
`;

const COMMAND = 'secure-flask probe';

export async function runProbeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    timeout: { type: 'string' },
    insecure: { type: 'boolean' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  const format = oneOf(COMMAND, 'format', values.format, REPORT_FORMATS, 'text');
  if (positionals.length === 0) throw new UsageError(`${COMMAND}: name at least one URL (see '${COMMAND} --help')`);
  const urls = positionals.map(parseTargetUrl);
  const timeoutMs = parseSeconds(COMMAND, values.timeout, DEFAULT_PROBE_OPTIONS.timeoutMs);
  const options = {
    timeoutMs,
    budgetMs: Math.max(DEFAULT_PROBE_OPTIONS.budgetMs, timeoutMs * 4),
    insecure: values.insecure === true,
  };

  const results: ProbeResult[] = [];
  for (const url of urls) results.push(await probeUrl(url, options));

  const target = values.output === undefined ? process.stdout : {};
  const rendered =
    format === 'json'
      ? formatProbeJson(results)
      : format === 'sarif'
        ? formatProbeSarif(results)
        : formatProbeText(
            results,
            colorsFor(target),
            values.output === undefined ? outputWidth(process.stdout) : Infinity,
          );
  await writeRuntimeReport(COMMAND, values.output, rendered);
  return runtimeExitCode(results.map((result) => ({ exposures: result.exposures, failed: !result.reachable })));
}

function parseTargetUrl(text: string): URL {
  // user:password@ in a URL is a secret: never echoed.
  const shown = text.replace(/\/\/[^/@\s]*@/, '//***@');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${COMMAND}: '${shown}' is not a URL (e.g. https://example.com/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${COMMAND}: '${shown}' is not an http or https URL`);
  return url;
}
