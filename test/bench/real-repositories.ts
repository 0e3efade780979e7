import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corpusEntries, DEFAULT_CORPUS_CACHE } from './export-corpus.js';
import { measure, printTable, type Measurement } from './measure.js';
import { must } from '../support/must.js';

export interface Goal {
  name: string;
  goal: string;
  value: number;
  limit: number;
}

interface Tool {
  name: string;
  command: (repository: string) => string[];
}

/**
 * check, migrate's dry run, Ruff S201 and `node -e 0` on each repository of the corpus
 * (test/bench/flask-corpus.txt, exported by `npm run bench:corpus`), interleaved: each round
 * runs the four commands on one repository after another, so drifting load on a shared
 * machine hits them alike. Per repository the median of the rounds; totals are sums of medians.
 */
export async function benchRealRepositories(
  python: string,
  node: string,
  secureFlask: string,
  ruff: string,
  runs: number,
): Promise<Goal[]> {
  const cache = process.env.BENCH_CORPUS ?? DEFAULT_CORPUS_CACHE;
  const entries = corpusEntries().filter((entry) => existsSync(join(cache, entry.folder)));
  if (entries.length === 0) {
    process.stdout.write(
      `\nReal repositories: no corpus in ${cache}. Export it once with\n` +
        '  npm run bench:corpus -- <folder of git clones or bare snapshots of the repositories in test/bench/flask-corpus.txt>\n' +
        '(or set BENCH_CORPUS to a folder that holds them); the other rows follow.\n',
    );
    return [];
  }
  const tools: Tool[] = [
    { name: 'node -e 0', command: () => [node, '-e', '0'] },
    { name: 'check', command: () => [node, secureFlask, 'check', '--format', 'json', '.'] },
    { name: 'migrate --json', command: () => [node, secureFlask, 'migrate', '--json', '.'] },
    { name: 'ruff S201', command: () => [ruff, 'check', '--select', 'S201', '--no-cache', '--exit-zero', '.'] },
  ];
  const samples = new Map<string, Measurement[]>();
  const key = (repository: string, tool: Tool) => `${repository}\0${tool.name}`;
  for (const entry of entries)
    for (const tool of tools) await measure(python, tool.command(entry.folder), join(cache, entry.folder)); // warms the file cache
  for (let round = 0; round < runs; round++) {
    for (const entry of entries) {
      for (const tool of tools) {
        const run = await measure(python, tool.command(entry.folder), join(cache, entry.folder));
        samples.set(key(entry.repository, tool), [...(samples.get(key(entry.repository, tool)) ?? []), run]);
      }
    }
  }
  const median = (repository: string, tool: Tool): Measurement => {
    const runsOf = [...(samples.get(key(repository, tool)) ?? [])].sort((a, b) => a.seconds - b.seconds);
    return must(runsOf[Math.floor(runsOf.length / 2)]);
  };
  const [nodeTool, checkTool, migrateTool, ruffTool] = tools as [Tool, Tool, Tool, Tool];
  const rows = entries.map((entry) => {
    const check = median(entry.repository, checkTool);
    const summary = parseSummary(check.stdout);
    return {
      repository: entry.repository,
      files: summary ? `${summary.filesChecked}/${summary.filesParsed}` : '?',
      node: median(entry.repository, nodeTool).seconds,
      check: check.seconds,
      migrate: median(entry.repository, migrateTool).seconds,
      ruff: median(entry.repository, ruffTool).seconds,
      peak: check.peakMemoryMiB,
    };
  });
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const totals = {
    node: sum((row) => row.node),
    check: sum((row) => row.check),
    migrate: sum((row) => row.migrate),
    ruff: sum((row) => row.ruff),
  };
  const worst = rows.reduce((a, b) => (b.check / b.node > a.check / a.node ? b : a));
  printTable(
    `Real repositories (${rows.length} from test/bench/flask-corpus.txt), median of ${runs} interleaved rounds`,
    [
      'repository',
      'files checked/parsed',
      'node -e 0',
      'check',
      'migrate --json',
      'ruff S201',
      'check / node',
      'migrate / check',
      'check peak',
    ],
    [
      ...rows.map((row) => [
        row.repository,
        row.files,
        ms(row.node),
        ms(row.check),
        ms(row.migrate),
        ms(row.ruff),
        ratio(row.check / row.node),
        ratio(row.migrate / row.check),
        `${row.peak.toFixed(0)} MiB`,
      ]),
      [
        'total',
        '',
        ms(totals.node),
        ms(totals.check),
        ms(totals.migrate),
        ms(totals.ruff),
        ratio(totals.check / totals.node),
        ratio(totals.migrate / totals.check),
        '',
      ],
    ],
  );
  process.stdout.write(
    `\nWorst check / node -e 0: ${worst.repository} (${ratio(worst.check / worst.node)}: ${ms(worst.check)} against ${ms(worst.node)})\n`,
  );
  return [
    {
      name: 'real repositories: check / node -e 0 (summed)',
      goal: '<= 2',
      value: totals.check / totals.node,
      limit: 2,
    },
    {
      name: `real repositories: worst check / node -e 0 (${worst.repository})`,
      goal: '<= 4',
      value: worst.check / worst.node,
      limit: 4,
    },
    {
      name: 'real repositories: migrate dry run / check (summed)',
      goal: '<= 1.2',
      value: totals.migrate / totals.check,
      limit: 1.2,
    },
  ];
}

function parseSummary(stdout: string): { filesChecked: number; filesParsed: number } | undefined {
  try {
    return (JSON.parse(stdout) as { summary: { filesChecked: number; filesParsed: number } }).summary;
  } catch {
    return undefined;
  }
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const ratio = (value: number) => `${value.toFixed(2)}x`;
