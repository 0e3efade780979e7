import { dirname, relative } from 'node:path';
import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommandArgs, parseJobs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { outputWidth } from '../core/terminal-text.js';
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';
import { projectRootOf } from '../files/discover.js';
import { gitState } from './git-state.js';
import { countPlans, patchBytes, renderDiffs, renderJson, renderSummary } from './migration-report.js';
import { planExtras, planMigration, type FilePlan, type MigrationPlan } from './plan.js';
import { onInterruptedWrites } from '../files/atomic-write.js';
import { removeStaleTemps, writeExtraFile, writePlannedFile } from './write-files.js';

const HELP = `Usage: secure-flask migrate [paths...] [options]

Rewrites what 'secure-flask check' finds into environment-driven settings:
removes debug=True and DEBUG overrides (Flask reads FLASK_DEBUG itself), pins
production config classes to DEBUG = False, guards Werkzeug's debugger behind
a development check, drops FLASK_DEBUG from committed env and deploy files, and
replaces dev-server commands with Gunicorn (adding gunicorn.conf.py) when it is
certain what they serve, where packages are installed and where they listened;
otherwise it drops --debug and lists the command with the reason.

By default it prints the diffs and a summary and writes nothing; in a terminal
it then offers a review, per change, with single-key answers as git add -p:
y apply, n skip, a apply this and all remaining, q quit (keep what was
accepted), Ctrl+C cancel (write nothing).

Options:
  --write             apply every change without asking
  --patch <file>      write all changes as one patch (git apply / patch -p1); '-' is stdout
  --json              print the planned edits as JSON instead of diffs
  --pr-body           print a pull-request description (Markdown) instead of diffs:
                      what changed and why, behaviour changes, how to run locally
  --allow-dirty       write even when the git working tree has uncommitted changes
  --force             also rewrite read-only files, and write --patch over a file git tracks
  --include-tests     also migrate test code
  --jobs <n>          threads: the main one and n-1 workers; 1 works on the main thread only (default: cores)
  -h, --help          show this help

Files that do not parse are left byte-for-byte untouched; every rewrite is
re-parsed before it is written, and writes are atomic.

Exit codes: 0 nothing to do or changes applied, 1 changes pending (a dry run,
or a review quit early), 2 usage error or a file that could not be rewritten,
130 review cancelled with Ctrl+C.
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
    force: { type: 'boolean' },
    'include-tests': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  if (values.patch === '') throw new UsageError(`${command}: --patch needs a file name`);
  const jobs = parseJobs(command, values.jobs);
  const colors = colorsFor(process.stdout);
  if (values.json && values['pr-body'])
    throw new UsageError(`${command}: --json and --pr-body both choose the output; pick one`);
  const prBody = values['pr-body'] === true;
  if (values.patch === '-' && (values.json || prBody))
    throw new UsageError(
      `${command}: --patch - and --${values.json ? 'json' : 'pr-body'} both write to stdout; pick one`,
    );
  const interactive =
    !values.write &&
    !values.json &&
    !prBody &&
    values.patch === undefined &&
    process.stdin.isTTY === true &&
    process.stdout.isTTY === true;

  const paths = positionals.length > 0 ? positionals : ['.'];
  // The tree is judged before planning: a refused --write prints no diff, and our own patch file never makes it dirty.
  const treeProblem =
    values.write || interactive
      ? await uncleanTree(
          projectRootOf(paths, process.cwd()).root,
          values['allow-dirty'] === true,
          command,
          values.write === true,
        )
      : undefined;
  if (treeProblem && values.write) throw new UsageError(treeProblem);
  // A terminal dry run on a dirty tree is still a dry run: the same output and exit as when piped.
  if (treeProblem) process.stderr.write(`${treeProblem.replace(/^[^:]+: /, `${command}: no review: `)}\n`);
  const reviewing = interactive && !treeProblem;

  const plan = await planMigration({ paths, includeTests: values['include-tests'] === true, cwd: process.cwd(), jobs });
  const removed = removeStaleTemps([
    ...plan.report.checkedFiles.map((file) => dirname(file.path)),
    ...plan.extras.map((extra) => dirname(extra.path)),
  ]);
  if (removed.length > 0) {
    const paths = removed.map((path) => relative(process.cwd(), path)).join(', ');
    process.stderr.write(
      `${command}: removed ${removed.length} temp file${removed.length === 1 ? '' : 's'} ` +
        `an interrupted run left: ${paths}\n`,
    );
  }
  const changed = plan.files.filter((file) => file.status === 'changed');
  const counts = countPlans(plan);
  const failedExit = counts.failed > 0 ? EXIT_USAGE : undefined;

  if (values.json) process.stdout.write(renderJson(plan, counts));
  else if (prBody) process.stdout.write((await import('./pr-body.js')).renderPullRequestBody(plan));
  else if (values.patch !== '-') process.stdout.write(renderDiffs(changed, plan.extras, colors));
  if (values.patch !== undefined) {
    const { writeReportFile } = await import('../files/write-output.js');
    const inputs = [...plan.report.checkedFiles.map((file) => file.path), ...plan.extras.map((extra) => extra.path)];
    await writeReportFile(values.patch, patchBytes(changed, plan.extras), { force: values.force === true, inputs });
    const fileCount = changed.length + plan.extras.length;
    const where =
      values.patch === '-' ? 'standard output' : `${values.patch} (apply it with: git apply ${values.patch})`;
    process.stderr.write(
      `${command}: wrote the patch for ${fileCount} file${fileCount === 1 ? '' : 's'} to ${where}\n`,
    );
  }
  // The patch or pull-request body is the whole of stdout when it goes there; the summary goes to stderr then.
  const summaryStream = prBody || values.patch === '-' ? process.stderr : process.stdout;
  if (!values.json)
    summaryStream.write(renderSummary(plan, counts, colorsFor(summaryStream), 'migrate', outputWidth(summaryStream)));
  if (changed.length === 0) return failedExit ?? EXIT_OK;
  if (!values.write && !reviewing) return failedExit ?? EXIT_FINDINGS;

  let toWrite = changed;
  let pending = 0;
  if (reviewing) {
    const { reviewPlans } = await import('./review.js');
    const review = await reviewPlans(changed, colors);
    if (review.cancelled) {
      process.stdout.write(colors.yellow('Cancelled: nothing written.\n'));
      return EXIT_INTERRUPTED;
    }
    toWrite = review.accepted;
    pending = review.pending;
  }
  const out = prBody ? process.stderr : process.stdout;
  const exit = await writeAll(plan, toWrite, colors, out, values.force === true);
  if (pending > 0)
    out.write(
      `${pending} change${pending === 1 ? '' : 's'} not reviewed; run 'secure-flask migrate' again for them.\n`,
    );
  return exit !== EXIT_OK ? exit : pending > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Writing needs a clean git tree (so the diff is reviewable and undoable)
 * unless --allow-dirty. Returns why writing is refused, if it is. Outside git
 * it warns, before anything is planned or written, that there is no undo.
 */
async function uncleanTree(
  root: string,
  allowDirty: boolean,
  command: string,
  writeAll: boolean,
): Promise<string | undefined> {
  const state = await gitState(root);
  if (state.kind === 'not-a-repository') {
    const advice = writeAll
      ? '--write changes files without a review (a dry run or --patch shows them first)'
      : 'review each change before you accept it';
    process.stderr.write(`${command}: ${root} is not a git repository, so there is no undo: ${advice}\n`);
  } else if (allowDirty) {
    return undefined;
  } else if (state.kind === 'unknown') {
    return (
      `${command}: cannot tell whether the git working tree is clean (${state.reason}); ` +
      'fix that, or pass --allow-dirty'
    );
  } else if (state.kind === 'dirty') {
    const sample = state.files.slice(0, 3).join(', ') + (state.files.length > 3 ? ', ...' : '');
    return (
      `${command}: the git working tree has uncommitted changes (${sample}); ` +
      'commit or stash them, or pass --allow-dirty'
    );
  }
  return undefined;
}

async function writeAll(
  plan: MigrationPlan,
  accepted: FilePlan[],
  colors: ReturnType<typeof colorsFor>,
  out: NodeJS.WritableStream,
  force: boolean,
): Promise<number> {
  const root = plan.report.root;
  let written = 0;
  let failed = 0;
  const report = (name: string, result: Awaited<ReturnType<typeof writePlannedFile>>) => {
    if (result.ok) {
      written++;
      if (result.note) process.stderr.write(colors.yellow(`note: ${name}: ${result.note}\n`));
    } else {
      failed++;
      process.stderr.write(colors.red(`failed: ${name}: ${result.reason}\n`));
    }
  };
  // The summary above counted planned changes: after Ctrl+C, say how many were really written.
  // Listening before anything else: a signal that finds no listener ends the process silently.
  let total = accepted.length;
  const stopListening = onInterruptedWrites(() => {
    const files = `${total} file${total === 1 ? '' : 's'}`;
    const interrupted = `Interrupted: wrote ${written} of ${files}; the others are unchanged.`;
    out.write(`${colors.yellow(interrupted)}\n`);
  });
  // New files and requirement lines go with the changes that were accepted, and only those.
  const extras = planExtras(accepted, process.cwd(), root);
  total += extras.length;
  try {
    for (const file of accepted) {
      // Let a pending SIGINT/SIGTERM stop the run between files, never halfway through one.
      await new Promise((resolve) => setImmediate(resolve));
      report(file.file.displayPath, await writePlannedFile(file, root, undefined, force));
    }
    for (const extra of extras) report(extra.displayPath, await writeExtraFile(extra, root, force));
  } finally {
    stopListening();
  }
  const failures = failed > 0 ? colors.red(` ${failed} failed.`) : '';
  out.write(`${colors.green(`Wrote ${written} file${written === 1 ? '' : 's'}.`)}${failures}\n`);
  return failed > 0 || plan.files.some((file) => file.status === 'failed') ? EXIT_USAGE : EXIT_OK;
}
