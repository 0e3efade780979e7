#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

// `check`, the command CI and editors run over and over, is one CommonJS bundle beside this file once
// built, compiled through V8's code cache (code-cache.ts). Every other command, and check run from the
// compiled sources (no bundle), loads as ES modules.
const checkBundle = fileURLToPath(new URL('./check-cli.cjs', import.meta.url));
if (process.argv[2] === 'check' && existsSync(checkBundle)) runBundle(checkBundle);
else await import('./all-commands.js');
