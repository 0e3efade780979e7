import { execa, type Options } from 'execa';
import { must } from './must.js';

/**
 * The command prefix that runs a process without the power to read what its
 * permission bits forbid. As root: stay uid 0 (so the checkout stays readable
 * wherever it lives, a 0700 home or a mktemp -d folder included) but drop
 * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, which is all
 * an exec'd root process keeps. Any other user has neither capability already.
 */
export function unprivilegedPrefix(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'] : [];
}

/** Runs `command args` with real permission checks (see unprivilegedPrefix). */
export async function runUnprivileged(command: string, args: string[], options: Options = {}) {
  const [program, ...prefix] = [...unprivilegedPrefix(), command];
  const result = await execa(must(program), [...prefix, ...args], { reject: false, timeout: 60_000, ...options });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
