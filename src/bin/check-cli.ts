import { runCheckCommand } from '../check/check-command.js';
import { runCli } from '../cli/run-cli.js';
import { withColorChoice } from '../core/color-choice.js';

// `secure-flask check` as bin/secure-flask.js runs it from the CommonJS bundle: what runSecureFlask does
// for `check`, without loading the other commands.
void runCli('secure-flask', () => runCheckCommand(withColorChoice(process.argv.slice(2)).slice(1)));
