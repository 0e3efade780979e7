import { UsageError } from '../core/usage-error.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;

/** `--timeout <seconds>`: more than 0 and at most 600 seconds, in milliseconds. */
export function parseSeconds(command: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new UsageError(`${command}: --timeout must be more than 0 and at most 600 seconds (got '${value}')`);
  return Math.round(seconds * 1000);
}
