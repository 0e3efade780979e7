import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { openBufferBytes } from './open-buffers.js';

/** A text file decoded for analysis, with what is needed to write it back byte-for-byte. */
export interface SourceText {
  text: string;
  /** Encoding label for TextDecoder; 'utf-8' unless a PEP 263 coding cookie said otherwise. */
  encoding: string;
  hasBom: boolean;
}

export type ReadResult = { ok: true; source: SourceText; bytes: Buffer } | { ok: false; reason: string };

// Generated modules (protobuf, Qt resources, vendored bundles) reach a few MiB; a file past this is
// not read at all, and check fails closed on it (the read never holds more than this in memory).
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// PEP 263: `# -*- coding: latin-1 -*-` on line 1 or 2.
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/**
 * The raw bytes of a file, or why they cannot be checked: not a regular file
 * (a FIFO would block forever, /dev/zero never ends), unreadable, too large, or
 * binary. Never reads more than the limit: the size is checked on the open
 * descriptor and the read itself stops one byte past the limit.
 */
export function readFileBytes(path: string): BytesResult {
  return readBytes(path, (size) => Buffer.allocUnsafe(size));
}

let scratch = Buffer.allocUnsafe(1024 * 1024);

/**
 * readFileBytes into one buffer that this thread reuses: the bytes are only valid
 * until the next call. Screening thousands of files this way allocates nothing per file.
 */
export function readFileBytesTransient(path: string): BytesResult {
  return readBytes(path, (size) => (size <= scratch.length ? scratch : (scratch = Buffer.allocUnsafe(size))));
}

function readBytes(path: string, bufferOf: (size: number) => Buffer): BytesResult {
  const buffer = openBufferBytes(path);
  if (buffer !== undefined) return checkedBytes(buffer);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, reason: unreadableReason(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: NOT_A_REGULAR_FILE };
    return checkedBytes(readAtMost(fd, stat.size, MAX_FILE_BYTES + 1, bufferOf));
  } catch (error) {
    return { ok: false, reason: unreadableReason(error) };
  } finally {
    closeSync(fd);
  }
}

/** Bytes a check reads, or why not: too large, or binary. */
function checkedBytes(bytes: Buffer): BytesResult {
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary' };
  return { ok: true, bytes };
}

export const NOT_A_REGULAR_FILE = 'not a regular file';

/** Skip reasons that leave a file that could hold a finding unchecked: check must not pass on them. */
export function leavesFileUnchecked(reason: string): boolean {
  return reason.startsWith('larger than') || reason.startsWith('unreadable');
}

/** One label for every file that cannot be read; the cause goes in brackets. */
export function unreadableReason(error: unknown): `unreadable (${string})` {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'unreadable (permission denied)' : `unreadable (${code ?? 'error'})`;
}

/**
 * Up to `limit` bytes from an open file, stopping at end of file (a file may grow while read).
 * The buffer has room for one byte more than the size, so the read that finds the end needs no
 * second buffer; only a file that grew since fstat is copied into a larger one.
 */
function readAtMost(fd: number, size: number, limit: number, bufferOf: (size: number) => Buffer): Buffer {
  let buffer = bufferOf(Math.min(size, limit) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) break;
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
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
      const text = decodeDeclared(declared, body);
      if (text === undefined) return { ok: false, reason: `unsupported encoding ${declared}` };
      return { ok: true, source: { text, encoding: declared, hasBom }, bytes };
    }
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

/** The PEP 263 encoding named on line 1 or 2, normalized (`latin-1` -> `latin1`). */
function codingCookie(body: Buffer): string | undefined {
  const head = body.subarray(0, 400).toString('latin1').split('\n').slice(0, 2);
  for (const line of head) {
    const name = CODING_COOKIE.exec(line)?.[1]?.toLowerCase().replace(/_/g, '-');
    if (!name) continue;
    if (/^(?:latin-?1|iso-?8859-1|l1|iso-ir-100|8859)$/.test(name)) return 'latin1';
    return name === 'utf-8' || name === 'utf8'
      ? undefined
      : name.replace(/^cp(125\d)$/, 'windows-$1').replace(/^iso8859-/, 'iso-8859-');
  }
  return undefined;
}

/** Text in a declared single-byte encoding; Python's latin-1 is Node's `latin1` (not WHATWG's windows-1252). */
function decodeDeclared(encoding: string, body: Buffer): string | undefined {
  if (encoding === 'latin1') return body.toString('latin1');
  try {
    return new TextDecoder(encoding).decode(body);
  } catch {
    return undefined;
  }
}

/** Bytes for text in a file's original encoding, or undefined when Node cannot encode it. */
export function encodeSource(text: string, source: Pick<SourceText, 'encoding' | 'hasBom'>): Buffer | undefined {
  const bom = source.hasBom ? UTF8_BOM : Buffer.alloc(0);
  if (source.encoding === 'utf-8') return Buffer.concat([bom, Buffer.from(text, 'utf8')]);
  if (source.encoding === 'latin1' && /^[\u0000-\u00ff]*$/.test(text)) return Buffer.from(text, 'latin1');
  return encodeSingleByte(text, source.encoding);
}

const singleByteTables = new Map<string, Map<string, number> | undefined>();

/**
 * Node decodes every WHATWG encoding but encodes only UTF-8 and latin-1. For the single-byte
 * ones (windows-1252, iso-8859-15, koi8-r, ...) each byte is one character, so the table that
 * decodes byte by byte, inverted, writes text back byte-for-byte. Multi-byte encodings
 * (Shift JIS, GBK, Big5) have no such table: undefined, and migrate says it cannot write them.
 */
function encodeSingleByte(text: string, encoding: string): Buffer | undefined {
  let table = singleByteTables.get(encoding);
  if (!singleByteTables.has(encoding)) {
    table = singleByteTable(encoding);
    singleByteTables.set(encoding, table);
  }
  if (!table) return undefined;
  const bytes = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (const char of text) {
    const byte = table.get(char);
    if (byte === undefined) return undefined;
    bytes[length++] = byte;
  }
  return bytes.subarray(0, length);
}

function singleByteTable(encoding: string): Map<string, number> | undefined {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    return undefined;
  }
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) {
    const char = decoder.decode(Uint8Array.of(byte));
    // Two bytes for one character, or one that needs a second byte: not a single-byte encoding.
    if ([...char].length !== 1 || char === '\ufffd' || table.has(char)) return undefined;
    table.set(char, byte);
  }
  return table;
}
