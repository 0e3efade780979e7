import { sep } from 'node:path';
import { readSourceFile } from '../files/source-text.js';

// Python code that reads a .env file itself: python-dotenv, environs, python-decouple, pydantic-settings, Dynaconf.
const LOADS_DOTENV =
  /\b(?:load_dotenv|dotenv_values|find_dotenv|read_env|Dynaconf|BaseSettings)\b|\bimport\s+decouple\b|\bfrom\s+decouple\s+import\b|\benv_file\s*=/;

/**
 * Whether the project's Python code under a folder loads a .env file itself, in which case a WSGI server's
 * app reads it too. Each file is read at most once, and only when a committed .env has a finding.
 */
export class DotenvLoaders {
  private readonly loaders: string[] = [];
  private scanned = false;

  constructor(private readonly pythonFiles: readonly string[]) {}

  loadsDotenv(folder: string): boolean {
    if (!this.scanned) {
      this.scanned = true;
      for (const path of this.pythonFiles) {
        const read = readSourceFile(path, true);
        if (read.ok && LOADS_DOTENV.test(read.source.text)) this.loaders.push(path);
      }
    }
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    return this.loaders.some((path) => path.startsWith(prefix));
  }
}
