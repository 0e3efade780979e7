import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from './discover.js';
import { loadPythonParser } from '../python/parser.js';
import { analyzeFile, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';
import type { WorkerResult } from './worker.js';

const BATCH_SIZE = 24;
// Below this many files, checking inline beats waiting for workers to load tree-sitter.
const INLINE_BELOW = 64;
const WORKER_URL = new URL('./worker.js', import.meta.url);
// Nearly all a worker allocates (file bytes, text) dies with its file: a small young generation
// keeps the worker's memory flat instead of growing with the number of files it has seen.
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Checks files on every core while the tree is still being walked: workers
 * start before the walk (loading tree-sitter overlaps it) and get batches of
 * files as they are found; each worker reads, screens by keyword and parses
 * its files. Measured on 2 cores, this beats screening on the walking thread.
 * Small runs, and runs from TypeScript sources (tests) that have no compiled
 * worker, stay inline.
 */
export class AnalysisPool {
  private workers: Worker[] = [];
  private readonly workerCount: number;
  private readonly files: DiscoveredFile[] = [];
  private pending: DiscoveredFile[] = [];
  private readonly results: FileAnalysis[][] = [];
  /** The files of each batch still out, to pair with its reply (replies carry no paths). */
  private readonly batchFiles = new Map<number, DiscoveredFile[]>();
  private readonly outstanding: number[] = [];
  private batchesSent = 0;
  private batchesDone = 0;
  private failure: Error | undefined;
  private onProgress: (() => void) | undefined;

  constructor(
    private readonly rules: readonly Rule[],
    jobs = availableParallelism(),
    private readonly options: AnalyzeOptions = {},
  ) {
    this.workerCount = jobs > 1 && existsSync(fileURLToPath(WORKER_URL)) ? jobs : 0;
  }

  /**
   * Queues a file. Workers start once the walk has found enough files to be
   * worth them (a small project never pays for them), then get batches as the
   * walk goes on.
   */
  add(file: DiscoveredFile): void {
    this.files.push(file);
    if (this.workerCount === 0) return;
    this.pending.push(file);
    if (this.files.length === INLINE_BELOW) this.workers = Array.from({ length: this.workerCount }, () => this.startWorker());
    if (this.workers.length > 0 && this.pending.length >= BATCH_SIZE) this.sendPending();
  }

  /** Every file's analysis, in the order the files were added. */
  async finish(): Promise<FileAnalysis[]> {
    try {
      if (this.workers.length === 0 || this.files.length < INLINE_BELOW) {
        await loadPythonParser();
        return this.files.map((file) => analyzeFile(file, this.rules, this.options));
      }
      if (this.pending.length > 0) this.sendPending();
      while (this.batchesDone < this.batchesSent && !this.failure) {
        await new Promise<void>((resolve) => (this.onProgress = resolve));
      }
      if (this.failure) throw this.failure;
      return this.results.flat();
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private sendPending(): void {
    const id = this.batchesSent++;
    // The least busy worker gets the batch: files differ a lot in cost (most are never parsed).
    let target = 0;
    for (let index = 1; index < this.workers.length; index++) if (this.outstanding[index]! < this.outstanding[target]!) target = index;
    this.outstanding[target]!++;
    this.workers[target]!.postMessage({ id, files: this.pending, options: this.options });
    this.batchFiles.set(id, this.pending);
    this.pending = [];
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const index = this.outstanding.push(0) - 1;
    worker.on('message', (reply: { id: number; results: WorkerResult[] }) => {
      this.outstanding[index]!--;
      const files = this.batchFiles.get(reply.id)!;
      this.batchFiles.delete(reply.id);
      this.results[reply.id] = reply.results.map((result, position) => ({ file: files[position]!, ...result }));
      this.batchesDone++;
      this.onProgress?.();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.onProgress?.();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0 && this.batchesDone < this.batchesSent) fail(new Error(`a check worker exited with code ${code}`));
    });
    return worker;
  }
}
