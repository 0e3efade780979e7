#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

// `check` and `migrate`, the commands CI and editors run over and over, are one CommonJS bundle each beside
// this file once built, compiled through V8's code cache (code-cache.ts). Every other command, and these two
// run from the compiled sources (no bundle), load as ES modules. The help and the version, asked alone, load
// only what prints them.
const BUNDLED_COMMANDS = new Set(['check', 'migrate']);
const args = process.argv.slice(2);
const command = args[0] ?? '';
const bundle = BUNDLED_COMMANDS.has(command)
  ? fileURLToPath(new URL(`./${command}-cli.cjs`, import.meta.url))
  : undefined;
if (bundle && existsSync(bundle)) runBundle(bundle);
else if (args.length <= 1 && (await import('../cli/top-level-help.js')).answeredTopLevel(args[0])) {
  // Printed: nothing else to load.
} else await import('./all-commands.js');
