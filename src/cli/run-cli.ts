import { UsageError, EXIT_USAGE } from '../core/usage-error.js';

/**
 * Runs one command and turns every failure into a one-line message and an
 * exit code: 2 for usage errors and internal errors alike, so a CI job tells
 * "findings" (1) from "could not check". Set SECURE_FLASK_DEBUG=1 to see stack traces.
 */
export async function runCli(program: string, run: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (error) {
    if (error instanceof UsageError) {
      // `secure-flask check: --format must be ...` already names the command: name it once.
      const named = error.message.startsWith(`${program} `) ? /^([^:]+): ([\s\S]*)$/.exec(error.message) : null;
      process.stderr.write(
        named
          ? `${named[1]}: error: ${oneShortLine(named[2] ?? '', 2000)}\n`
          : `${program}: error: ${oneShortLine(error.message, 2000)}\n`,
      );
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${program}: internal error: ${oneShortLine(message)}\n`);
      if (process.env.SECURE_FLASK_DEBUG) console.error(error);
    }
    process.exitCode = EXIT_USAGE;
  }
}

/** The first line, cut: an error may quote input (a 100,000-character pattern) that no terminal line should hold. */
function oneShortLine(message: string, limit = 300): string {
  const first = message.split('\n')[0] ?? '';
  return first.length > limit ? `${first.slice(0, limit)}... (${first.length - limit} more characters)` : first;
}
