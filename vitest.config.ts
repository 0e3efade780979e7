import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Tests call the engine directly; the commands load the WebAssembly parser the same way.
    setupFiles: ['test/support/load-parser.ts'],
    // Generated projects install packages and boot servers: minutes, not seconds.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: two test files at a time, each in its own process.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
