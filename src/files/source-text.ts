import { readFileSync } from 'node:fs';

/** A text file decoded for analysis, with what is needed to write it back byte-for-byte. */
export interface SourceText {
  text: string;
  /** Encoding label for TextDecoder; 'utf-8' unless a PEP 263 coding cookie said otherwise. */
  encoding: string;
  hasBom: boolean;
}

export type ReadResult = { ok: true; source: SourceText; bytes: Buffer } | { ok: false; reason: string };

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// PEP 263: `# -*- coding: latin-1 -*-` on line 1 or 2.
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** The raw bytes of a file, or why they cannot be checked: unreadable, too large, or binary. */
export function readFileBytes(path: string): BytesResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'EACCES' || code === 'EPERM' ? 'unreadable (permission denied)' : `unreadable (${code ?? 'error'})` };
  }
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary' };
  return { ok: true, bytes };
}

export function readSourceFile(path: string, isPython: boolean): ReadResult {
  const read = readFileBytes(path);
  return read.ok ? decodeSource(read.bytes, isPython) : read;
}

export function decodeSource(bytes: Buffer, isPython: boolean): ReadResult {
  const hasBom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { ok: true, source: { text, encoding: 'utf-8', hasBom }, bytes };
  } catch {
    const declared = isPython && !hasBom ? codingCookie(body) : undefined;
    if (declared) {
      try {
        const text = new TextDecoder(declared, { fatal: true }).decode(body);
        return { ok: true, source: { text, encoding: declared, hasBom }, bytes };
      } catch {
        return { ok: false, reason: `not valid ${declared}` };
      }
    }
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

function codingCookie(body: Buffer): string | undefined {
  const head = body.subarray(0, 400).toString('latin1').split('\n').slice(0, 2);
  for (const line of head) {
    const name = CODING_COOKIE.exec(line)?.[1]?.toLowerCase();
    if (name && name !== 'utf-8' && name !== 'utf8') {
      try {
        new TextDecoder(name);
        return name;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
