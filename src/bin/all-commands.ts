import { runCli } from '../cli/run-cli.js';
import { runSecureFlask } from '../cli/secure-flask.js';

await runCli('secure-flask', () => runSecureFlask(process.argv.slice(2)));
