import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import { loadPythonParser } from '../python/parser.js';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from '../files/discover.js';
import { analyzeFileWithShell, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';
import { SCREENED_OUT, Screener, type Screening } from './screen-file.js';

export type WorkerTask =
  | { kind: 'screen'; id: number; files: DiscoveredFile[] }
  | { kind: 'analyze'; id: number; files: DiscoveredFile[]; ruleIds: readonly string[]; options: AnalyzeOptions };

export type WorkerResult = Screening | Omit<FileAnalysis, 'file'>;

/**
 * Worker thread: screens or analyzes batches of files sent by the pool, one reply
 * per batch, in the batch's order. Replies leave out the file itself: the pool
 * still has it, and copying every path back would only grow the main thread's
 * memory with the file count. Tree-sitter loads on the first analysis batch
 * only: most runs screen out nearly every file, and never parse on a worker.
 */
// Replies go on the pool's own port for them (the walk reads it synchronously), tasks come on parentPort;
// the run's rules (after --select/--ignore) come by id.
const { replies, ruleIds, knownRuleIds } = workerData as {
  replies: MessagePort;
  ruleIds: readonly string[];
  knownRuleIds: readonly string[];
};
const runRules = RULES.filter((rule: Rule) => ruleIds.includes(rule.id));
// A worker lives for one run: its screener keeps what the run's files taught it.
const screener = new Screener(runRules, knownRuleIds);
let queue = Promise.resolve();
parentPort?.on('message', (task: WorkerTask) => {
  queue = queue.then(async () => replies.postMessage({ id: task.id, results: await run(task) }));
});

/** A file screened out is sent back as null: the pool has the one shared object for it. */
async function run(task: WorkerTask): Promise<(WorkerResult | null)[]> {
  if (task.kind === 'screen') {
    return task.files.map((file) => {
      const screening = guarded(
        () => screener.screen(file),
        (skipped) => ({ ...SCREENED_OUT, skipped }),
      );
      return screening === SCREENED_OUT ? null : screening;
    });
  }
  // The pool sends Python only: deploy files are analyzed beside the deploy model, on its thread.
  await loadPythonParser();
  const rules = runRules.filter((rule: Rule) => task.ruleIds.includes(rule.id));
  const results: (WorkerResult | null)[] = [];
  for (const file of task.files) {
    results.push(
      await guardedAsync(
        async () => {
          const { file: _file, ...result } = await analyzeFileWithShell(file, rules, task.options);
          return result;
        },
        (skipped) => ({ findings: [], suppressed: 0, parsed: true, configObjectModules: [], skipped }),
      ),
    );
  }
  return results;
}

async function guardedAsync<T>(work: () => Promise<T>, onError: (skipped: string) => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return onError(`internal error: ${String(error)}`);
  }
}

/** One file's failure is that file's skip reason, not the end of the run. */
function guarded<T>(work: () => T, onError: (skipped: string) => T): T {
  try {
    return work();
  } catch (error) {
    return onError(`internal error: ${String(error)}`);
  }
}
