import { setColorChoice } from './colors.js';
import { UsageError } from './usage-error.js';

/**
 * `--color auto|always|never` anywhere before `--`, for every command (as Ruff and Semgrep take it):
 * taken out of argv here so each command's own parsing never sees it.
 */
export function withColorChoice(argv: string[]): string[] {
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === undefined) break;
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg !== '--color' && !arg.startsWith('--color=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--color' ? argv[++index] : arg.slice('--color='.length);
    if (value !== 'auto' && value !== 'always' && value !== 'never')
      throw new UsageError(
        `--color must be one of auto, always, never (got ${value === undefined ? 'nothing' : `'${value}'`})`,
      );
    setColorChoice(value);
  }
  return rest;
}
