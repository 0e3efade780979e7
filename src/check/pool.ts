import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from '../files/discover.js';
import { loadPythonParser } from '../python/parser.js';
import { loadYaml } from '../files/yaml-library.js';
import { analyzeFileWithShell, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';
import { Screener, type Screening } from './screen-file.js';
import type { WorkerReply, WorkerResult, WorkerTask } from './worker.js';
import type { DeployModel } from '../deploy/model.js';

// Parsing costs by the byte: a batch of a few large files is as much work as many small ones.
const ANALYZE_BATCH_FILES = 8;
const ANALYZE_BATCH_BYTES = 256 * 1024;
// Workers pay for themselves only past some work: each one compiles the bundle (~40 ms of CPU) and
// tree-sitter (~25 ms), and reads again the files it parses. What they share is parsing, which costs by
// the byte: analysis starts them from this much Python to parse (the files screening let through), never
// from a file count. Measured on a shared 2-core machine, modules of 128 KiB with a finding each, default
// (one worker) against --jobs 1, whole-process wall time, paired medians of two sessions: 256 KiB 1.26x and
// 1.41x (slower), 512 KiB 0.88x and 1.02x, 1 MiB 0.84x and 0.91x, 2 MiB 1.06x and 0.87x, for 1.2-1.4x the
// CPU and ~20 MiB more memory. Screening (one read and a keyword scan per file) did not pay for them: 900
// to 7,400 files screened in workers took 0.94-1.04x the wall time of one thread, so it stays on this one.
// `npm run bench` prints the crossover (worker threads table).
export const PARSE_IN_WORKERS_FROM_BYTES = 1024 * 1024;
// Batches a worker holds at once: one to work on, one waiting, so it never idles on a round trip.
const IN_FLIGHT_PER_WORKER = 2;
const WORKER_URL = new URL('./worker.js', import.meta.url);
// Loaded when the first worker starts: most runs never start one, and never pay for the module.
let workerThreads: typeof import('node:worker_threads') | undefined;
const threads = () =>
  (workerThreads ??= createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads'));
// Nearly all a worker allocates (file text) dies with its file: a small young generation
// keeps the worker's memory flat instead of growing with the number of files it has seen.
const WORKER_YOUNG_GENERATION_MB = 8;

type Task = Omit<WorkerTask, 'id'>;

/**
 * Runs check's two passes. Screening (read, look for keywords) runs on this
 * thread. Analysis (decode, parse, detect) of the Python screening let through
 * runs on every core, this thread and `jobs - 1` workers, when there are enough
 * bytes to parse (PARSE_IN_WORKERS_FROM_BYTES). Batches are handed out as
 * workers finish, so a slow file delays only its own batch, and only results
 * (never sources or trees) come back. Small runs, and runs from TypeScript
 * sources (tests) that have no compiled worker, stay on this thread.
 */
export class CheckPool {
  private readonly workers: { worker: Worker; inFlight: number }[] = [];
  private readonly workerCount: number;
  private readonly files: DiscoveredFile[] = [];
  /** Batches not yet handed out, with the index of their results. */
  private readonly queue: { id: number; task: Task }[] = [];
  private results: WorkerResult[][] = [];
  private batches = 0;
  private batchesDone = 0;
  private failure: Error | undefined;
  private onProgress: (() => void) | undefined;
  private readonly screener: Screener;
  /** Python rules every project can trigger: a file screened in for one of them will be parsed. */
  private readonly parsedWithoutWaiting: Set<string>;

  constructor(
    private readonly rules: readonly Rule[],
    jobs = availableParallelism(),
    /** The whole catalog's ids: a suppression naming a rule left out of this run is not unknown. */
    knownRuleIds: readonly string[] = rules.map((rule) => rule.id),
  ) {
    // A worker builds its rules from the built-in catalog by id: a catalog of other rules (a test's) stays on
    // this thread.
    const builtIn = rules.every((rule) => RULES.includes(rule));
    this.workerCount = jobs > 1 && builtIn && existsSync(fileURLToPath(WORKER_URL)) ? jobs - 1 : 0;
    this.screener = new Screener(rules, knownRuleIds);
    this.parsedWithoutWaiting = new Set(
      rules.filter((rule) => rule.language === 'python' && !rule.projectKeywords).map((rule) => rule.id),
    );
  }

  /** Queues a file for screening. */
  add(file: DiscoveredFile): void {
    this.files.push(file);
  }

  /** Every queued file with its screening, in the order the files were added. */
  async screenings(): Promise<{ file: DiscoveredFile; screening: Screening }[]> {
    return this.files.map((file) => ({ file, screening: this.screen(file) }));
  }

  /**
   * Analyzes files with the given rules (ids), in order. `bytes` is each file's size as
   * screened: batches are bounded by bytes, and a little Python is parsed on this thread.
   */
  async analyze(
    files: readonly { file: DiscoveredFile; bytes: number }[],
    ruleIds: readonly string[],
    options: AnalyzeOptions,
    deploy: DeployModel,
  ): Promise<FileAnalysis[]> {
    // Deploy files are few and their rules read the run's deploy model, which lives on this thread:
    // they are analyzed here, and only Python is shared with workers (no model to copy to each).
    if (files.length === 0) return [];
    // A check of deploy files alone reads them as text; Python, and the fixes migrate plans for a
    // deploy file (they read the app's module), need tree-sitter on this thread.
    const needsParser = options.withFixes === true || files.some(({ file }) => file.kind === 'python');
    const parser = Promise.all([
      needsParser ? loadPythonParser() : undefined,
      files.some(({ file }) => file.kind === 'yaml') ? loadYaml() : undefined,
    ]);
    const python = files.filter(({ file }) => file.kind === 'python');
    const pythonAnalyses = await this.analyzePython(python, ruleIds, options, parser);
    if (python.length === files.length) return pythonAnalyses;
    await parser;
    const rules = this.rules.filter((rule) => ruleIds.includes(rule.id));
    const byPath = new Map(pythonAnalyses.map((analysis) => [analysis.file.path, analysis]));
    const analyses: FileAnalysis[] = [];
    for (const { file } of files)
      analyses.push(byPath.get(file.path) ?? (await analyzeFileWithShell(file, rules, options, deploy)));
    return analyses;
  }

  private async analyzePython(
    files: readonly { file: DiscoveredFile; bytes: number }[],
    ruleIds: readonly string[],
    options: AnalyzeOptions,
    parser: Promise<unknown>,
  ): Promise<FileAnalysis[]> {
    if (files.length === 0) return [];
    const total = files.reduce((sum, { bytes }) => sum + bytes, 0);
    // One file is parsed where it is: only several can be shared.
    if (this.workerCount > 0 && files.length > 1 && total >= PARSE_IN_WORKERS_FROM_BYTES) this.startWorkers();
    if (this.workers.length === 0 || files.length === 1 || total < PARSE_IN_WORKERS_FROM_BYTES) {
      await parser;
      const rules = this.rules.filter((rule) => ruleIds.includes(rule.id));
      const analyses: FileAnalysis[] = [];
      // Analyzed here, a file migrate will rewrite keeps its parse for the re-parse of the rewrite.
      for (const { file } of files)
        analyses.push(await analyzeFileWithShell(file, rules, options, undefined, options.withFixes));
      return analyses;
    }
    let batch: DiscoveredFile[] = [];
    let batchBytes = 0;
    for (const { file, bytes } of files) {
      if (batch.length > 0 && (batch.length === ANALYZE_BATCH_FILES || batchBytes + bytes > ANALYZE_BATCH_BYTES)) {
        this.enqueue({ kind: 'analyze', files: batch, ruleIds, options });
        batch = [];
        batchBytes = 0;
      }
      batch.push(file);
      batchBytes += bytes;
    }
    if (batch.length > 0) this.enqueue({ kind: 'analyze', files: batch, ruleIds, options });
    await parser;
    const results = await this.runQueue();
    return results.flatMap((result, index) => {
      const task = files[index];
      return task ? [{ file: task.file, ...result }] : [];
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map(({ worker }) => worker.terminate()));
  }

  private screen(file: DiscoveredFile): Screening {
    const screening = this.screener.screen(file);
    this.prepareParser(screening);
    return screening;
  }

  /** Starts loading tree-sitter (WebAssembly compiles off this thread) as soon as a file will need it. */
  private prepareParser(screening: Screening): void {
    // A failure surfaces where the parser is awaited.
    if (screening.ruleIds.some((id) => this.parsedWithoutWaiting.has(id))) loadPythonParser().catch(() => {});
  }

  private enqueue(task: Task): void {
    this.queue.push({ id: this.batches++, task });
    this.dispatch();
  }

  /** Hands queued batches to workers that have room. */
  private dispatch(): void {
    for (const slot of this.workers) {
      while (slot.inFlight < IN_FLIGHT_PER_WORKER && this.queue.length > 0) {
        const next = this.queue.shift();
        if (!next) break;
        const { id, task } = next;
        slot.inFlight++;
        slot.worker.postMessage({ ...task, id } satisfies WorkerTask);
      }
    }
  }

  /**
   * Works through the queue on this thread too, newest batch first (workers take the
   * oldest), then waits for the workers' last replies. Returns every result of this
   * round in batch order, and starts the next round.
   */
  private async runQueue(): Promise<WorkerResult[]> {
    const rulesForAnalysis = new Map<string, Rule[]>();
    while (this.queue.length > 0 && !this.failure) {
      const next = this.queue.pop();
      if (!next) break;
      const { id, task } = next;
      const key = task.ruleIds.join(',');
      if (!rulesForAnalysis.has(key))
        rulesForAnalysis.set(
          key,
          this.rules.filter((rule) => task.ruleIds.includes(rule.id)),
        );
      const results: WorkerResult[] = [];
      for (const file of task.files) {
        const { file: _file, ...result } = await analyzeFileWithShell(
          file,
          rulesForAnalysis.get(key) ?? [],
          task.options,
        );
        results.push(result);
      }
      this.results[id] = results;
      this.batchesDone++;
      // Replies that arrived meanwhile free their workers for the next batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    while (this.batchesDone < this.batches && !this.failure) {
      await new Promise<void>((resolve) => (this.onProgress = resolve));
    }
    if (this.failure) throw this.failure;
    const results = this.results.flat();
    this.results = [];
    this.batches = 0;
    this.batchesDone = 0;
    return results;
  }

  private startWorkers(): void {
    while (this.workers.length < this.workerCount) this.startWorker();
  }

  private startWorker(): void {
    const worker = new (threads().Worker)(WORKER_URL, {
      workerData: { ruleIds: this.rules.map((rule) => rule.id) },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const slot = { worker, inFlight: 0 };
    this.workers.push(slot);
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    const fail = (error: Error) => {
      this.failure ??= error;
      this.onProgress?.();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0 && this.batchesDone < this.batches) fail(new Error(`a check worker exited with code ${code}`));
    });
  }

  private onReply(slot: (typeof this.workers)[number], reply: WorkerReply): void {
    slot.inFlight--;
    this.results[reply.id] = reply.results;
    this.batchesDone++;
    this.dispatch();
    this.onProgress?.();
  }
}
