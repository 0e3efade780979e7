import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../core/usage-error.js';
import { isExposed, type Exposure } from './exposures.js';

/**
 * probe and verify share one rule: 1 when anything serves the debugger, a console
 * or a traceback (a definite answer wins), else 2 when a target could not be
 * checked, else 0. The development server alone is a warning, not an exposure.
 */
export function runtimeExitCode(targets: readonly { exposures: readonly Exposure[]; failed: boolean }[]): number {
  if (targets.some((target) => isExposed(target.exposures))) return EXIT_FINDINGS;
  if (targets.some((target) => target.failed)) return EXIT_USAGE;
  return EXIT_OK;
}
