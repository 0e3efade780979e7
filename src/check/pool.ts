import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from './discover.js';
import { analyzeFile, type FileAnalysis } from './analyze-file.js';

const BATCH_SIZE = 24;
// Starting a worker and loading tree-sitter in it costs more than checking a few dozen files inline.
const INLINE_BELOW = 64;

/**
 * Analyzes files on every core. Results come back in the order the files were
 * given, so output stays deterministic. Small runs (and runs from TypeScript
 * sources, where there is no compiled worker) stay on the main thread.
 */
export async function analyzeAll(files: DiscoveredFile[], rules: readonly Rule[], jobs?: number): Promise<FileAnalysis[]> {
  const workerUrl = new URL('./worker.js', import.meta.url);
  const threads = Math.max(1, Math.min(jobs ?? availableParallelism(), Math.ceil(files.length / BATCH_SIZE)));
  if (threads === 1 || files.length < INLINE_BELOW || !existsSync(fileURLToPath(workerUrl))) {
    return files.map((file) => analyzeFile(file, rules));
  }
  const batches: DiscoveredFile[][] = [];
  for (let index = 0; index < files.length; index += BATCH_SIZE) batches.push(files.slice(index, index + BATCH_SIZE));
  const results: FileAnalysis[][] = new Array(batches.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolvePromise, reject) => {
            const sendNext = () => {
              if (next >= batches.length) return resolvePromise();
              const id = next++;
              worker.postMessage({ id, files: batches[id] });
            };
            worker.on('message', (reply: { id: number; results: FileAnalysis[] }) => {
              results[reply.id] = reply.results;
              sendNext();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a check worker exited with code ${code}`));
            });
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results.flat();
}
