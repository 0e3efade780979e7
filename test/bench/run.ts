import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { assertNoInstalledPackages, repeatedTree } from './corpus.js';
import { writeFlaskApps } from './generated-apps.js';
import { benchMigrateAgainstCheck, benchWorkerCrossover } from './generated-trees.js';
import { benchRealRepositories, type Goal } from './real-repositories.js';
import { ensureTestPython, REPO_ROOT, venvBin } from '../support/python-env.js';
import { measure, medianOf, printTable, type Measurement } from './measure.js';
import { must } from '../support/must.js';

// The package's bin (package.json), as `secure-flask` runs it once installed.
const SECURE_FLASK = join(REPO_ROOT, 'dist', 'bin', 'secure-flask.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FLASK_APPS_AMONG_STDLIB = 100;

function countJson(stdout: string, pick: (parsed: unknown) => number): string {
  try {
    return String(pick(JSON.parse(stdout)));
  } catch {
    return '?';
  }
}

/**
 * `npm run bench`: speed and memory of the CLI against the product's performance targets,
 * printed as tables. Not a test: numbers on a shared machine are for reading.
 */
async function main(): Promise<void> {
  const python = await ensureTestPython();
  const node = process.execPath;

  const nodeStart = await medianOf(15, python, [node, '-e', '0']);
  const helpStart = await medianOf(15, python, [node, SECURE_FLASK, '--help']);
  printTable(
    'CLI start-up (median of 15 runs)',
    ['command', 'wall time', 'peak memory'],
    [
      ['node -e 0', ms(nodeStart.seconds), mib(nodeStart.peakMemoryMiB)],
      ['secure-flask --help', ms(helpStart.seconds), mib(helpStart.peakMemoryMiB)],
    ],
  );

  const realRepositories = await benchRealRepositories(python, node, SECURE_FLASK, venvBin(python, 'ruff'), RUNS);

  const stdlib = (
    await execa(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
  ).stdout.trim();
  // The standard library with ~100 small Flask apps among its files, so parsing is part of the work.
  // Its site-packages is left out (repeatedTree): whatever this machine installed there (Flask, say)
  // would be parsed too, and the row would measure the packages instead of the stdlib.
  const tree = repeatedTree(stdlib, 1);
  assertNoInstalledPackages(tree);
  writeFlaskApps(join(tree, 'copy-1', 'flask_apps'), FLASK_APPS_AMONG_STDLIB);
  const fileCount = (await execa('find', [tree, '-name', '*.py'])).stdout.split('\n').length;
  const ruffS201 = [
    venvBin(python, 'ruff'),
    'check',
    '--select',
    'S201',
    '--no-cache',
    '--exit-zero',
    '--output-format',
    'json',
    tree,
  ];
  // One untimed pass of each so the file cache is warm for all tools alike.
  await measure(python, ruffS201);
  const tools: { name: string; command: string[]; count: (stdout: string) => string }[] = [
    {
      name: 'secure-flask check --include-tests',
      command: [node, SECURE_FLASK, 'check', '--include-tests', '--format', 'json', tree],
      count: (out) => countJson(out, (parsed) => (parsed as { findings: unknown[] }).findings.length),
    },
    {
      name: 'secure-flask migrate --json (dry run)',
      command: [node, SECURE_FLASK, 'migrate', '--include-tests', '--json', tree],
      count: (out) =>
        countJson(out, (parsed) =>
          (parsed as { files: { changes: unknown[] }[] }).files.reduce((sum, file) => sum + file.changes.length, 0),
        ),
    },
    {
      name: 'ruff check --select S201',
      command: ruffS201,
      count: (out) =>
        countJson(out, (parsed) => (parsed as { code: string }[]).filter((item) => item.code === 'S201').length),
    },
    {
      name: 'bandit -t B201',
      command: [venvBin(python, 'bandit'), '-q', '-r', '-t', 'B201', '-f', 'json', '-x', '*/site-packages/*', tree],
      count: (out) => countJson(out, (parsed) => (parsed as { results: unknown[] }).results.length),
    },
  ];
  // Rounds interleave the tools, so load that drifts on a shared machine hits them alike.
  const samples = new Map<string, Measurement[]>();
  for (let round = 0; round < RUNS; round++) {
    for (const tool of tools) {
      if (tool.name.startsWith('bandit') && round > 0) continue; // about a minute a run
      samples.set(tool.name, [...(samples.get(tool.name) ?? []), await measure(python, tool.command)]);
    }
  }
  const rows = tools.map((tool) => {
    const runs = [...must(samples.get(tool.name))].sort((a, b) => a.seconds - b.seconds);
    const median = must(runs[Math.floor(runs.length / 2)]);
    return [tool.name, ms(median.seconds), mib(median.peakMemoryMiB), tool.count(median.stdout), String(runs.length)];
  });
  rmSync(tree, { recursive: true, force: true });
  printTable(
    `Python standard library (${stdlib}, its site-packages and __pycache__ left out) with ${FLASK_APPS_AMONG_STDLIB} small Flask apps among its files (${fileCount} Python files), median of runs`,
    ['tool', 'wall time', 'peak memory', 'findings (migrate: changes)', 'runs'],
    rows,
  );

  const migrateAgainstCheck = await benchMigrateAgainstCheck(python, node, SECURE_FLASK, RUNS);
  await benchWorkerCrossover(python, node, SECURE_FLASK, RUNS);

  // Growth with the size of the tree: the same files 1, 4 and 10 times over (hard links).
  const checkCommand = (path: string) => [node, SECURE_FLASK, 'check', '--include-tests', '--format', 'json', path];
  const scale: { copies: number; files: string; run: Measurement }[] = [];
  for (const copies of [1, 4, 10]) {
    const copiesTree = repeatedTree(stdlib, copies);
    try {
      await measure(python, checkCommand(copiesTree)); // warms the file cache for this tree
      const run = await medianOf(copies === 1 ? RUNS : 1, python, checkCommand(copiesTree));
      scale.push({
        copies,
        files: countJson(
          run.stdout,
          (parsed) => (parsed as { summary: { filesChecked: number } }).summary.filesChecked,
        ),
        run,
      });
    } finally {
      rmSync(copiesTree, { recursive: true, force: true });
    }
  }
  printTable(
    'secure-flask check on 1x, 4x and 10x the standard library',
    ['tree', 'files checked', 'wall time', 'ms per 1,000 files', 'peak memory'],
    scale.map(({ copies, files, run }) => [
      `${copies}x`,
      files,
      ms(run.seconds),
      Number(files) > 0 ? ((run.seconds * 1e6) / Number(files)).toFixed(0) : '?',
      mib(run.peakMemoryMiB),
    ]),
  );

  // The performance targets, from the figures above.
  const wall = (name: string) =>
    must(
      [...must(samples.get(name))].sort((a, b) => a.seconds - b.seconds)[
        Math.floor(must(samples.get(name)).length / 2)
      ],
    ).seconds;
  const check = wall(must(tools[0]).name);
  const tenfold = must(scale.at(-1)).run.peakMemoryMiB;
  const goals: Goal[] = [
    ...realRepositories,
    {
      name: 'check / ruff --select S201 (stdlib with Flask apps, wall time)',
      goal: '<= 0.5',
      value: check / wall(must(tools[2]).name),
      limit: 0.5,
    },
    {
      name: 'migrate dry run / check (stdlib with Flask apps, wall time)',
      goal: '<= 1.2',
      value: wall(must(tools[1]).name) / check,
      limit: 1.2,
    },
    ...migrateAgainstCheck,
    {
      name: 'secure-flask --help / node -e 0 (wall time)',
      goal: '<= 1.3',
      value: helpStart.seconds / nodeStart.seconds,
      limit: 1.3,
    },
    { name: 'peak memory of check on the 10x tree (MiB)', goal: '< 200', value: tenfold, limit: 200 },
    {
      name: 'peak memory 10x / 1x (growth with file count)',
      goal: '~1',
      value: tenfold / must(scale[0]).run.peakMemoryMiB,
      limit: Number.POSITIVE_INFINITY,
    },
  ];
  printTable(
    'Goals',
    ['measure', 'goal', 'measured', 'met'],
    goals.map(({ name, goal, value, limit }) => [
      name,
      goal,
      value.toFixed(2),
      limit === Number.POSITIVE_INFINITY ? '-' : value <= limit ? 'yes' : 'no',
    ]),
  );
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;

await main();
