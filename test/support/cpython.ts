import { execa } from 'execa';

export type CompileVerdict = { ok: true } | { ok: false; error: string };

// Reads a JSON list (RecursionError and MemoryError are compile()'s answers to nesting too deep) of sources, compiles each (as bytes, so coding cookies and BOMs count), prints verdicts.
const COMPILE_ALL = `
import json, sys
verdicts = []
for source in json.load(sys.stdin):
    try:
        compile(source.encode('latin-1'), 'module.py', 'exec', dont_inherit=True)
        verdicts.append({'ok': True})
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        verdicts.append({'ok': False, 'error': type(error).__name__ + ': ' + str(error)})
json.dump(verdicts, sys.stdout)
`;

/**
 * CPython's verdict on many files in one interpreter start (starting Python
 * per file would dominate a property test's run time). Each source is given
 * as its bytes (a Buffer, or a string of UTF-8 text).
 */
export async function compileAll(python: string, sources: (string | Buffer)[]): Promise<CompileVerdict[]> {
  // latin-1 carries arbitrary bytes through JSON losslessly; the script turns them back into bytes.
  const payload = JSON.stringify(
    sources.map((source) => (typeof source === 'string' ? Buffer.from(source, 'utf8') : source).toString('latin1')),
  );
  const result = await execa(python, ['-c', COMPILE_ALL], { input: payload, timeout: 120_000 });
  return JSON.parse(String(result.stdout)) as CompileVerdict[];
}
