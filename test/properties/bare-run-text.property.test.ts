import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BARE_RUN_PATTERN, BARE_RUN_TEXT } from '../../src/python/bare-run-text.js';

const runs = Number(process.env.FUZZ_RUNS ?? 3000);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261207;

// Pieces of the shapes that decide: indents, line breaks of every kind, names, dots, `.run`, calls.
const TOKENS = [
  ...[' ', '  ', '    ', '\t', '\n', '\r', '\r\n', '\u2028', '\u00a0', '\v', '#', '"'],
  ...['app', 'a_1', '_x', '9', '.', '.run', 'run', '.run_server', '.running', '(', ')', ' (', '\n('],
  ...['subprocess.', 'asyncio.', 'trio.', 'anyio.', 'sub', 'self', 'def f():', 'if x:', '=', ','],
];

describe('BARE_RUN_TEXT finds exactly what its pattern does', () => {
  it('on generated text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }), (tokens) => {
        const text = tokens.join('');
        expect(BARE_RUN_TEXT.test(text)).toBe(BARE_RUN_PATTERN.test(text));
      }),
      { numRuns: runs, seed },
    );
  });

  it('on the shapes it is for', () => {
    const cases = [
      'app.run()\n',
      'if __name__ == "__main__":\n    app.run(debug=True)\n',
      '\tapp.run ( )',
      '        runner.run()\n',
      'subprocess.run(["ls"])\n',
      'x = app.run()\n',
      '    my.app.run\n(',
      '.run()',
    ];
    for (const text of cases) expect(BARE_RUN_TEXT.test(text), text).toBe(BARE_RUN_PATTERN.test(text));
    expect(cases.map((text) => BARE_RUN_TEXT.test(text))).toEqual([true, true, true, false, false, false, true, false]);
  });
});
