#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

// `check` and `migrate`, the commands CI and editors run over and over, are one CommonJS bundle each beside
// this file once built, compiled through V8's code cache (code-cache.ts). Every other command, and these two
// run from the compiled sources (no bundle), load as ES modules. The help and the version, asked alone, load
// only what prints them. No top-level await: the build also makes this file the package's bin as CommonJS
// (secure-flask.cjs, src/build/bundle.ts), which Node starts without its ES module loader.
const BUNDLED_COMMANDS = new Set(['check', 'migrate']);
const args = process.argv.slice(2);
const command = args[0] ?? '';
const bundle = BUNDLED_COMMANDS.has(command)
  ? fileURLToPath(new URL(`./${command}-cli.cjs`, import.meta.url))
  : undefined;
if (bundle && existsSync(bundle)) runBundle(bundle);
else {
  const answered =
    args.length <= 1
      ? import('../cli/top-level-help.js').then((help) => help.answeredTopLevel(args[0]))
      : Promise.resolve(false);
  // Printed, or the whole command table.
  void answered.then((printed) => (printed ? undefined : import('./all-commands.js')));
}
