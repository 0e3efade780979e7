import { answeredHelpOrVersion, COMMON_OPTIONS, oneOf, parseCommandArgs, parseJobs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';
import { formatJson } from './report/json-report.js';
import { formatSarif } from './report/sarif-report.js';
import { formatText, outputWidth } from './report/text-report.js';
import { runCheck } from './run-check.js';

const HELP = `Usage: secure-flask check [paths...] [options]

Finds every way the code and deploy files turn Flask's debug mode on: app.run(debug=True),
app.debug, DEBUG in config, Werkzeug's debugger, FLASK_DEBUG in env files, Dockerfiles,
compose and Kubernetes files, and dev servers in Procfiles, supervisord and systemd units.

Paths default to the current folder. .gitignore is respected from the repository root;
node_modules, virtualenvs, build output and VCS folders are skipped, and so is test code.

Options:
  --format <text|json|sarif>  output format (default: text)
  --output <file>             write the report to a file instead of stdout
  --include-tests             also check tests/, test_*.py, *_test.py and conftest.py
  --jobs <n>                  threads: the main one and n-1 workers; 1 checks on the main thread only (default: cores)
  --verbose                   list every skipped file and why
  -h, --help                  show this help

Suppress one finding with a comment on its line: # secure-flask: ignore[rule-id]
Exclude paths or turn rules off in .secure-flask.json: {"exclude": ["legacy/"], "disable": []}

Exit codes: 0 no findings, 1 findings, 2 usage or internal error.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;

export async function runCheckCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('secure-flask check', argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'include-tests': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    verbose: { type: 'boolean' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  const format = oneOf('secure-flask check', 'format', values.format, FORMATS, 'text');
  const jobs = parseJobs('secure-flask check', values.jobs);
  if (values.output === '') throw new UsageError('secure-flask check: --output needs a file name');

  const report = await runCheck({ paths: positionals.length > 0 ? positionals : ['.'], includeTests: values['include-tests'] === true, cwd: process.cwd(), jobs });
  for (const warning of report.warnings) process.stderr.write(`secure-flask check: warning: ${warning.displayPath}:${warning.line}: ${warning.message}\n`);
  const target = values.output === undefined ? process.stdout : {};
  const rendered =
    format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : formatText(report, colorsFor(target), { verbose: values.verbose === true, width: values.output === undefined ? outputWidth(process.stdout) : Infinity });
  if (values.output !== undefined) {
    const { writeReportFile } = await import('../files/write-output.js');
    await writeReportFile(values.output, rendered);
    if (format !== 'text' || report.findings.length > 0) {
      process.stderr.write(`secure-flask check: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} written to ${values.output}\n`);
    }
  } else {
    process.stdout.write(rendered);
  }
  return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
