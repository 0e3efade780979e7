import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommandArgs, parseJobs } from '../cli/args.js';
import { colorsFor } from '../cli/colors.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../cli/usage-error.js';
import { packageVersion } from '../cli/version.js';
import { gitState } from './git-state.js';
import { countPlans, patchBytes, renderDiffs, renderJson, renderSummary } from './migration-report.js';
import { planExtras, planMigration, type FilePlan, type MigrationPlan } from './plan.js';
import { writeExtraFile, writePlannedFile } from './write-files.js';

const HELP = `Usage: secure-flask migrate [paths...] [options]

Rewrites what 'secure-flask check' finds into environment-driven settings:
removes debug=True and DEBUG overrides (Flask reads FLASK_DEBUG itself), pins
production config classes to DEBUG = False, guards Werkzeug's debugger behind
a development check, drops FLASK_DEBUG from committed env and deploy files, and
replaces dev-server commands with Gunicorn (adding gunicorn.conf.py) when it is
certain what they serve, where packages are installed and where they listened;
otherwise it drops --debug and lists the command with the reason.

By default it prints the diffs and a summary and writes nothing; in a terminal
it then offers a review (accept, skip, accept all, quit), per change.

Options:
  --write             apply every change without asking
  --patch <file>      write all changes as one patch (git apply / patch -p1)
  --json              print the planned edits as JSON instead of diffs
  --pr-body           print a pull-request description (Markdown) instead of diffs:
                      what changed and why, behaviour changes, how to run locally
  --allow-dirty       write even when the git working tree has uncommitted changes
  --include-tests     also migrate test code
  --jobs <n>          worker threads; 1 works on the main thread (default: one per core)
  -h, --help          show this help

Files that do not parse are left byte-for-byte untouched; every rewrite is
re-parsed before it is written, and writes are atomic.

Exit codes: 0 nothing to do or changes applied, 1 changes pending (dry run),
2 usage error, or a file that could not be rewritten.
`;

export async function runMigrateCommand(argv: string[]): Promise<number> {
  const command = 'secure-flask migrate';
  const { values, positionals } = parseCommandArgs(command, argv, {
    ...COMMON_OPTIONS,
    write: { type: 'boolean' },
    patch: { type: 'string' },
    json: { type: 'boolean' },
    'pr-body': { type: 'boolean' },
    'allow-dirty': { type: 'boolean' },
    'include-tests': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  if (values.patch === '') throw new UsageError(`${command}: --patch needs a file name`);
  const jobs = parseJobs(command, values.jobs);
  const colors = colorsFor(process.stdout);
  if (values.json && values['pr-body']) throw new UsageError(`${command}: --json and --pr-body both choose the output; pick one`);
  const prBody = values['pr-body'] === true;
  const interactive = !values.write && !values.json && !prBody && values.patch === undefined && process.stdin.isTTY === true && process.stdout.isTTY === true;

  const plan = await planMigration({ paths: positionals.length > 0 ? positionals : ['.'], includeTests: values['include-tests'] === true, cwd: process.cwd(), jobs });
  const changed = plan.files.filter((file) => file.status === 'changed');
  const counts = countPlans(plan);

  if (values.json) process.stdout.write(renderJson(plan, counts));
  else if (prBody) process.stdout.write((await import('./pr-body.js')).renderPullRequestBody(plan));
  else process.stdout.write(renderDiffs(changed, plan.extras, colors));
  if (values.patch !== undefined) {
    const { writeReportFile } = await import('../files/write-output.js');
    await writeReportFile(values.patch, patchBytes(changed, plan.extras));
  }
  // The pull-request body is the whole of stdout (fleet tools capture it); the summary goes to stderr then.
  if (!values.json) (prBody ? process.stderr : process.stdout).write(renderSummary(plan, counts, prBody ? colorsFor(process.stderr) : colors, 'migrate'));
  if (changed.length === 0) return counts.failed > 0 ? EXIT_USAGE : EXIT_OK;
  if (!values.write && !interactive) return counts.failed > 0 ? EXIT_USAGE : EXIT_FINDINGS;

  await requireCleanTree(plan.report.root, values['allow-dirty'] === true, command);
  let toWrite = changed;
  if (interactive) {
    const { reviewPlans } = await import('./review.js');
    toWrite = await reviewPlans(changed, colors);
  }
  return writeAll(plan, toWrite, colors, prBody ? process.stderr : process.stdout);
}

/** Writing needs a clean git tree (so the diff is reviewable and undoable) unless --allow-dirty. */
async function requireCleanTree(root: string, allowDirty: boolean, command: string): Promise<void> {
  const state = await gitState(root);
  if (state.kind === 'not-a-repository') {
    process.stderr.write(`${command}: ${root} is not a git repository: there is no undo, review the diff above\n`);
  } else if (state.kind === 'dirty' && !allowDirty) {
    const sample = state.files.slice(0, 3).join(', ') + (state.files.length > 3 ? ', ...' : '');
    throw new UsageError(`${command}: the git working tree has uncommitted changes (${sample}); commit or stash them, or pass --allow-dirty`);
  }
}

async function writeAll(plan: MigrationPlan, accepted: FilePlan[], colors: ReturnType<typeof colorsFor>, out: NodeJS.WritableStream): Promise<number> {
  let written = 0;
  let failed = 0;
  for (const file of accepted) {
    const result = await writePlannedFile(file);
    if (result.ok) written++;
    else {
      failed++;
      process.stderr.write(colors.red(`failed: ${file.file.displayPath}: ${result.reason}\n`));
    }
  }
  // New files and requirement lines go with the changes that were accepted, and only those.
  for (const extra of planExtras(accepted, process.cwd(), plan.report.root)) {
    const result = await writeExtraFile(extra);
    if (result.ok) written++;
    else {
      failed++;
      process.stderr.write(colors.red(`failed: ${extra.displayPath}: ${result.reason}\n`));
    }
  }
  out.write(`${colors.green(`Wrote ${written} file${written === 1 ? '' : 's'}.`)}${failed > 0 ? colors.red(` ${failed} failed.`) : ''}\n`);
  return failed > 0 || plan.files.some((file) => file.status === 'failed') ? EXIT_USAGE : EXIT_OK;
}
