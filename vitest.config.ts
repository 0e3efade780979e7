import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: tests that call the engine in this process and need no Python, no network and
 * no build (`npm run test:unit`, seconds). `e2e`: tests that run the built CLI, the test virtualenv,
 * servers, git or other programs. A test file is end-to-end when it uses one of the helpers below;
 * every other test file is a unit test, so a new test lands in the right project by what it uses.
 */
const END_TO_END_HELPERS =
  /support\/(?:cli|python-env|cpython|server|group-server|terminal|unprivileged|actionlint|migrated-copy|lsp-client|neovim)\.js|from 'execa'|inject\('python'\)/;

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const endToEnd = testFiles('test').filter((file) => END_TO_END_HELPERS.test(readFileSync(file, 'utf8')));

const shared = {
  // Tests call the engine directly; the commands load the WebAssembly parser the same way.
  setupFiles: ['test/support/load-parser.ts'],
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two cores: two test files at a time, each in its own process.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: endToEnd,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: endToEnd,
          globalSetup: ['test/global-setup.ts'],
          // Generated projects install packages and boot servers: minutes, not seconds.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
