import { escapeRegExp } from '../core/escape-regexp.js';
import { readSourceFile } from '../files/source-text.js';

/**
 * Whether any module of the project names a config map's key where a config is chosen: a call's argument
 * (`create_app('default')`), a fallback (`os.getenv('FLASK_CONFIG') or 'default'`, `getenv(X, 'default')`),
 * a subscript (`config['default']`) or a default (`config_name='default'`). Read from the project's Python
 * files once, only when a finding asks. A map's `"default"` entry that nothing selects is never used.
 */
export class ConfigKeySelections {
  private readonly answers = new Map<string, boolean>();
  private texts: string[] | undefined;

  constructor(private readonly pythonFiles: readonly string[]) {}

  isSelected(key: string): boolean {
    let answer = this.answers.get(key);
    if (answer === undefined) {
      const escaped = escapeRegExp(key);
      // Not a dict key (`'default': DevelopmentConfig`) and not a word inside a longer string.
      const selection = new RegExp(String.raw`(?:\bor|[(,[=])\s*(['"])${escaped}\1(?!\s*:)`, 'g');
      this.texts ??= this.pythonFiles.flatMap((path) => {
        const read = readSourceFile(path, true);
        return read.ok ? [read.source.text] : [];
      });
      answer = this.texts.some((text) =>
        [...text.matchAll(selection)].some((match) => !formatsNoneBefore(text, match.index ?? 0)),
      );
      this.answers.set(key, answer);
    }
    return answer;
  }
}

/**
 * True when the `or` at `index` follows an f-string or `str(...)` (`f"{os.getenv('FLASK_ENV')}" or "default"`):
 * an unset variable formats as "None", never empty, so the key after it is not what an unset environment gets.
 */
function formatsNoneBefore(text: string, index: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', index) + 1, index + 2);
  return /(?:\bf(['"])[^'"\n]*\{[^\n]*\}[^'"\n]*\1|\bstr\([^\n]*\))\s*or$/.test(line);
}
