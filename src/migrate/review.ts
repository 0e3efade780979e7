import * as prompts from '@clack/prompts';
import type { Colors } from '../cli/colors.js';
import { fileDiff } from './migration-report.js';
import { colorDiff } from './patch.js';
import { withSelection, type Change, type FilePlan } from './plan.js';

type Choice = 'accept' | 'skip' | 'all' | 'quit';

async function ask(message: string): Promise<Choice> {
  const answer = await prompts.select<Choice>({
    message,
    options: [
      { value: 'accept', label: 'Accept' },
      { value: 'skip', label: 'Skip' },
      { value: 'all', label: 'Accept all remaining' },
      { value: 'quit', label: 'Quit', hint: 'write what was accepted so far' },
    ],
  });
  return prompts.isCancel(answer) ? 'quit' : answer;
}

/**
 * Walks the changed files with the user: one question per file, or per change
 * where a file has several. Returns the plans with only the accepted changes.
 */
export async function reviewPlans(plans: FilePlan[], colors: Colors): Promise<FilePlan[]> {
  const accepted: FilePlan[] = [];
  let acceptAll = false;
  let quit = false;
  for (const plan of plans) {
    if (quit) break;
    const chosen: Change[] = [];
    const units = plan.changes.length > 1 ? plan.changes.map((change) => [change]) : [plan.changes];
    for (const [index, unit] of units.entries()) {
      if (acceptAll) {
        chosen.push(...unit);
        continue;
      }
      const preview = withSelection(plan, unit);
      process.stdout.write(`\n${colorDiff(fileDiff(preview), colors)}`);
      const label = units.length > 1 ? `${plan.file.displayPath}: change ${index + 1} of ${units.length}: ${unit[0]!.fix.title}` : `${plan.file.displayPath}: ${unit[0]!.fix.title}`;
      const choice = await ask(label);
      if (choice === 'quit') {
        quit = true;
        break;
      }
      if (choice === 'all') acceptAll = true;
      if (choice !== 'skip') chosen.push(...unit);
    }
    if (chosen.length > 0) accepted.push(withSelection(plan, chosen));
  }
  return accepted;
}
