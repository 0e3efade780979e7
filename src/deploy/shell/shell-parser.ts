import { noteCompiledPart } from '../../core/compiled-parts.js';
import type { Parser, Tree } from 'web-tree-sitter';
import { loadGrammarParser } from '../../files/tree-sitter-runtime.js';

/**
 * The bash grammar (tree-sitter-bash, WebAssembly), loaded only when a command
 * needs shell parsing: a tree whose deploy files hold only exec-form arrays or
 * plain words never loads it. Loading is asynchronous and the deploy model is
 * built synchronously, so a build that meets shell text throws
 * ShellGrammarNeeded and withShellGrammar loads the grammar and builds again.
 */
let parser: Parser | undefined;
let loading: Promise<void> | undefined;
let parses = 0;

export class ShellGrammarNeeded extends Error {
  constructor() {
    super('the bash grammar is not loaded: build the deploy model through withShellGrammar()');
  }
}

export function loadShellParser(): Promise<void> {
  loading ??= (async () => {
    parser = await loadGrammarParser('tree-sitter-bash');
    noteCompiledPart('shell');
  })();
  return loading;
}

/** True once the grammar is loaded on this thread (tests and benchmarks ask). */
export function shellParserLoaded(): boolean {
  return parser !== undefined;
}

/** How many texts the grammar has parsed on this thread (tests ask what screening spared). */
export function shellParseCount(): number {
  return parses;
}

/** Runs a synchronous build; if it needed the grammar, loads it and runs the build again. */
export async function withShellGrammar<T>(build: () => T): Promise<T> {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ShellGrammarNeeded)) throw error;
    await loadShellParser();
    return build();
  }
}

/** Parses shell text, hands the tree to `use`, then frees it (the tree lives in WebAssembly memory). */
export function withShellTree<T>(text: string, use: (tree: Tree) => T): T {
  if (!parser) throw new ShellGrammarNeeded();
  parses++;
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
