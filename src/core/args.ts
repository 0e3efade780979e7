import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fitHelp } from './help-text.js';
import { closestName } from './suggest.js';
import { UsageError } from './usage-error.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict argv parsing on top of node:util: unknown flags, missing values and
 * stray positionals become a UsageError with a one-line message.
 */
export function parseCommandArgs<T extends OptionSpec>(
  command: string,
  argv: string[],
  options: T,
  { allowPositionals = true }: { allowPositionals?: boolean } = {},
) {
  const args = valuesThatLookLikeFlags(command, argv, options);
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const reason = parseErrorMessage(error, options);
    throw new UsageError(`${command}: ${reason}${reason.includes('did you mean') ? '' : ` (see '${command} --help')`}`);
  }
}

/** node:util's parse errors in our words (its wording names value placeholders and suggests `--`). */
function parseErrorMessage(error: unknown, options: OptionSpec): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const longName = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0] ?? quoted;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.entries(options).flatMap(([name, spec]) => [
      `--${name}`,
      ...(spec.short ? [`-${spec.short}`] : []),
    ]);
    const suggestion = closestName(
      quoted.split('=')[0] ?? quoted,
      known.filter((flag) => flag.startsWith('--')),
    );
    return `unknown option '${quoted}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take/.test(message) ? `${longName} takes no value` : `${longName} needs a value`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument '${quoted}': this command takes none`;
  return (message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
}

/**
 * node:util refuses `--jobs -1` and `--server --no-install` alike as "argument
 * is ambiguous". Say what is wrong instead: a known option where a value
 * belongs is a missing value; anything else (`-1`) is the value, which the
 * option's own check then judges.
 */
function valuesThatLookLikeFlags(command: string, argv: string[], options: OptionSpec): string[] {
  const takesValue = new Map<string, string>();
  const known = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    known.add(`--${name}`);
    if (spec.short) known.add(`-${spec.short}`);
    if (spec.type === 'string') {
      takesValue.set(`--${name}`, name);
      if (spec.short) takesValue.set(`-${spec.short}`, name);
    }
  }
  const args: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === undefined) break;
    if (arg === '--') {
      args.push(...argv.slice(index));
      break;
    }
    const name = takesValue.get(arg);
    const next = argv[index + 1];
    if (name === undefined || next === undefined || !next.startsWith('-') || next === '-') {
      args.push(arg);
      continue;
    }
    if (known.has(next.split('=')[0] ?? '') || next === '--') {
      throw new UsageError(`${command}: --${name} needs a value, but '${next}' follows it (see '${command} --help')`);
    }
    args.push(`--${name}=${next}`);
    index++;
  }
  return args;
}

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies OptionSpec;

/** Reads a `--flag value` that must be one of a fixed set. */
export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${command}: --${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Prints the help or the version when asked; true when the command has nothing else to do. */
export function answeredHelpOrVersion(
  values: { help?: boolean; version?: boolean },
  help: string,
  version: () => string,
): boolean {
  if (values.help) process.stdout.write(fitHelp(help));
  else if (values.version) process.stdout.write(`${version()}\n`);
  return values.help === true || values.version === true;
}

/** `--jobs <n>`: a whole number of at least 1 (threads, the main one included), or undefined for one per core. */
export function parseJobs(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`${command}: --jobs must be a whole number of at least 1 (got '${value}')`);
  return jobs;
}
