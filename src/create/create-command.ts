import { COMMON_OPTIONS, parseCommandArgs } from '../cli/args.js';
import { EXIT_OK, UsageError } from '../cli/usage-error.js';
import { packageVersion } from '../cli/version.js';

export async function runCreateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('create-secure-flask', argv, COMMON_OPTIONS);
  if (values.help) {
    process.stdout.write('Usage: create-secure-flask [dir]\n');
    return EXIT_OK;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  throw new UsageError('create-secure-flask: not available yet in this version');
}
