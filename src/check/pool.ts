import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from './discover.js';
import { analyzeScreened, screenFile, type AnalyzeOptions, type FileAnalysis, type ScreenedFile } from './analyze-file.js';

// Files that pass the keyword gate are few and costly (parsing): small batches keep workers even.
const BATCH_SIZE = 4;
// Fewer candidates than this are parsed inline: a worker that is still loading would be slower.
const INLINE_BELOW = 8;
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Checks files as the walk finds them. The walking thread reads each file and
 * rejects it by keyword (most files end there); the few candidates go to
 * worker threads, started before the walk so that loading tree-sitter overlaps
 * it. Runs from TypeScript sources (tests) have no compiled worker and stay inline.
 */
export class AnalysisPool {
  private readonly workers: Worker[];
  private readonly results: (FileAnalysis | undefined)[] = [];
  private pending: { index: number; screened: ScreenedFile }[] = [];
  private readonly batchIndexes = new Map<number, number[]>();
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
    // The walking thread is busy reading and screening files: it counts as one of the jobs.
    const workerCount = existsSync(fileURLToPath(WORKER_URL)) ? jobs - 1 : 0;
    this.workers = Array.from({ length: Math.max(0, workerCount) }, () => this.startWorker());
  }

  /** Screens a file now; a candidate is queued, and batches go out once there are enough to be worth it. */
  add(file: DiscoveredFile): void {
    const index = this.results.length;
    const screening = screenFile(file, this.rules);
    if ('done' in screening) {
      this.results.push(screening.done);
      return;
    }
    this.results.push(undefined);
    this.pending.push({ index, screened: screening.screened });
    const started = this.batchesSent > 0;
    if (this.workers.length > 0 && (started ? this.pending.length >= BATCH_SIZE : this.pending.length >= INLINE_BELOW)) this.sendPending();
  }

  /** Every file's analysis, in the order the files were added. */
  async finish(): Promise<FileAnalysis[]> {
    try {
      if (this.workers.length === 0 || this.batchesSent === 0) {
        for (const { index, screened } of this.pending) this.results[index] = analyzeScreened(screened, this.rules, this.options);
        this.pending = [];
      } else if (this.pending.length > 0) {
        this.sendPending();
      }
      while (this.batchesDone < this.batchesSent && !this.failure) {
        await new Promise<void>((resolve) => (this.onProgress = resolve));
      }
      if (this.failure) throw this.failure;
      return this.results as FileAnalysis[];
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private sendPending(): void {
    const id = this.batchesSent++;
    // The least busy worker gets the batch.
    let target = 0;
    for (let index = 1; index < this.workers.length; index++) if (this.outstanding[index]! < this.outstanding[target]!) target = index;
    this.outstanding[target]!++;
    this.batchIndexes.set(id, this.pending.map((entry) => entry.index));
    this.workers[target]!.postMessage({ id, files: this.pending.map((entry) => entry.screened), options: this.options });
    this.pending = [];
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_URL);
    const index = this.outstanding.push(0) - 1;
    worker.on('message', (reply: { id: number; results: FileAnalysis[] }) => {
      this.outstanding[index]!--;
      const indexes = this.batchIndexes.get(reply.id) ?? [];
      reply.results.forEach((result, position) => (this.results[indexes[position]!] = result));
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
