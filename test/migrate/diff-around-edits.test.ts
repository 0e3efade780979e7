import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../src/core/findings.js';
import { unifiedDiff } from '../../src/files/patch.js';

// A small deterministic generator: the same cases every run.
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state;
  }
}

/** `text` with `edits` (ascending, apart) made. */
function edited(text: string, ascending: TextEdit[]): string {
  let result = '';
  let from = 0;
  for (const edit of ascending) {
    result += text.slice(from, edit.start) + edit.replacement;
    from = edit.end;
  }
  return result + text.slice(from);
}

describe('unifiedDiff from the edits that made the new text', () => {
  it('prints the diff of the whole files: hunks, context, joined hunks, line ends, the last line', () => {
    const random = numbers(11);
    const next = (below: number) => (random.next().value as number) % below;
    for (let round = 0; round < 200; round++) {
      const eol = round % 5 === 0 ? '\r\n' : '\n';
      const lines = Array.from({ length: 5 + next(60) }, (_, n) => `line ${n} of ${round}`);
      const before = lines.join(eol) + (round % 3 === 0 ? '' : eol);
      const ascending: TextEdit[] = [];
      let at = 0;
      while (at < before.length) {
        at += next(120);
        if (at > before.length) break;
        const start = next(2) === 0 ? before.lastIndexOf('\n', at - 1) + 1 : at;
        if (start < (ascending.at(-1)?.end ?? 0)) continue;
        const end = Math.min(before.length, start + ([0, 3, 30][next(3)] ?? 0));
        const replacement = ['', 'new', `added ${at}${eol}`, `x${eol}y`][next(4)] ?? '';
        ascending.push({ start, end, replacement });
        at = end;
      }
      const after = edited(before, ascending);
      const whole = unifiedDiff({ rootPath: 'a.py', before, after });
      expect(unifiedDiff({ rootPath: 'a.py', before, after, edits: [...ascending].reverse() })).toBe(whole);
    }
  });

  it('falls back to comparing the whole files when the edits do not make the new text', () => {
    const before = 'a\nb\nc\n';
    const edits = [{ start: 2, end: 4, replacement: '' }];
    expect(unifiedDiff({ rootPath: 'a.py', before, after: 'a\nc\nd\n', edits })).toBe(
      unifiedDiff({ rootPath: 'a.py', before, after: 'a\nc\nd\n' }),
    );
  });
});
