import { existsSync } from 'node:fs';
import { execa } from 'execa';

/**
 * Neovim for the editor test: the one on PATH, else Debian's, installed the way
 * the test setup installs python3 (CI runs as root with Debian's registry), so
 * the test never depends on what a machine happened to have.
 */
export async function ensureNeovim(): Promise<string> {
  const probe = await execa('nvim', ['--version'], { reject: false });
  if (probe.exitCode === 0) return 'nvim';
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('test setup: installing neovim with apt-get\n');
    await execa('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'neovim'], {
      stdio: 'inherit',
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    return 'nvim';
  }
  throw new Error(
    'test setup: nvim is required for the editor test: install Neovim (apt-get install neovim) or run the tests as root on Debian',
  );
}
