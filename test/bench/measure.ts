import { execa } from 'execa';
import { must } from '../support/must.js';

export interface Measurement {
  seconds: number;
  peakMemoryMiB: number;
  stdout: string;
  exitCode: number;
}

// Python's getrusage(RUSAGE_CHILDREN) gives the child's peak RSS on every POSIX
// machine, with no dependency on GNU time being installed.
const RUSAGE_WRAPPER = `
import resource, subprocess, sys, time, json
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(json.dumps({"seconds": seconds, "peakKiB": peak_kib, "exitCode": done.returncode}))
sys.stdout.write(done.stdout.decode("utf-8", "replace"))
`;

/** Runs a command once and reports wall time, peak memory and its output. */
export async function measure(python: string, command: string[], cwd?: string): Promise<Measurement> {
  const result = await execa(python, ['-c', RUSAGE_WRAPPER, ...command], {
    cwd,
    reject: false,
    maxBuffer: 512 * 1024 * 1024,
    env: { NO_COLOR: '1' },
  });
  const stats = JSON.parse(String(result.stderr).trim().split('\n').at(-1) ?? '{}') as {
    seconds: number;
    peakKiB: number;
    exitCode: number;
  };
  return {
    seconds: stats.seconds,
    peakMemoryMiB: stats.peakKiB / 1024,
    stdout: String(result.stdout),
    exitCode: stats.exitCode,
  };
}

/** The median of several runs: these machines are shared, one run says little. */
export async function medianOf(runs: number, python: string, command: string[], cwd?: string): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(python, command, cwd));
  results.sort((a, b) => a.seconds - b.seconds);
  return must(results[Math.floor(results.length / 2)]);
}

export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(must(widths[column]))).join(' | ')} |`;
  process.stdout.write(`\n${title}\n\n${line(headers)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
