import { parentPort, workerData } from 'node:worker_threads';
import { RULES } from '../../codemods/index.js';
import { loadPythonParser } from '../python/parser.js';
import type { Rule } from '../rules/rule.js';
import type { DiscoveredFile } from '../files/discover.js';
import { analyzeFileWithShell, type AnalyzeOptions, type FileAnalysis } from './analyze-file.js';

export type WorkerTask = {
  kind: 'analyze';
  id: number;
  files: DiscoveredFile[];
  ruleIds: readonly string[];
  options: AnalyzeOptions;
};

export type WorkerResult = Omit<FileAnalysis, 'file'>;

/** A worker's answer to one batch, results in the batch's order. */
export type WorkerReply = { id: number; results: WorkerResult[] };

/**
 * Worker thread: analyzes batches of Python files sent by the pool, one reply per
 * batch, in the batch's order. Replies leave out the file itself: the pool still
 * has it, and copying every path back would only grow the main thread's memory
 * with the file count.
 */
// The run's rules (after --select/--ignore) come by id.
const { ruleIds } = workerData as { ruleIds: readonly string[] };
const runRules = RULES.filter((rule: Rule) => ruleIds.includes(rule.id));
let queue = Promise.resolve();
parentPort?.on('message', (task: WorkerTask) => {
  queue = queue.then(async () =>
    parentPort?.postMessage({ id: task.id, results: await run(task) } satisfies WorkerReply),
  );
});

async function run(task: WorkerTask): Promise<WorkerResult[]> {
  // The pool sends Python only: deploy files are analyzed beside the deploy model, on its thread.
  await loadPythonParser();
  const rules = runRules.filter((rule: Rule) => task.ruleIds.includes(rule.id));
  const results: WorkerResult[] = [];
  for (const file of task.files) {
    results.push(
      await guarded(
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

/** One file's failure is that file's skip reason, not the end of the run. */
async function guarded<T>(work: () => Promise<T>, onError: (skipped: string) => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return onError(`internal error: ${String(error)}`);
  }
}
