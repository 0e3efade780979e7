import { withColorChoice } from '../core/color-choice.js';
import { closestName } from '../core/suggest.js';
import { UsageError, EXIT_OK } from '../core/usage-error.js';
import { answeredTopLevel } from './top-level-help.js';

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
  if (answeredTopLevel(first) || first === undefined) return EXIT_OK;
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
