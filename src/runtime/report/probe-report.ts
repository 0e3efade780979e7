import { plural } from '../../core/wording.js';
import type { Colors } from '../../core/colors.js';
import { hangingLines } from '../../core/terminal-text.js';
import { packageVersion } from '../../core/version.js';
import { isExposed, type Exposure } from '../exposures.js';
import type { ProbeResult } from '../probe.js';
import { formatRuntimeSarif } from './runtime-sarif.js';

/**
 * One exposure as an indented text block, wrapped at `width`
 * columns; verify prints the same lines under each entrypoint.
 */
export function exposureLines(
  exposures: readonly Exposure[],
  colors: Colors,
  indent: string,
  width = Infinity,
): string[] {
  const idWidth = Math.max(0, ...exposures.map((found) => found.id.length));
  return exposures.flatMap((found) => {
    // Laid out as plain text (colour codes take no columns), then coloured piece by piece.
    const label = found.severity === 'error' ? 'error  ' : 'warning';
    const [first = '', ...rest] = hangingLines(
      `${indent}${label}  ${found.id.padEnd(idWidth)}  `,
      found.message,
      width,
    );
    const severity = found.severity === 'error' ? colors.red(label) : colors.yellow(label);
    const head = `${indent}${severity}  ${colors.bold(found.id.padEnd(idWidth))}  `;
    const evidence = hangingLines(
      `${indent}         ${' '.repeat(idWidth)}  `,
      `GET ${requestPath(found.url)}: ${found.evidence}`,
      width,
    );
    return [
      head + first.slice(indent.length + label.length + idWidth + 4),
      ...rest,
      ...evidence.map((line) => colors.dim(line)),
    ];
  });
}

function requestPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** "unreachable" only when no connection was made; a slow, malformed or redirected answer was "not probed". */
function failureLabel(error: string | undefined): string {
  return error === undefined || /^(?:connection refused|host not found|connection reset|E[A-Z]+:)/.test(error)
    ? 'unreachable'
    : 'not probed';
}

export function formatProbeText(results: readonly ProbeResult[], colors: Colors, width = Infinity): string {
  const out: string[] = [];
  for (const result of results) {
    out.push(colors.underline(result.url));
    if (!result.reachable) out.push(`  ${colors.red(failureLabel(result.error))}  ${result.error ?? ''}`);
    else if (result.exposures.length === 0)
      out.push(`  ${colors.green('clean')}  no debugger, console, traceback or development server seen`);
    else out.push(...exposureLines(result.exposures, colors, '  ', width));
    for (const note of result.notes) out.push(...hangingLines('  note: ', note, width).map((line) => colors.dim(line)));
    out.push(colors.dim(`  ${plural(result.requests, 'request')} (GET only)`), '');
  }
  const exposed = results.filter((result) => isExposed(result.exposures)).length;
  const unreachable = results.filter((result) => !result.reachable).length;
  const parts = [`${plural(results.length, 'URL')} probed`];
  if (unreachable > 0) parts.push(`${unreachable} not verified`);
  out.push(
    exposed > 0
      ? colors.red(
          colors.bold(
            `Exposed: ${exposed} of ${plural(results.length, 'URL')} ` +
              `${exposed === 1 ? 'serves' : 'serve'} the debugger or a traceback.`,
          ),
        )
      : unreachable > 0
        ? colors.yellow('Not verified: a URL could not be probed.')
        : colors.green('Clean: no debugger exposed.'),
  );
  out.push(colors.dim(`${parts.join('; ')}.`));
  return `${out.join('\n')}\n`;
}

export function formatProbeJson(results: readonly ProbeResult[]): string {
  const body = {
    tool: { name: 'secure-flask', version: packageVersion() },
    results,
    summary: {
      urls: results.length,
      exposed: results.filter((result) => isExposed(result.exposures)).length,
      unreachable: results.filter((result) => !result.reachable).length,
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function formatProbeSarif(results: readonly ProbeResult[]): string {
  return formatRuntimeSarif({
    results: results.flatMap((result) =>
      result.exposures.map((exposure) => ({
        exposure,
        location: { uri: result.url, inRepository: false },
        context: result.url,
      })),
    ),
    failures: results
      .filter((result) => !result.reachable)
      .map((result) => `${result.url}: ${result.error ?? 'unreachable'}`),
  });
}
