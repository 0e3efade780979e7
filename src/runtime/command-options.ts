import { UsageError } from '../core/usage-error.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;

/** `--timeout <seconds>`: a positive number, in milliseconds. */
export function parseSeconds(command: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new UsageError(`${command}: --timeout must be a number of seconds between 0 and 600 (got '${value}')`);
  return Math.round(seconds * 1000);
}
