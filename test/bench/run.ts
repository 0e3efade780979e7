import { join } from 'node:path';
import { execa } from 'execa';
import { ensureTestPython, REPO_ROOT, venvBin } from '../support/python-env.js';
import { measure, medianOf, printTable, type Measurement } from './measure.js';

const SECURE_FLASK = join(REPO_ROOT, 'dist', 'bin', 'secure-flask.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function countJson(stdout: string, pick: (parsed: unknown) => number): string {
  try {
    return String(pick(JSON.parse(stdout)));
  } catch {
    return '?';
  }
}

/**
 * `npm run bench`: speed and memory of the CLI against the targets in PRODUCT.md,
 * printed as tables. Not a test: numbers on a shared machine are for reading.
 */
async function main(): Promise<void> {
  const python = await ensureTestPython();
  const node = process.execPath;

  const nodeStart = await medianOf(15, python, [node, '-e', '0']);
  const helpStart = await medianOf(15, python, [node, SECURE_FLASK, '--help']);
  printTable('CLI start-up (median of 15 runs)', ['command', 'wall time', 'peak memory'], [
    ['node -e 0', ms(nodeStart.seconds), mib(nodeStart.peakMemoryMiB)],
    ['secure-flask --help', ms(helpStart.seconds), mib(helpStart.peakMemoryMiB)],
  ]);

  const stdlib = (await execa(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])).stdout.trim();
  const fileCount = (await execa('find', [stdlib, '-name', '*.py', '-not', '-path', '*/site-packages/*'])).stdout.split('\n').length;
  // One untimed pass of each so the file cache is warm for all tools alike.
  await measure(python, [venvBin(python, 'ruff'), 'check', '--select', 'S201', '--no-cache', '--exit-zero', '--output-format', 'json', stdlib]);
  const tools: { name: string; command: string[]; count: (stdout: string) => string }[] = [
    {
      name: 'secure-flask check --include-tests',
      command: [node, SECURE_FLASK, 'check', '--include-tests', '--format', 'json', stdlib],
      count: (out) => countJson(out, (parsed) => (parsed as { findings: unknown[] }).findings.length),
    },
    {
      name: 'secure-flask migrate --json (dry run)',
      command: [node, SECURE_FLASK, 'migrate', '--include-tests', '--json', stdlib],
      count: (out) => countJson(out, (parsed) => (parsed as { files: { changes: unknown[] }[] }).files.reduce((sum, file) => sum + file.changes.length, 0)),
    },
    {
      name: 'ruff check --select S201',
      command: [venvBin(python, 'ruff'), 'check', '--select', 'S201', '--no-cache', '--exit-zero', '--output-format', 'json', stdlib],
      count: (out) => countJson(out, (parsed) => (parsed as { code: string }[]).filter((item) => item.code === 'S201').length),
    },
    {
      name: 'bandit -t B201',
      command: [venvBin(python, 'bandit'), '-q', '-r', '-t', 'B201', '-f', 'json', '-x', '*/site-packages/*', stdlib],
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
    const runs = [...samples.get(tool.name)!].sort((a, b) => a.seconds - b.seconds);
    const median = runs[Math.floor(runs.length / 2)]!;
    return [tool.name, ms(median.seconds), mib(median.peakMemoryMiB), tool.count(median.stdout), String(runs.length)];
  });
  printTable(`Python standard library (${stdlib}, ${fileCount} files), median of runs`, ['tool', 'wall time', 'peak memory', 'findings (migrate: changes)', 'runs'], rows);
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;

await main();
