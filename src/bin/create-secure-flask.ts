#!/usr/bin/env node
import { runCli } from '../cli/run-cli.js';
import { runCreateCommand } from '../create/create-command.js';

await runCli('create-secure-flask', () => runCreateCommand(process.argv.slice(2)));
