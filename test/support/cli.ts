import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { REPO_ROOT } from './python-env.js';

// The bundled bins, as the package ships them (package.json bin).
export const SECURE_FLASK_BIN = join(REPO_ROOT, 'dist', 'bin', 'secure-flask.cjs');
export const CREATE_BIN = join(REPO_ROOT, 'dist', 'bin', 'create-secure-flask.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a built bin the way a user does: a separate node process, no TTY, no colour. */
export async function runBin(bin: string, args: string[], options: Options = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [bin, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', ...(options.env ?? {}) },
    cwd: options.cwd,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export const secureFlask = (args: string[], options: Options = {}) => runBin(SECURE_FLASK_BIN, args, options);
export const createSecureFlask = (args: string[], options: Options = {}) => runBin(CREATE_BIN, args, options);
