import { UsageError } from '../../core/usage-error.js';

/** stdout, or `--output FILE` written whole (the same writer check uses). */
export async function writeRuntimeReport(command: string, output: string | undefined, rendered: string): Promise<void> {
  if (output === undefined) {
    process.stdout.write(rendered);
    return;
  }
  if (output === '') throw new UsageError(`${command}: --output needs a file name`);
  const { writeReportFile } = await import('../../files/write-output.js');
  await writeReportFile(output, rendered);
  process.stderr.write(`${command}: report written to ${output}\n`);
}
