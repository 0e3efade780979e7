import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './python-env.js';

// Exact version: a workflow the linter accepted once keeps being judged by the same rules.
export const ACTIONLINT_VERSION = 'v1.7.12';
/** Tools the tests build live here (git-ignored), one folder per tool and version. */
export const TEST_TOOL_CACHE = join(REPO_ROOT, '.test-cache');

/** Go from PATH, else the official tarball's usual place. */
function goBinary(): string {
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/**
 * actionlint, built once with `go install` (through the Go module proxy) and
 * cached by version: the real linter GitHub users run, not a schema check of ours.
 */
export async function ensureActionlint(): Promise<string> {
  const bin = join(TEST_TOOL_CACHE, `actionlint-${ACTIONLINT_VERSION}`);
  const exe = join(bin, 'actionlint');
  if (existsSync(exe)) return exe;
  const go = goBinary();
  const probe = await execa(go, ['version'], { reject: false });
  if (probe.exitCode !== 0)
    throw new Error('test setup: Go is required to build actionlint (go install); install Go 1.22 or newer');
  // Test files run in parallel: each builds into its own folder, and the rename makes one binary win whole.
  const staging = `${bin}.building-${process.pid}`;
  try {
    await execa(go, ['install', `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`], {
      env: { GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      timeout: 600_000,
    });
    mkdirSync(bin, { recursive: true });
    renameSync(join(staging, 'actionlint'), exe);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return exe;
}

/** Runs actionlint on the given workflow files; exit code and its messages. */
export async function actionlint(files: string[], cwd: string): Promise<{ exitCode: number; output: string }> {
  const exe = await ensureActionlint();
  // -shellcheck= / -pyflakes= : run only actionlint's own checks, the same on every machine.
  const result = await execa(exe, ['-no-color', '-shellcheck=', '-pyflakes=', ...files], {
    cwd,
    reject: false,
    all: true,
  });
  return { exitCode: result.exitCode ?? -1, output: String(result.all) };
}
