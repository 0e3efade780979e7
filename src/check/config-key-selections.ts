import { escapeRegExp } from '../core/escape-regexp.js';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { readSourceFile } from '../files/source-text.js';

/**
 * Whether any module of the project names a config map's key where a config is chosen: a call's argument
 * (`create_app('default')`), a fallback (`os.getenv('FLASK_CONFIG') or 'default'`, `getenv(X, 'default')`),
 * a subscript (`config['default']`) or a default (`config_name='default'`). Read from the project's Python
 * files once, only when a finding asks. A map's `"default"` entry that nothing selects is never used.
 */
export class ConfigKeySelections {
  private readonly answers = new Map<string, boolean>();
  private texts: Map<string, string> | undefined;

  constructor(private readonly pythonFiles: readonly string[]) {}

  isSelected(key: string): boolean {
    let answer = this.answers.get(key);
    if (answer === undefined) {
      const selection = selectionOf(key);
      answer = [...this.sources().values()].some((text) =>
        [...text.matchAll(selection)].some((match) => !formatsNoneBefore(text, match.index ?? 0)),
      );
      this.answers.set(key, answer);
    }
    return answer;
  }

  /**
   * The one environment variable whose unset value selects `key`, when that is the only way any module of
   * `folder` selects it (`os.getenv("FLASK_ENV", "default")`, `os.environ.get("FLASK_CONFIG") or "default"`): a
   * deploy that sets the variable to another value selects another entry. Undefined when a call, subscript or
   * default names the key itself, or several variables select it.
   */
  selectingVariable(key: string, folder: string): string | undefined {
    const escaped = escapeRegExp(key);
    const reader = String.raw`(?:getenv|environ\.get)\(\s*(['"])(\w+)\1\s*`;
    const byDefault = new RegExp(String.raw`${reader},\s*(['"])${escaped}\3\s*\)`, 'g');
    const byOr = new RegExp(String.raw`${reader}\)\s*or\s*(['"])${escaped}\3`, 'g');
    const variables = new Set<string>();
    let selections = 0;
    for (const [path, text] of this.sources()) {
      if (!path.startsWith(folder + sep)) continue;
      selections += [...text.matchAll(selectionOf(key))].length;
      for (const match of [...text.matchAll(byDefault), ...text.matchAll(byOr)]) {
        variables.add(match[2] ?? '');
        selections--;
      }
    }
    const [only] = variables;
    return variables.size === 1 && selections === 0 && only ? only : undefined;
  }

  /** The project's Python files by path, read once, when a finding first asks. */
  private sources(): Map<string, string> {
    this.texts ??= new Map(
      this.pythonFiles.flatMap((path) => {
        const read = readSourceFile(path, true);
        return read.ok ? [[path, read.source.text] as const] : [];
      }),
    );
    return this.texts;
  }
}

/** Where a module names `key` to select it: not a dict key (`'default': ...`) nor a word inside a longer string. */
function selectionOf(key: string): RegExp {
  return new RegExp(String.raw`(?:\bor|[(,[=])\s*(['"])${escapeRegExp(key)}\1(?!\s*:)`, 'g');
}

/**
 * True when the `or` at `index` follows an f-string or `str(...)` (`f"{os.getenv('FLASK_ENV')}" or "default"`):
 * an unset variable formats as "None", never empty, so the key after it is not what an unset environment gets.
 */
function formatsNoneBefore(text: string, index: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', index) + 1, index + 2);
  return /(?:\bf(['"])[^'"\n]*\{[^\n]*\}[^'"\n]*\1|\bstr\([^\n]*\))\s*or$/.test(line);
}

// Files that mark the folder of a project: where the modules that select its config live.
const PROJECT_MARKERS = ['requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile', 'Dockerfile', 'Procfile'];

/** The nearest folder above `file` (up to `root`) that holds a project's requirements or deploy file, else root. */
export function projectFolderOf(file: string, root: string): string {
  for (let folder = dirname(file); folder.startsWith(root); folder = dirname(folder)) {
    if (PROJECT_MARKERS.some((name) => existsSync(join(folder, name)))) return folder;
    if (folder === root || dirname(folder) === folder) break;
  }
  return root;
}
