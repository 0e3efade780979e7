import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFlaskApps, writeLargeModule } from './generated-apps.js';
import { measure, printTable, type Measurement } from './measure.js';
import type { Goal } from './real-repositories.js';
import { must } from '../support/must.js';
import { PARSE_IN_WORKERS_FROM_BYTES, SCREEN_IN_WORKERS_FROM_FILES } from '../../src/check/pool.js';

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
 * Where worker threads start to pay: trees of more and more small apps, checked on the main
 * thread only (`--jobs 1`) and with the default (every core). check decides from the files the
 * walk finds (screening) and the bytes screening lets through to the parser (src/check/pool.ts):
 * below both thresholds the default is the single thread, above them it shows what workers save.
 */
export async function benchWorkerCrossover(
  python: string,
  node: string,
  secureFlask: string,
  runs: number,
): Promise<void> {
  const rows: string[][] = [];
  // 1,600 apps: ~3,700 files, ~1.8 MB of Python; 3,200 apps cross the parsing threshold too.
  for (const apps of [25, 100, 400, 1600, 3200]) {
    await withTree(
      `crossover-${apps}`,
      (root) => writeFlaskApps(root, apps),
      async (root) => {
        const [single, pooled] = await interleaved(
          python,
          [
            [node, secureFlask, 'check', '--jobs', '1', '--format', 'json', root],
            [node, secureFlask, 'check', '--format', 'json', root],
          ],
          runs,
        );
        const { files, pythonBytes } = treeSize(root);
        const workersFor = [
          ...(files >= SCREEN_IN_WORKERS_FROM_FILES ? ['screening'] : []),
          ...(pythonBytes >= PARSE_IN_WORKERS_FROM_BYTES ? ['parsing'] : []),
        ];
        rows.push([
          String(apps),
          String(files),
          `${(pythonBytes / 1024).toFixed(0)} KiB`,
          workersFor.length > 0 ? workersFor.join(', ') : 'none',
          ms(must(single).seconds),
          ms(must(pooled).seconds),
          `${(must(pooled).seconds / must(single).seconds).toFixed(2)}x`,
        ]);
      },
    );
  }
  printTable(
    `Worker threads: check --jobs 1 against the default (${availableParallelism()} cores), median of ${runs}; ` +
      `workers screen from ${SCREEN_IN_WORKERS_FROM_FILES} files and parse from ` +
      `${PARSE_IN_WORKERS_FROM_BYTES / 1024 / 1024} MiB of Python`,
    ['small apps', 'files', 'Python', 'default uses workers for', '--jobs 1', 'default', 'default / --jobs 1'],
    rows,
  );
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;
