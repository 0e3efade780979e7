import { parentPort } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import { analyzeScreened, type AnalyzeOptions, type FileAnalysis, type ScreenedFile } from './analyze-file.js';

/** Worker thread: analyzes batches of screened files sent by the pool, one reply per batch. */
parentPort?.on('message', (batch: { id: number; files: ScreenedFile[]; options: AnalyzeOptions }) => {
  const results: FileAnalysis[] = batch.files.map((screened) => {
    try {
      return analyzeScreened(screened, RULES, batch.options);
    } catch (error) {
      return { file: screened.file, findings: [], suppressed: 0, parsed: true, configObjectModules: [], skipped: `internal error: ${String(error)}` };
    }
  });
  parentPort?.postMessage({ id: batch.id, results });
});
