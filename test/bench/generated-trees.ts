import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFlaskApps, writeLargeModule } from './generated-apps.js';
import { measure, printTable, type Measurement } from './measure.js';
import type { Goal } from './real-repositories.js';
import { must } from '../support/must.js';
import { PARSE_IN_WORKERS_FROM_BYTES } from '../../src/check/pool.js';

/** Runs commands in interleaved rounds (A B A B ...) and returns each one's median. */
async function interleaved(python: string, commands: string[][], runs: number, cwd?: string): Promise<Measurement[]> {
  for (const command of commands) await measure(python, command, cwd); // warms the file cache
  const samples: Measurement[][] = commands.map(() => []);
  for (let round = 0; round < runs; round++)
    for (const [index, command] of commands.entries()) must(samples[index]).push(await measure(python, command, cwd));
  return samples.map((runsOf) =>
    must([...runsOf].sort((a, b) => a.seconds - b.seconds)[Math.floor(runsOf.length / 2)]),
  );
}

function withTree<T>(prefix: string, fill: (root: string) => void, use: (root: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), `secure-flask-bench-${prefix}-`));
  fill(root);
  return use(root).finally(() => rmSync(root, { recursive: true, force: true }));
}

/** Files under a folder, and the bytes of Python among them: what parsing would cost if every file were parsed. */
function treeSize(folder: string): { files: number; pythonBytes: number } {
  let files = 0;
  let pythonBytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    if (entry.name.endsWith('.py')) pythonBytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, pythonBytes };
}

/**
 * migrate's dry run against check where parsing and fixing dominate: one 2 MB module, and
 * 2,000 small apps (a third with findings).
 */
export async function benchMigrateAgainstCheck(
  python: string,
  node: string,
  secureFlask: string,
  runs: number,
): Promise<Goal[]> {
  const cases: { name: string; fill: (root: string) => void }[] = [
    { name: 'one 2 MB module', fill: (root) => writeLargeModule(join(root, 'app.py'), 2 * 1024 * 1024) },
    { name: '2,000 small Flask apps', fill: (root) => writeFlaskApps(root, 2000) },
  ];
  const rows: string[][] = [];
  const goals: Goal[] = [];
  for (const { name, fill } of cases) {
    await withTree('migrate', fill, async (root) => {
      const [check, migrate] = await interleaved(
        python,
        [
          [node, secureFlask, 'check', '--format', 'json', root],
          [node, secureFlask, 'migrate', '--json', root],
        ],
        runs,
      );
      rows.push([
        name,
        ms(must(check).seconds),
        mib(must(check).peakMemoryMiB),
        ms(must(migrate).seconds),
        mib(must(migrate).peakMemoryMiB),
        `${(must(migrate).seconds / must(check).seconds).toFixed(2)}x`,
      ]);
      goals.push({
        name: `${name}: migrate dry run / check`,
        goal: '<= 2',
        value: must(migrate).seconds / must(check).seconds,
        limit: 2,
      });
    });
  }
  printTable(
    `check and migrate's dry run where parsing dominates, median of ${runs}`,
    ['tree', 'check', 'check peak', 'migrate --json', 'migrate peak', 'migrate / check'],
    rows,
  );
  return goals;
}

/**
 * Where worker threads start to pay: trees of more and more work, checked on the main thread only
 * (`--jobs 1`) and with the default (every core). check decides from the bytes of Python screening lets
 * through to the parser (src/check/pool.ts): below the threshold the default is the single thread, above
 * it the rows show what workers save. Two shapes: small apps (many files, a third of them parsed) and
 * 128 KiB modules with a finding each (every file parsed), so the crossover is seen in bytes either way.
 */
export async function benchWorkerCrossover(
  python: string,
  node: string,
  secureFlask: string,
  runs: number,
): Promise<void> {
  const rows: string[][] = [];
  const trees: { name: string; fill: (root: string) => void }[] = [
    ...[25, 400, 1600, 3200].map((apps) => ({
      name: `${apps} small apps`,
      fill: (root: string) => writeFlaskApps(root, apps),
    })),
    ...[2, 4, 8, 16, 32].map((modules) => ({
      name: `${modules} modules of 128 KiB`,
      fill: (root: string) => {
        for (let index = 0; index < modules; index++) writeLargeModule(join(root, `module_${index}.py`), 128 * 1024);
      },
    })),
  ];
  for (const { name, fill } of trees) {
    await withTree('crossover', fill, async (root) => {
      const [single, pooled] = await interleaved(
        python,
        [
          [node, secureFlask, 'check', '--jobs', '1', '--format', 'json', root],
          [node, secureFlask, 'check', '--format', 'json', root],
        ],
        runs,
      );
      // Every Python file of these trees passes screening: the Python in the tree is what is parsed.
      const { files, pythonBytes } = treeSize(root);
      rows.push([
        name,
        `${files} / ${filesParsed(must(single).stdout)}`,
        `${(pythonBytes / 1024).toFixed(0)} KiB`,
        pythonBytes >= PARSE_IN_WORKERS_FROM_BYTES ? 'yes' : 'no',
        ms(must(single).seconds),
        ms(must(pooled).seconds),
        `${(must(pooled).seconds / must(single).seconds).toFixed(2)}x`,
        mib(must(single).peakMemoryMiB),
        mib(must(pooled).peakMemoryMiB),
      ]);
    });
  }
  printTable(
    `Worker threads: check --jobs 1 against the default (${availableParallelism()} cores), median of ${runs}; ` +
      `workers parse from ${PARSE_IN_WORKERS_FROM_BYTES / 1024} KiB of Python to parse`,
    [
      'tree',
      'files / parsed',
      'Python parsed',
      'default uses workers',
      '--jobs 1',
      'default',
      'default / --jobs 1',
      '--jobs 1 peak',
      'default peak',
    ],
    rows,
  );
}

/** check's count of parsed files, from its JSON summary. */
function filesParsed(stdout: string): string {
  try {
    return String((JSON.parse(stdout) as { summary: { filesParsed: number } }).summary.filesParsed);
  } catch {
    return '?';
  }
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;
