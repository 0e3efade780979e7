import { readFileSync } from 'node:fs';
import { UsageError } from '../core/usage-error.js';

/**
 * What production injects at run time and no deploy file says (a SECRET_KEY from a secret
 * store), given on the command line as `docker run` takes it: `--env-file FILE` first, in
 * order, then `--env KEY=VALUE`, each later value winning. `--env KEY` alone passes the
 * caller's value of KEY, as docker does; nothing else of the caller's environment goes in.
 */
export function givenEnvironment(
  command: string,
  envFiles: readonly string[],
  envFlags: readonly string[],
  callerEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const given: Record<string, string> = {};
  for (const file of envFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${command}: cannot read --env-file ${file}: ` +
          `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    text.split(/\r?\n/).forEach((line, index) => {
      // docker's format: `#` comments and blank lines skipped, the value taken literally (no quotes, no expansion).
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      assign(given, trimmed, `${file}:${index + 1}`, command, callerEnv);
    });
  }
  for (const flag of envFlags) assign(given, flag, `--env ${flag.split('=')[0]}`, command, callerEnv);
  return given;
}

function assign(
  given: Record<string, string>,
  entry: string,
  where: string,
  command: string,
  callerEnv: NodeJS.ProcessEnv,
): void {
  const equals = entry.indexOf('=');
  const name = equals === -1 ? entry : entry.slice(0, equals);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`${command}: ${where}: '${name}' is not an environment variable name (expected KEY=VALUE)`);
  if (equals !== -1) given[name] = entry.slice(equals + 1);
  else if (callerEnv[name] !== undefined) given[name] = callerEnv[name];
}

/** Text with every given value replaced by its name (`$SECRET_KEY`), so a report never shows a secret. */
export function redactGiven(text: string, given: Readonly<Record<string, string>>): string {
  let redacted = text;
  // Longest first, so a value that contains another is replaced whole. Values shorter than 4 characters
  // (`1`, `on`) are not secrets and would garble every line they occur in.
  const entries = Object.entries(given)
    .filter(([, value]) => value.length >= 4)
    .sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of entries) redacted = redacted.split(value).join(`$${name}`);
  return redacted;
}
