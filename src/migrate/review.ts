import type { Colors } from '../core/colors.js';
import { fileDiff } from './migration-report.js';
import { colorDiff } from '../files/patch.js';
import { withSelection, type Change, type FilePlan } from './plan.js';

type Answer = 'accept' | 'skip' | 'all' | 'quit' | 'cancel';

export interface ReviewOutcome {
  /** The plans with only the accepted changes. */
  accepted: FilePlan[];
  /** Changes neither accepted nor skipped (the user quit before them). */
  pending: number;
  /** Ctrl+C: write nothing at all. */
  cancelled: boolean;
}

const KEYS: Record<string, Answer> = {
  y: 'accept',
  n: 'skip',
  a: 'all',
  q: 'quit',
  '\u0003': 'cancel',
  '\u0004': 'quit',
};
const HELP =
  'y - apply this change\n' +
  'n - do not apply this change\n' +
  'a - apply this change and all remaining ones\n' +
  'q - quit; do not apply this change or any remaining ones\n' +
  '? - print help\n';

/** One key press from a raw-mode terminal; Enter and unknown keys are ignored, `?` prints the help. */
function readAnswer(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<Answer> {
  output.write(question);
  return new Promise((resolve) => {
    const finish = (answer: Answer, echo: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode?.(false);
      input.pause();
      output.write(`${echo}\n`);
      resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const key of chunk.toString('utf8')) {
        const answer = KEYS[key.toLowerCase()];
        if (answer) return finish(answer, answer === 'cancel' ? '^C' : key);
        if (key === '?') output.write(`?\n${HELP}${question}`);
      }
    };
    const onEnd = () => finish('quit', '');
    input.setRawMode?.(true);
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}

/**
 * Walks the changed files with the user as `git add -p` does: one single-key
 * question (y/n/a/q) per file, or per change where a file has several.
 */
export async function reviewPlans(
  plans: FilePlan[],
  colors: Colors,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stdout,
): Promise<ReviewOutcome> {
  const accepted: FilePlan[] = [];
  let acceptAll = false;
  const total = plans.reduce((sum, plan) => sum + plan.changes.length, 0);
  let decided = 0;
  for (const plan of plans) {
    const chosen: Change[] = [];
    const units = plan.changes.length > 1 ? plan.changes.map((change) => [change]) : [plan.changes];
    for (const [index, unit] of units.entries()) {
      if (!acceptAll) {
        output.write(`\n${colorDiff(fileDiff(withSelection(plan, unit)), colors)}`);
        const where =
          units.length > 1 ? `${plan.file.displayPath}: change ${index + 1} of ${units.length}` : plan.file.displayPath;
        const answer = await readAnswer(
          input,
          output,
          colors.bold(colors.cyan(`(${decided + 1}/${total}) ${where}: ${unit[0]?.fix.title}. Apply [y,n,a,q,?]? `)),
        );
        if (answer === 'cancel') return { accepted: [], pending: total, cancelled: true };
        if (answer === 'quit') {
          if (chosen.length > 0) accepted.push(withSelection(plan, chosen));
          return { accepted, pending: total - decided, cancelled: false };
        }
        if (answer === 'all') acceptAll = true;
        if (answer !== 'skip') chosen.push(...unit);
      } else {
        chosen.push(...unit);
      }
      decided += unit.length;
    }
    if (chosen.length > 0) accepted.push(withSelection(plan, chosen));
  }
  return { accepted, pending: 0, cancelled: false };
}
