import { parentPort } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import { loadPythonParser } from '../python/parser.js';
import type { DiscoveredFile } from './discover.js';
import { analyzeFile, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';

export type WorkerResult = Omit<FileAnalysis, 'file'>;

// Once per thread, before the first batch: messages sent meanwhile wait in the port's queue.
await loadPythonParser();

/**
 * Worker thread: analyzes batches of files sent by the pool, one reply per batch, in the
 * batch's order. Replies leave out the file itself: the pool still has it, and copying
 * every path back would only grow the main thread's memory with the file count.
 */
parentPort?.on('message', (batch: { id: number; files: DiscoveredFile[]; options: AnalyzeOptions }) => {
  const results: WorkerResult[] = batch.files.map((file) => {
    try {
      const { file: _file, ...result } = analyzeFile(file, RULES, batch.options);
      return result;
    } catch (error) {
      return { findings: [], suppressed: 0, parsed: true, configObjectModules: [], skipped: `internal error: ${String(error)}` };
    }
  });
  parentPort?.postMessage({ id: batch.id, results });
});
