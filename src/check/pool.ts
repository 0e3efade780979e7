import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from './discover.js';
import { analyzeFile, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';

const BATCH_SIZE = 24;
// Below this many files, checking inline beats waiting for workers to load tree-sitter.
const INLINE_BELOW = 64;
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Worker threads that analyze files on every core. Workers start before the
 * tree is walked and get batches while the walk goes on, so loading
 * tree-sitter, walking and analyzing overlap. Small runs, and runs from
 * TypeScript sources (tests) that have no compiled worker, stay inline.
 */
export class AnalysisPool {
  private readonly workers: Worker[];
  private readonly files: DiscoveredFile[] = [];
  private pending: DiscoveredFile[] = [];
  private readonly results: FileAnalysis[][] = [];
  private batchesSent = 0;
  private batchesDone = 0;
  private failure: Error | undefined;
  private onProgress: (() => void) | undefined;

  constructor(
    jobs = availableParallelism(),
    private readonly options: AnalyzeOptions = {},
  ) {
    const canUseWorkers = jobs > 1 && existsSync(fileURLToPath(WORKER_URL));
    this.workers = canUseWorkers ? Array.from({ length: jobs }, () => this.startWorker()) : [];
  }

  /** Queues a file; batches go out as soon as the run is large enough to use workers. */
  add(file: DiscoveredFile): void {
    this.files.push(file);
    if (this.workers.length === 0) return;
    this.pending.push(file);
    if (this.files.length >= INLINE_BELOW && this.pending.length >= BATCH_SIZE) this.sendPending();
  }

  /** Every file's analysis, in the order the files were added. */
  async finish(rules: readonly Rule[]): Promise<FileAnalysis[]> {
    try {
      if (this.workers.length === 0 || this.files.length < INLINE_BELOW) {
        return this.files.map((file) => analyzeFile(file, rules, this.options));
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
    this.workers[id % this.workers.length]!.postMessage({ id, files: this.pending, options: this.options });
    this.pending = [];
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_URL);
    worker.on('message', (reply: { id: number; results: FileAnalysis[] }) => {
      this.results[reply.id] = reply.results;
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
