#!/usr/bin/env node
import { runCli } from '../cli/run-cli.js';
import { withColorChoice } from '../core/color-choice.js';
import { runCreateCommand } from '../create/create-command.js';

await runCli('create-secure-flask', () => runCreateCommand(withColorChoice(process.argv.slice(2))));
