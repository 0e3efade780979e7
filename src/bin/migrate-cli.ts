import { runCli } from '../cli/run-cli.js';
import { withColorChoice } from '../core/color-choice.js';
import { runMigrateCommand } from '../migrate/migrate-command.js';

// `secure-flask migrate` as bin/secure-flask.js runs it from the CommonJS bundle: what runSecureFlask does
// for `migrate`, without loading the other commands.
void runCli('secure-flask', () => runMigrateCommand(withColorChoice(process.argv.slice(2)).slice(1)));
