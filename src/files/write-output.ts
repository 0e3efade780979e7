import writeFileAtomic from 'write-file-atomic';

/** Writes a report file whole (temp file + rename), so a reader never sees half of it. */
export async function writeReportFile(path: string, contents: string | Buffer): Promise<void> {
  await writeFileAtomic(path, contents, typeof contents === 'string' ? { encoding: 'utf8' } : {});
}
