import { parentPort } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import { loadPythonParser } from '../python/parser.js';
import type { DiscoveredFile } from './discover.js';
import { analyzeFile, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';

// Once per thread, before the first batch: messages sent meanwhile wait in the port's queue.
await loadPythonParser();

/** Worker thread: analyzes batches of files sent by the pool, one reply per batch. */
parentPort?.on('message', (batch: { id: number; files: DiscoveredFile[]; options: AnalyzeOptions }) => {
  const results: FileAnalysis[] = batch.files.map((file) => {
    try {
      return analyzeFile(file, RULES, batch.options);
    } catch (error) {
      return { file, findings: [], suppressed: 0, parsed: true, configObjectModules: [], skipped: `internal error: ${String(error)}` };
    }
  });
  parentPort?.postMessage({ id: batch.id, results });
});
