import { describe, expect, it } from 'vitest';
import { spanAt } from '../../src/deploy/formats/common.js';

describe('spanAt', () => {
  it('numbers the line of an offset as counting the line breaks before it would, in texts read in turn', () => {
    const texts = ['', 'one line', 'a\nb\n\nc', '\n\nstarts with breaks\r\nand CRLF\r\n', 'x\n'.repeat(50)];
    // Alternating between texts: each one's line starts are found again, never another text's used.
    for (const round of [1, 2])
      for (const text of texts)
        for (let offset = 0; offset <= text.length; offset++) {
          const expected = text.slice(0, offset).split('\n').length;
          expect(spanAt('f', text, offset, offset + round)).toEqual({
            path: 'f',
            start: offset,
            end: offset + round,
            line: expected,
          });
        }
  });
});
