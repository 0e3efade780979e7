import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { answeredHelpOrVersion, COMMON_OPTIONS, oneOf, parseCommandArgs, parseJobs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../core/usage-error.js';
import { leavesFileUnchecked } from '../files/source-text.js';
import { packageVersion } from '../core/version.js';
import { withOpenBuffers } from '../files/open-buffers.js';
import { applyBaseline, readBaselineFile } from './baseline.js';
import { formatGithub, formatGitlab, formatJunit, formatStatistics } from './report/ci-reports.js';
import { formatJson } from './report/json-report.js';
import { formatSarif } from './report/sarif-report.js';
import { plural } from '../core/wording.js';
import { formatText, outputWidth } from './report/text-report.js';
import { ruleIdList } from './rule-selection.js';
import { runCheck, type CheckOptions, type CheckReport } from './run-check.js';

const HELP = `Usage: secure-flask check [paths...] [options]

Finds every way the code and deploy files turn Flask's debug mode on: app.run(debug=True),
app.debug, DEBUG in config, Werkzeug's debugger, FLASK_DEBUG in env files, Dockerfiles,
compose, Kubernetes, Render and App Engine files, and dev servers in Procfiles, render.yaml,
app.yaml, supervisord and systemd units.

Paths default to the current folder. .gitignore is respected from the repository root;
node_modules, virtualenvs, build output and VCS folders are skipped, and so is test code.

Options:
  --format <fmt>              text, json, sarif, github (annotations), gitlab (Code Quality), junit (default: text)
  --output <file>             write the report to a file instead of stdout ('-' is stdout); never
                              over a file this run checks, nor one git tracks unless --force
  --force                     let --output replace a file git tracks
  --select <ids>              only these rules (comma-separated rule ids)
  --ignore <ids>              not these rules (comma-separated rule ids)
  --exclude <patterns>        gitignore-style patterns to leave out, instead of the config's
  --extend-exclude <patterns> patterns to leave out, besides the config's
  --config <file>             read settings from this file (.json, pyproject.toml or .toml)
  --baseline <file>           report only findings not in this earlier --format json report
  --baseline-ref <git-ref>    report only findings introduced since this commit
  --stdin-filename <name>     check standard input as the file <name> (editors, hooks)
  --exit-zero                 exit 0 even when there are findings
  --statistics                print the number of findings per rule instead of the findings
  -q, --quiet                 print the findings and nothing else
  --include-tests             also check tests/, test_*.py, *_test.py and conftest.py
  --jobs <n>                  threads: the main one and n-1 workers; 1 checks on the main thread only (default: cores)
  --verbose                   list every skipped file and why
  -h, --help                  show this help

Settings: .secure-flask.json at the root, or [tool.secure-flask] in the nearest pyproject.toml,
with the keys select, ignore (or disable), exclude, extend-exclude and baseline.
Suppress one finding with a comment on its line: # secure-flask: ignore[rule-id]. The comments
other tools' users already wrote for the same rule count too: # noqa: S201, # nosec B201, # nosemgrep.

Exit codes: 0 no findings, 1 findings, 2 usage or internal error, or a file that could hold a
finding was not checked (too large, unreadable) and is not excluded: the guard fails closed.
`;

const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export async function runCheckCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('secure-flask check', argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    select: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'extend-exclude': { type: 'string', multiple: true },
    config: { type: 'string' },
    baseline: { type: 'string' },
    'baseline-ref': { type: 'string' },
    'stdin-filename': { type: 'string' },
    'exit-zero': { type: 'boolean' },
    statistics: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    'include-tests': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    verbose: { type: 'boolean' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  const format = oneOf('secure-flask check', 'format', values.format, FORMATS, 'text');
  let jobs = parseJobs('secure-flask check', values.jobs);
  for (const flag of ['output', 'config', 'baseline', 'baseline-ref', 'stdin-filename'] as const) {
    if (values[flag] === '') throw new UsageError(`secure-flask check: --${flag} needs a value`);
  }
  const quiet = values.quiet === true;
  let paths = positionals.length > 0 ? positionals : ['.'];
  const stdinName = values['stdin-filename'];
  let stdinBuffer: Map<string, Buffer> | undefined;
  if (stdinName !== undefined) {
    if (positionals.length > 0)
      throw new UsageError('secure-flask check: --stdin-filename checks standard input: name no paths with it');
    if (!existsSync(resolve(stdinName)))
      throw new UsageError(
        `secure-flask check: --stdin-filename ${stdinName}: no such file ` +
          '(its folder and name place it in the project; save it once first)',
      );
    stdinBuffer = new Map([[resolve(stdinName), readFileSync(0)]]);
    paths = [stdinName];
    jobs = 1; // the text from standard input lives on this thread
  }

  const options: CheckOptions = {
    paths,
    includeTests: values['include-tests'] === true,
    cwd: process.cwd(),
    jobs,
    select: ruleIdList(values.select),
    ignore: ruleIdList(values.ignore),
    exclude: patternList(values.exclude),
    extendExclude: patternList(values['extend-exclude']),
    configFile: values.config,
  };
  const report = stdinBuffer ? await withOpenBuffers(stdinBuffer, () => runCheck(options)) : await runCheck(options);
  await leaveOutBaseline(report, options, values.baseline, values['baseline-ref']);
  if (!quiet)
    for (const warning of report.warnings)
      process.stderr.write(`secure-flask check: warning: ${warning.displayPath}:${warning.line}: ${warning.message}\n`);
  const target = values.output === undefined ? process.stdout : {};
  const rendered = values.statistics
    ? formatStatistics(report, format === 'json' ? 'json' : 'text')
    : render(format, report, () =>
        formatText(report, colorsFor(target), {
          verbose: values.verbose === true,
          quiet,
          width: values.output === undefined ? outputWidth(process.stdout) : Infinity,
        }),
      );
  if (values.output !== undefined) {
    const { writeReportFile } = await import('../files/write-output.js');
    await writeReportFile(values.output, rendered, {
      force: values.force === true,
      inputs: report.checkedFiles.map((file) => file.path),
    });
    if (!quiet && (format !== 'text' || report.findings.length > 0)) {
      process.stderr.write(
        `secure-flask check: ${plural(report.findings.length, 'finding')} written to ${values.output}\n`,
      );
    }
  } else {
    process.stdout.write(rendered);
  }
  if (report.findings.length > 0 && values['exit-zero'] !== true) return EXIT_FINDINGS;
  // Padding a file past the size limit, or making it unreadable, must not be a way to pass (--exit-zero included).
  const unchecked = report.skipped.filter((skip) => leavesFileUnchecked(skip.reason));
  if (unchecked.length > 0) {
    const sample =
      unchecked
        .slice(0, 3)
        .map((skip) => `${skip.displayPath}: ${skip.reason}`)
        .join(', ') + (unchecked.length > 3 ? ', ...' : '');
    const them = unchecked.length === 1 ? 'it' : 'them';
    process.stderr.write(
      `secure-flask check: error: ${plural(unchecked.length, 'file')} not checked (${sample}); ` +
        `fix ${them}, or exclude ${them} (--exclude or the config)\n`,
    );
    return EXIT_USAGE;
  }
  return EXIT_OK;
}

function render(format: Format, report: CheckReport, text: () => string): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
    case 'gitlab':
      return formatGitlab(report);
    case 'junit':
      return formatJunit(report);
    case 'text':
      return text();
  }
}

/** `--baseline FILE` (or `baseline` in the config) and `--baseline-ref REF`: only findings that are new. */
async function leaveOutBaseline(
  report: CheckReport,
  options: CheckOptions,
  file: string | undefined,
  ref: string | undefined,
): Promise<void> {
  const baselineFile = file !== undefined ? resolve(options.cwd, file) : report.config.baseline;
  if (baselineFile !== undefined)
    report.baselined = applyBaseline(report, readBaselineFile(baselineFile, file ?? baselineFile));
  if (ref !== undefined) {
    const { findingsAtRef } = await import('./baseline-ref.js');
    report.baselined = (report.baselined ?? 0) + applyBaseline(report, await findingsAtRef(ref, options, report));
  }
}

/** `--exclude a,b --exclude c`: Ruff's comma-separated lists, repeatable. */
function patternList(values: string[] | undefined): string[] | undefined {
  return values
    ?.flatMap((value) => value.split(','))
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}
