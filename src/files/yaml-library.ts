import { noteCompiledPart } from '../core/compiled-parts.js';
type YamlLibrary = typeof import('yaml');
let library: YamlLibrary | undefined;

/** yamlLibrary() was asked before loadYaml(): build through withLazyParsers, which loads it and builds again. */
export class YamlNeeded extends Error {
  constructor() {
    super('the yaml package is not loaded: build through withLazyParsers()');
  }
}

/**
 * Loads the yaml package, once per thread, before YAML is parsed. The build bundles it as an ES
 * module chunk of its own (~210 KB), so a check compiles it only when a file has the shape of a compose
 * or Kubernetes file or an app loads a YAML config, and never starts Node's CommonJS loader for it
 * (measured: ~30 ms against ~150 ms through `require` on a loaded machine).
 */
export async function loadYaml(): Promise<void> {
  library ??= await import('yaml');
  noteCompiledPart('yaml');
}

/** The yaml package, once loadYaml() has loaded it on this thread; YamlNeeded before. */
export function yamlLibrary(): YamlLibrary {
  if (!library) throw new YamlNeeded();
  return library;
}
