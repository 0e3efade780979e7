import { loadYaml, YamlNeeded } from '../files/yaml-library.js';
import { loadShellParser, ShellGrammarNeeded } from './shell/shell-parser.js';
import { loadPythonParser, PythonGrammarNeeded } from '../python/parser.js';

/**
 * Runs a synchronous build (a deploy model, a file's rules); if it met shell text before the bash grammar
 * was loaded, YAML before the yaml package was, or a gunicorn config file (Python) before its grammar was, loads
 * what it needed and runs the build again. Each loads once per thread, so a build runs at most four times; most
 * runs load none.
 */
export async function withLazyParsers<T>(build: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return build();
    } catch (error) {
      if (attempt < 3 && error instanceof ShellGrammarNeeded) await loadShellParser();
      else if (attempt < 3 && error instanceof YamlNeeded) await loadYaml();
      else if (attempt < 3 && error instanceof PythonGrammarNeeded) await loadPythonParser();
      else throw error;
    }
  }
}
