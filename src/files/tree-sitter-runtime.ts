import { WASM_FLAGS } from '../core/compiled-parts.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Edit, Language } from 'web-tree-sitter';
import { packageRoot } from '../core/package-root.js';

let runtime: Promise<typeof import('web-tree-sitter')> | undefined;
let loaded: typeof import('web-tree-sitter') | undefined;

/**
 * The WebAssembly tree-sitter runtime, initialised once per thread. Every
 * grammar (Python, bash) shares it: a second `Parser.init()` would replace the
 * module under the languages already loaded.
 */
function treeSitterRuntime(): Promise<typeof import('web-tree-sitter')> {
  runtime ??= (async () => {
    // V8 moves a hot WebAssembly function to TurboFan on a background thread. A grammar's lexer is one
    // huge function: optimizing it costs seconds of CPU (bash's), and Node waits at exit for every
    // background compile still running, even after the output is written (searxng: 0.7 s of work, then
    // 2 s waiting for TurboFan, on a busy 2-core machine). Liftoff code parses as fast where it counts:
    // a 2 MB module takes the same CPU either way, and less memory. Flags are per process (and set before
    // any grammar compiles), so worker threads share it.
    (await import('node:v8')).setFlagsFromString(WASM_FLAGS);
    // Imported here, not at the top: commands that never parse never load it.
    const module = await import('web-tree-sitter');
    await module.Parser.init();
    loaded = module;
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

/** A tree edit (for an incremental parse), once a grammar is loaded. */
export function treeEdit(fields: ConstructorParameters<typeof Edit>[0]): Edit {
  if (!loaded) throw new Error('tree-sitter is not loaded: load a grammar first');
  return new loaded.Edit(fields);
}
