import { fitHelp } from '../core/help-text.js';
import { packageVersion } from '../core/version.js';

const HELP = `secure-flask: keep Flask's interactive debugger out of production

Usage: secure-flask <command> [options]

Commands:
  check [paths...]     find every way the code and deploy files turn debug on
  migrate [paths...]   rewrite them into environment-driven settings (diff first)
  init-ci [path]       add the check to the repository's CI or pre-commit config
  create [dir]         generate a production-ready Flask project
  rules                list the rule catalog
  explain <rule-id>    print a rule's documentation
  verify [path]        start the production entrypoints on 127.0.0.1, probe them
  probe URL...         read-only check of a live server for Werkzeug's debugger
  server               language server: findings as you type, fixes as quick fixes
  help [command]       show this help, or a command's

Options:
  -h, --help           show help (also: secure-flask help <command>)
  -v, --version        print the version
  --color <when>       auto (colour in a terminal; the default), always or never;
                       NO_COLOR and FORCE_COLOR are honoured in auto

Exit codes: 0 nothing found or done, 1 findings or pending changes, 2 usage or
internal error.
`;

const HELP_WORDS = new Set(['-h', '--help', 'help']);
const VERSION_WORDS = new Set(['-v', '--version']);

/**
 * `secure-flask`, `secure-flask --help` and `secure-flask --version`: prints the help or the version
 * and says it did. A module of its own, so that bin/secure-flask.js answers them (when they are the
 * only argument) without loading the command table and what it imports.
 */
export function answeredTopLevel(first: string | undefined): boolean {
  if (first === undefined || HELP_WORDS.has(first)) process.stdout.write(fitHelp(HELP));
  else if (VERSION_WORDS.has(first)) process.stdout.write(`${packageVersion()}\n`);
  else return false;
  return true;
}
