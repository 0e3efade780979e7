import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployCommand, expandShell } from '../../src/deploy/formats/common.js';
import { unwrapCommand } from '../../src/deploy/model-command.js';
import { parseShellCommands } from '../../src/deploy/shell/shell-commands.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { mayStartSomething, scriptMayMatter } from '../../src/deploy/shell/shell-screen.js';

/**
 * The keyword screens against bash's grammar: whatever shell text a screen stops, the parse of it holds
 * nothing the deploy model keeps. `npm run fuzz` sets FUZZ_RUNS (and a random FUZZ_SEED) for long runs.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 2000);
const seed =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS
      ? Date.now() % 2 ** 31
      : 20261207;

// Programs the model knows and ones it does not, pieces of them, wrappers, quotes, escapes and operators.
const TOKENS = [
  ...['echo', 'make', 'html', 'pip', 'install', 'numpy', 'push', 'ssh-add', 'worker', 'run', 'app', 'x', 'fl'],
  ...['gunicorn', 'python3', 'py', 'flask', 'sh', 'bash', 'dash', 'uwsgi', 'waitress-serve', '-c', '-m', 'ask'],
  ...['exec', 'env', 'nohup', 'gosu', 'poetry', 'export', 'declare', '-x', 'local', 'cd', 'if', 'then', 'fi'],
  ...['"', "'", '\\', '$', '$(', '`', '"$@"', '$@', '${@}', 'A=1', 'B=', '=', './run', 'bin/start', 'go.sh', '.'],
  ...['&&', '||', ';', '|', '(', ')', '{', '}', '#', '\n', '\\\n', 'true', '[', ']', 'do', 'done', 'while'],
  // Programs a word's quotes and escapes hide from a plain text search.
  ...['py"thon"', "gun'icorn'", 'fl\\ask', "$'sh'", 'ex"port"', '"./"run', 'A"=1"', '$"@"'],
];
const shellText = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '', '\t')), { maxLength: 14 })
  .map((pairs) => pairs.map(([token, gap]) => token + gap).join(''));

/** Every command the text runs, `sh -c` strings opened, as the model's command classifier sees them. */
function commandsOf(text: string) {
  const at = { path: '/repo/x', start: 0, end: 0, line: 1 };
  return parseShellCommands(text).flatMap((simple) =>
    expandShell(deployCommand(simple.argv, at)).map((command) => ({ simple, command })),
  );
}

beforeAll(async () => {
  await loadShellParser();
});

describe('the keyword screens stop only text whose parse the model would not keep', () => {
  it('a line mayStartSomething stops runs no server, Python script or shell script', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        if (mayStartSomething(text)) return;
        for (const { command } of commandsOf(text)) expect([text, command.target.kind]).toEqual([text, 'other']);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  });

  it('a script scriptMayMatter stops exports nothing, gives no command an environment and follows nothing', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        const script = `#!/bin/sh\n${text}`;
        if (scriptMayMatter(script)) return;
        for (const { simple, command } of commandsOf(script)) {
          const program = unwrapCommand(command.argv).argv[0] ?? '';
          expect({
            text,
            target: command.target.kind,
            environment: command.prefixEnv.length + simple.assignments.length,
            exports: ['export', 'declare'].includes(simple.argv[0] ?? ''),
            followed: /[/.]|^\$\{?@/.test(program),
          }).toEqual({ text, target: 'other', environment: 0, exports: false, followed: false });
        }
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  });
});
