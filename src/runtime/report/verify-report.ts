import { plural } from '../../core/wording.js';
import type { Colors } from '../../core/colors.js';
import { packageVersion } from '../../core/version.js';
import { describeEntrypoint, type RuntimeEntrypoint } from '../entrypoint.js';
import { notVerified, type EntrypointOutcome } from '../launch.js';
import type { VerifyReport } from '../verify.js';
import { exposureLines } from './probe-report.js';
import { formatRuntimeSarif } from './runtime-sarif.js';

export const CONTAINERS_NOTE =
  'Containers are not built: each command runs on this machine with the given Python ' +
  'and the environment its deploy file sets.';

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A service verify does not run, with its command when the deploy file gives one. */
function describeWithCommand(entrypoint: RuntimeEntrypoint): string {
  return entrypoint.argv.length > 0
    ? `${describeEntrypoint(entrypoint)}: ${entrypoint.argv.join(' ')}`
    : describeEntrypoint(entrypoint);
}

function statusLabel(outcome: EntrypointOutcome, colors: Colors): string {
  switch (outcome.status) {
    case 'exposed':
      return colors.red(colors.bold('EXPOSED'));
    case 'clean':
      return colors.green('clean');
    case 'not-started':
      return colors.yellow('did not start');
    case 'not-run':
      return colors.yellow('not run');
  }
}

export function formatVerifyText(report: VerifyReport, colors: Colors, width = Infinity): string {
  const out: string[] = [colors.dim(`Python: ${report.python.executable} (${report.python.version})`)];
  if (report.containersNotBuilt) out.push(colors.dim(CONTAINERS_NOTE));
  out.push('');
  for (const outcome of report.outcomes) {
    out.push(
      `${colors.underline(describeEntrypoint(outcome.entrypoint))}  ${colors.dim(outcome.entrypoint.argv.join(' '))}`,
    );
    out.push(`  ${statusLabel(outcome, colors)}${outcome.reason ? `  ${outcome.reason}` : ''}`);
    if (outcome.command) out.push(colors.dim(`  ran: ${outcome.command.map(shellQuote).join(' ')}`));
    if (outcome.envNames && outcome.envNames.length > 0)
      out.push(colors.dim(`  deploy environment: ${outcome.envNames.join(', ')}`));
    if (outcome.givenEnvNames)
      out.push(colors.dim(`  given environment (values not shown): ${outcome.givenEnvNames.join(', ')}`));
    if (outcome.skippedSteps && outcome.skippedSteps.length > 0)
      out.push(colors.dim(`  not run (not the server): ${outcome.skippedSteps.join('; ')}`));
    if (outcome.probe && outcome.probe.exposures.length > 0)
      out.push(...exposureLines(outcome.probe.exposures, colors, '  ', width));
    else if (outcome.status === 'clean') out.push(`  served ${outcome.url ?? ''}: no debugger, console or traceback`);
    if (outcome.status === 'not-started' && outcome.logTail.length > 0) {
      out.push(colors.dim('  log tail:'), ...outcome.logTail.map((line) => colors.dim(`  | ${line}`)));
    }
    if (outcome.stopped === false) out.push(colors.red(`  could not stop process group ${outcome.pid ?? ''}`));
    out.push('');
  }
  if (report.development.length > 0)
    out.push(colors.dim(`Not run (development): ${report.development.map(describeEntrypoint).join(', ')}`));
  if (report.otherServices.length > 0)
    out.push(colors.dim(`Not run (no Python web server): ${report.otherServices.map(describeWithCommand).join(', ')}`));
  const exposed = report.outcomes.filter((outcome) => outcome.status === 'exposed').length;
  const failed = report.outcomes.filter(notVerified).length;
  const total = plural(report.outcomes.length, 'production entrypoint');
  if (exposed > 0)
    out.push(colors.red(colors.bold(`Exposed: ${exposed} of ${total} serve the debugger, a console or a traceback.`)));
  else if (failed > 0) out.push(colors.yellow(`Not verified: ${failed} of ${total} could not be started and probed.`));
  else out.push(colors.green(`Clean: ${total} started on 127.0.0.1 and served no debugger.`));
  return `${out.join('\n')}\n`;
}

export function formatVerifyJson(report: VerifyReport): string {
  const body = {
    tool: { name: 'secure-flask', version: packageVersion() },
    python: report.python,
    containersBuilt: false,
    entrypoints: report.outcomes.map((outcome) => ({
      file: outcome.entrypoint.file,
      line: outcome.entrypoint.line,
      name: outcome.entrypoint.name,
      kind: outcome.entrypoint.kind,
      argv: outcome.entrypoint.argv,
      status: outcome.status,
      reason: outcome.reason,
      command: outcome.command,
      environment: outcome.envNames,
      ...(outcome.givenEnvNames ? { givenEnvironment: outcome.givenEnvNames } : {}),
      skippedSteps: outcome.skippedSteps,
      url: outcome.url,
      processGroup: outcome.pid,
      stopped: outcome.stopped,
      exposures: outcome.probe?.exposures ?? [],
      consoleLocked: outcome.probe?.consoleLocked,
      logTail: outcome.logTail,
    })),
    development: report.development.map((entrypoint) => ({
      file: entrypoint.file,
      name: entrypoint.name,
      argv: entrypoint.argv,
    })),
    otherServices: report.otherServices.map((entrypoint) => ({
      file: entrypoint.file,
      name: entrypoint.name,
      argv: entrypoint.argv,
    })),
    summary: {
      entrypoints: report.outcomes.length,
      exposed: report.outcomes.filter((outcome) => outcome.status === 'exposed').length,
      clean: report.outcomes.filter((outcome) => outcome.status === 'clean').length,
      notStarted: report.outcomes.filter(notVerified).length,
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function formatVerifySarif(report: VerifyReport): string {
  return formatRuntimeSarif({
    root: report.root,
    results: report.outcomes.flatMap((outcome) =>
      (outcome.probe?.exposures ?? []).map((exposure) => ({
        exposure,
        location: {
          uri: outcome.entrypoint.file,
          inRepository: true,
          ...(outcome.entrypoint.line ? { line: outcome.entrypoint.line } : {}),
        },
        context: `${describeEntrypoint(outcome.entrypoint)} started on 127.0.0.1`,
      })),
    ),
    failures: report.outcomes
      .filter(notVerified)
      .map((outcome) => `${describeEntrypoint(outcome.entrypoint)}: ${outcome.reason ?? 'did not start'}`),
  });
}
