import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../src/core/findings.js';
import { EditIndex } from '../../src/migrate/edit-index.js';

// A small deterministic generator: the same edits every run.
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state;
  }
}

describe('EditIndex', () => {
  it('returns every edit that overlaps, touches or holds a range, whatever the order edits were added in', () => {
    const random = numbers(7);
    const next = (below: number) => (random.next().value as number) % below;
    const edits: TextEdit[] = [];
    const index = new EditIndex();
    for (let n = 0; n < 300; n++) {
      const start = next(2000);
      const edit = { start, end: start + (next(4) === 0 ? 0 : next(n % 50 === 0 ? 400 : 20)), replacement: '' };
      edits.push(edit);
      index.add(edit);
    }
    for (let n = 0; n < 300; n++) {
      const start = next(2100);
      const end = start + next(30);
      const near = new Set(index.near(start, end));
      for (const edit of edits) if (edit.start <= end && edit.end >= start) expect(near.has(edit)).toBe(true);
    }
  });
});
