import { COMMON_OPTIONS, parseCommandArgs } from '../cli/args.js';
import { EXIT_OK, UsageError } from '../cli/usage-error.js';

export async function runMigrateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('secure-flask migrate', argv, COMMON_OPTIONS);
  if (values.help) {
    process.stdout.write('Usage: secure-flask migrate [paths...]\n\nNot available yet in this version.\n');
    return EXIT_OK;
  }
  throw new UsageError('secure-flask migrate: not available yet in this version');
}
