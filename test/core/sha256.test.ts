import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/sha256.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it("gives the standard's digests", () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is the digest of the UTF-8 bytes, as node:crypto makes it, at every padding boundary', () => {
    const texts = ['run-debug\0app.py\0app.run(debug=True)\0' + '0', 'é€😀\0x', 'ß'.repeat(40)];
    for (let length = 0; length <= 200; length++) texts.push('a'.repeat(length), `${'x'.repeat(length)}€`);
    for (const text of texts) expect(sha256Hex(text), JSON.stringify(text)).toBe(nodeSha256(text));
  });
});
