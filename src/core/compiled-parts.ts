/**
 * The parts of the CLI whose code a run compiled lazily, on first use: each parser and the code that reads
 * what it parses. bin/code-cache.ts writes V8's code cache at the end of a run and writes it again when a
 * later run used a part the cached one had not (a repository with compose files after one without). Kept on
 * the global object: the bundle that notes a part is not the module that reads the notes.
 */
export type CompiledPart = 'python' | 'shell' | 'yaml';

const BITS: Record<CompiledPart, number> = { python: 1, shell: 2, yaml: 4 };
const NOTES = Symbol.for('secure-flask.compiled-parts');
const notes = globalThis as { [NOTES]?: number };

export function noteCompiledPart(part: CompiledPart): void {
  notes[NOTES] = (notes[NOTES] ?? 0) | BITS[part];
}

/** The parts this process compiled, as bits (0 to 255). */
export function compiledParts(): number {
  return notes[NOTES] ?? 0;
}

/**
 * The flags bin/code-cache.ts sets before it compiles a bundle, and the tree-sitter runtime sets before it
 * compiles a grammar (files/tree-sitter-runtime.ts): Liftoff only, no tier-up to TurboFan. V8 keeps the
 * flags in its cached data and rejects data made under others.
 */
export const WASM_FLAGS = '--liftoff-only';
