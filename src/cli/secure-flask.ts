import { withColorChoice } from '../core/color-choice.js';
import { fitHelp } from '../core/help-text.js';
import { closestName } from '../core/suggest.js';
import { UsageError, EXIT_OK } from '../core/usage-error.js';
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

type CommandRunner = (argv: string[]) => Promise<number>;

// Each command is imported only when it runs, so `--help` never loads tree-sitter.
const COMMANDS: Record<string, () => Promise<CommandRunner>> = {
  check: async () => (await import('../check/check-command.js')).runCheckCommand,
  migrate: async () => (await import('../migrate/migrate-command.js')).runMigrateCommand,
  'init-ci': async () => (await import('../init-ci/init-ci-command.js')).runInitCiCommand,
  create: async () => (await import('../create/create-command.js')).runCreateCommand,
  rules: async () => (await import('../explain/rules-command.js')).runRulesCommand,
  explain: async () => (await import('../explain/rules-command.js')).runExplainCommand,
  verify: async () => (await import('../runtime/verify-command.js')).runVerifyCommand,
  probe: async () => (await import('../runtime/probe-command.js')).runProbeCommand,
  server: async () => (await import('../server/server-command.js')).runServerCommand,
};

const COMMAND_NAMES = [...Object.keys(COMMANDS), 'help'];

function didYouMean(word: string): string {
  const suggestion = closestName(word, COMMAND_NAMES);
  return suggestion ? `; did you mean '${suggestion}'?` : ` (commands: ${COMMAND_NAMES.join(', ')})`;
}

export async function runSecureFlask(args: string[]): Promise<number> {
  const argv = withColorChoice(args);
  const [first, ...rest] = argv;
  // `secure-flask help check` is `secure-flask check --help`, as git and npm read it.
  if (first === 'help' && rest.length > 0) {
    const topic = rest[0] ?? '';
    const load = COMMANDS[topic];
    if (!load) throw new UsageError(`no help for '${topic}'${didYouMean(topic)}`);
    return (await load())(['--help']);
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(fitHelp(HELP));
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option '${first}' (see 'secure-flask --help')`);
  }
  const load = COMMANDS[first];
  if (!load) {
    throw new UsageError(`unknown command '${first}'${didYouMean(first)}`);
  }
  const run = await load();
  return run(rest);
}
