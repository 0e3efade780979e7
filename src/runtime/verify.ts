import { execa } from 'execa';
import { UsageError } from '../core/usage-error.js';
import type { RuntimeEntrypoint } from './entrypoint.js';
import { createHarness, verifyEntrypoint, type EntrypointOutcome, type LaunchOptions } from './launch.js';
import { installProcessGroupGuards } from './process-group.js';

export interface VerifyReport {
  root: string;
  python: { executable: string; version: string };
  outcomes: EntrypointOutcome[];
  /** Development entrypoints: listed, not run. */
  development: RuntimeEntrypoint[];
  /** Production services that start no Python server (a proxy, a database image): listed, not run. */
  otherServices: RuntimeEntrypoint[];
  /** Deploy files that define containers: their commands run here, the images are not built. */
  containersNotBuilt: boolean;
}

/** The interpreter verify runs everything with: it must start, and be Python 3. */
export async function checkPython(executable: string): Promise<{ executable: string; version: string }> {
  const probe = await execa(
    executable,
    ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0]); assert sys.version_info >= (3,)'],
    {
      reject: false,
      timeout: 20_000,
      extendEnv: false,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    },
  );
  if (probe.exitCode !== 0 || probe.failed)
    throw new UsageError(
      `secure-flask verify: --python ${executable} does not run Python 3 ` +
        '(give the interpreter of the environment the app is installed in)',
    );
  const [path, version] = String(probe.stdout).trim().split('\n');
  // The path as given (a venv's bin/python is a symlink: sys.executable keeps the venv).
  return { executable: path && path.length > 0 ? path : executable, version: version ?? '' };
}

/**
 * Runs each production entrypoint in turn, on loopback, with its deploy
 * environment, probes it and stops it. One at a time: two cores, and a log
 * tail that belongs to one server.
 */
export async function runVerify(
  root: string,
  entrypoints: readonly RuntimeEntrypoint[],
  options: Omit<LaunchOptions, 'root' | 'python'> & { python: { executable: string; version: string } },
): Promise<VerifyReport> {
  installProcessGroupGuards();
  const production = entrypoints.filter(
    (entrypoint) => entrypoint.role === 'production' && entrypoint.kind !== 'other',
  );
  const harness = createHarness();
  // Ctrl+C ends the process without unwinding this function: remove the harness on exit too.
  process.on('exit', harness.remove);
  const outcomes: EntrypointOutcome[] = [];
  try {
    for (const entrypoint of production) {
      outcomes.push(
        await verifyEntrypoint(entrypoint, harness.dir, { ...options, root, python: options.python.executable }),
      );
    }
  } finally {
    harness.remove();
    process.off('exit', harness.remove);
  }
  return {
    root,
    python: options.python,
    outcomes,
    development: entrypoints.filter((entrypoint) => entrypoint.role === 'development'),
    otherServices: entrypoints.filter((entrypoint) => entrypoint.role === 'production' && entrypoint.kind === 'other'),
    containersNotBuilt: production.some((entrypoint) => entrypoint.container === true),
  };
}
