import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { answeredHelpOrVersion, COMMON_OPTIONS, oneOf, parseCommandArgs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { outputWidth } from '../core/terminal-text.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';
import { describeEntrypoint } from './entrypoint.js';
import { givenEnvironment } from './given-env.js';
import { notVerified } from './launch.js';
import { runtimeEntrypointsOf } from './deploy-entrypoints.js';
import { runtimeExitCode } from './exit-code.js';
import { DEFAULT_PROBE_OPTIONS } from './probe.js';
import { parseSeconds, REPORT_FORMATS } from './command-options.js';
import { formatVerifyJson, formatVerifySarif, formatVerifyText } from './report/verify-report.js';
import { writeRuntimeReport } from './report/write-report.js';
import { checkPython, runVerify } from './verify.js';

const HELP = `Usage: secure-flask verify [path] --python EXE [options]

verify RUNS THE REPOSITORY'S CODE on this machine: use it on repositories you trust.
It prints each command before it starts it, only starts app specs that name the
repository's own module (module:name or module:factory(literal arguments)), and
drops log, pid and heartbeat paths from the commands (output goes to its own log).

Starts each production entrypoint the deploy files name (Dockerfile final stage and
the scripts it runs, Procfile web, compose services, systemd, supervisord) the way
its file runs it, with the environment that file sets (ENV, environment:, env_file,
Environment=, committed .env/.flaskenv that Flask loads), plus what you give with
--env/--env-file (the secrets production injects), and nothing else from your
environment but PATH and HOME, in the Python environment you name. Each one is
bound to 127.0.0.1 on a free port, probed like 'secure-flask probe', and stopped
with every process it started.

The address is forced per command: gunicorn --bind, flask run --host/--port,
waitress-serve --listen, and for python app.py a harness that points app.run()
(werkzeug's run_simple), socketio.run() and waitress.serve() at 127.0.0.1.
Any other bind outside loopback is refused inside Python.
Containers are not built: their commands run on this machine.

Options:
  --python <exe>              the interpreter of an environment with the app's
                              requirements installed (default: python3)
  -e, --env <KEY=VALUE>       set a variable production injects at run time (a
                              secret such as SECRET_KEY); repeatable; KEY alone
                              passes your value of KEY. Values are never printed
  --env-file <file>           read KEY=VALUE lines, as docker run --env-file does
  --timeout <seconds>         how long each server may take to answer (default: 30)
  --format <text|json|sarif>  output format (default: text)
  --output <file>             write the report to a file instead of stdout
  -h, --help                  show this help

Exit codes: 0 every production entrypoint started and served no debugger,
1 one served the debugger, a console or a traceback, 2 one did not start (or
none was found), or a usage error.
`;

const COMMAND = 'secure-flask verify';

/** A word as a POSIX shell would read it back (for the printed commands). */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./<>-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function runVerifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, argv, {
    ...COMMON_OPTIONS,
    python: { type: 'string' },
    timeout: { type: 'string' },
    env: { type: 'string', short: 'e', multiple: true },
    'env-file': { type: 'string', multiple: true },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  const format = oneOf(COMMAND, 'format', values.format, REPORT_FORMATS, 'text');
  // Stopping a server with everything it started needs POSIX process groups.
  if (process.platform === 'win32')
    throw new UsageError(
      `${COMMAND}: runs on Linux and macOS only (it stops servers by process group); ` +
        "'secure-flask probe' works everywhere",
    );
  if (positionals.length > 1)
    throw new UsageError(`${COMMAND}: name one repository folder (got ${positionals.length})`);
  const root = resolve(positionals[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`${COMMAND}: ${positionals[0] ?? '.'} is not a folder`);
  const startTimeoutMs = parseSeconds(COMMAND, values.timeout, 30_000);
  const givenEnv = givenEnvironment(COMMAND, values['env-file'] ?? [], values.env ?? []);
  const python = await checkPython(values.python ?? 'python3');

  const entrypoints = await runtimeEntrypointsOf(root);
  if (!entrypoints.some((entrypoint) => entrypoint.role === 'production' && entrypoint.kind !== 'other')) {
    process.stderr.write(
      `${COMMAND}: no production entrypoint in the deploy files under ${positionals[0] ?? '.'} ` +
        '(Dockerfile, Procfile, compose, systemd, supervisord)\n',
    );
    return EXIT_USAGE;
  }
  const report = await runVerify(root, entrypoints, {
    python,
    startTimeoutMs,
    probe: DEFAULT_PROBE_OPTIONS,
    givenEnv,
    onCommand: (entrypoint, command, cwd) => {
      process.stderr.write(
        `${COMMAND}: running the repository's code for ${describeEntrypoint(entrypoint)}: ` +
          `${command.map(shellQuote).join(' ')} (in ${cwd})\n`,
      );
    },
    onStart: (entrypoint, pid, url) => {
      process.stderr.write(`${COMMAND}: starting ${describeEntrypoint(entrypoint)} on ${url} (process group ${pid})\n`);
    },
  });
  const target = values.output === undefined ? process.stdout : {};
  const rendered =
    format === 'json'
      ? formatVerifyJson(report)
      : format === 'sarif'
        ? formatVerifySarif(report)
        : formatVerifyText(
            report,
            colorsFor(target),
            values.output === undefined ? outputWidth(process.stdout) : Infinity,
          );
  await writeRuntimeReport(COMMAND, values.output, rendered);
  return runtimeExitCode(
    report.outcomes.map((outcome) => ({ exposures: outcome.probe?.exposures ?? [], failed: notVerified(outcome) })),
  );
}
