import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Language } from 'web-tree-sitter';
import { packageRoot } from '../core/package-root.js';

const WASM_TIERING_BUDGET = '--wasm-tiering-budget=100000000';

let runtime: Promise<typeof import('web-tree-sitter')> | undefined;

/**
 * The WebAssembly tree-sitter runtime, initialised once per thread. Every
 * grammar (Python, bash) shares it: a second `Parser.init()` would replace the
 * module under the languages already loaded.
 */
function treeSitterRuntime(): Promise<typeof import('web-tree-sitter')> {
  runtime ??= (async () => {
    // V8 moves WebAssembly functions to its optimizing compiler once they have run a budget of
    // code. A grammar's lexer is one huge function: optimizing it cost 0.7 s of CPU (and 50 MiB)
    // on a project with a few shell commands, more than checking the whole project. A budget 55x
    // V8's default keeps small runs on the baseline compiler; a large parse still gets optimized
    // (no slower on a 2.4 MB module). Flags are per process, so worker threads share it.
    setFlagsFromString(WASM_TIERING_BUDGET);
    // Imported here, not at the top: commands that never parse never load it.
    const module = await import('web-tree-sitter');
    await module.Parser.init();
    return module;
  })();
  return runtime;
}

/**
 * A grammar's `.wasm`: the copy the build puts in dist/bin (src/build/bundle.ts), or (running from
 * sources before a build) the dev dependency's own, e.g. `tree-sitter-bash/tree-sitter-bash.wasm`.
 */
function grammarPath(packageName: string): string {
  const file = `${packageName}.wasm`;
  const built = join(packageRoot(), 'dist', 'bin', file);
  if (existsSync(built)) return built;
  return createRequire(import.meta.url).resolve(`${packageName}/${file}`);
}

/** A parser for one grammar package (`tree-sitter-python`, `tree-sitter-bash`), on the shared runtime. */
export async function loadGrammarParser(packageName: string): Promise<import('web-tree-sitter').Parser> {
  const { Language, Parser } = await treeSitterRuntime();
  const language: Language = await Language.load(readFileSync(grammarPath(packageName)));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
