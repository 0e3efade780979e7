import { plural } from '../../core/wording.js';
import type { Colors } from '../../core/colors.js';
import { packageVersion } from '../../core/version.js';
import { isExposed, type Exposure } from '../exposures.js';
import type { ProbeResult } from '../probe.js';
import { formatRuntimeSarif } from './runtime-sarif.js';

/** One exposure as an indented text block; verify prints the same lines under each entrypoint. */
export function exposureLines(exposures: readonly Exposure[], colors: Colors, indent: string): string[] {
  const width = Math.max(0, ...exposures.map((found) => found.id.length));
  return exposures.flatMap((found) => [
    `${indent}${found.severity === 'error' ? colors.red('error  ') : colors.yellow('warning')}  ${colors.bold(found.id.padEnd(width))}  ${found.message}`,
    colors.dim(`${indent}         ${' '.repeat(width)}  GET ${requestPath(found.url)}: ${found.evidence}`),
  ]);
}

function requestPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export function formatProbeText(results: readonly ProbeResult[], colors: Colors): string {
  const out: string[] = [];
  for (const result of results) {
    out.push(colors.underline(result.url));
    if (!result.reachable) out.push(`  ${colors.red('unreachable')}  ${result.error ?? ''}`);
    else if (result.exposures.length === 0) out.push(`  ${colors.green('clean')}  no debugger, console, traceback or development server seen`);
    else out.push(...exposureLines(result.exposures, colors, '  '));
    for (const note of result.notes) out.push(colors.dim(`  note: ${note}`));
    out.push(colors.dim(`  ${plural(result.requests, 'request')} (GET only)`), '');
  }
  const exposed = results.filter((result) => isExposed(result.exposures)).length;
  const unreachable = results.filter((result) => !result.reachable).length;
  const parts = [`${plural(results.length, 'URL')} probed`];
  if (unreachable > 0) parts.push(`${unreachable} unreachable`);
  out.push(exposed > 0 ? colors.red(colors.bold(`Exposed: ${exposed} of ${plural(results.length, 'URL')} serve the debugger or a traceback.`)) : unreachable > 0 ? colors.yellow('Not verified: a URL did not answer.') : colors.green('Clean: no debugger exposed.'));
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
      result.exposures.map((exposure) => ({ exposure, location: { uri: result.url, inRepository: false }, context: result.url })),
    ),
    failures: results.filter((result) => !result.reachable).map((result) => `${result.url}: ${result.error ?? 'unreachable'}`),
  });
}
