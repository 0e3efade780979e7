import { describe, expect, it } from 'vitest';
import { RecentParses } from '../../src/core/recent-parses.js';

describe('recent parses', () => {
  it('parses a text once while it fits the budget, dropping the oldest texts first', () => {
    const parsed: string[] = [];
    const recent = new RecentParses<number>(10);
    const parse = (text: string) =>
      recent.parse(text, (kept) => {
        parsed.push(kept);
        return kept.length;
      });
    expect([parse('aaaa'), parse('bbbb'), parse('aaaa')]).toEqual([4, 4, 4]);
    expect(parsed).toEqual(['aaaa', 'bbbb']);
    // 'cccc' needs room: 'aaaa', the oldest, goes.
    parse('cccc');
    parse('bbbb');
    parse('aaaa');
    expect(parsed).toEqual(['aaaa', 'bbbb', 'cccc', 'aaaa']);
  });

  it('never keeps a text longer than the budget, nor a parse that threw', () => {
    const recent = new RecentParses<string>(4);
    let parses = 0;
    const parse = (text: string) =>
      recent.parse(text, (kept) => {
        parses++;
        if (kept === 'bad') throw new Error('no grammar yet');
        return kept;
      });
    parse('too long');
    parse('too long');
    expect(parses).toBe(2);
    expect(() => parse('bad')).toThrow('no grammar yet');
    expect(() => parse('bad')).toThrow('no grammar yet');
    expect(parses).toBe(4);
  });
});
