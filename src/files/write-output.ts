import writeFileAtomic from 'write-file-atomic';

/** Writes a report file whole (temp file + rename), so a reader never sees half of it. */
export async function writeReportFile(path: string, contents: string): Promise<void> {
  await writeFileAtomic(path, contents, { encoding: 'utf8' });
}
