import { loadYaml, YamlNeeded } from '../files/yaml-library.js';
import { loadShellParser, ShellGrammarNeeded } from './shell/shell-parser.js';

/**
 * Runs a synchronous build (a deploy model, a file's rules); if it met shell text before the bash grammar
 * was loaded, or YAML before the yaml package was, loads what it needed and runs the build again. Each loads
 * once per thread, so a build runs at most three times; most runs load neither.
 */
export async function withLazyParsers<T>(build: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return build();
    } catch (error) {
      if (attempt < 2 && error instanceof ShellGrammarNeeded) await loadShellParser();
      else if (attempt < 2 && error instanceof YamlNeeded) await loadYaml();
      else throw error;
    }
  }
}
