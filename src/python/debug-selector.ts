/**
 * An app-specific switch that picks a debug config: `DEBUG = os.getenv("DEBUG") == "True"` then
 * `"Debug" if DEBUG else "Production"` (or `DebugConfig if DEBUG else ProductionConfig`). Read from
 * the text: the shapes are short and one line each; the deploy model decides whether a deploy file
 * sets the variable.
 */
export interface DebugSelector {
  /** The environment variable read. */
  variable: string;
  /** The config key or class chosen when the test passes: "Debug", "DebugConfig". */
  selects: string;
  /** True for values that make the test pass. */
  passes(value: string): boolean;
  line: number;
  /** The variable's value is itself the import path of the class (`from_object(os.environ["APP_SETTINGS"])`). */
  selectsValue?: true;
}

// `app.config.from_object(os.environ["APP_SETTINGS"])`, `from_object(env("APP_CONFIG", default="config.Prod"))`.
const CONFIG_PATH_READ =
  /\.from_object\(\s*(?:[\w.]*(?:getenv|environ\.get|\benv(?:\.str)?|\bconfig)\(\s*|[\w.]*environ\s*\[\s*)['"]([A-Za-z_]\w*)['"]/g;
// An import path to a class, as a deploy file writes it: `config.DevelopmentConfig`.
const CLASS_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.[A-Z]\w*$/;

/** Variables whose value `from_object()` loads as the config class: the value names the class. */
export function findConfigPathSelectors(source: string): DebugSelector[] {
  return [...source.matchAll(CONFIG_PATH_READ)].map((match) => ({
    variable: match[1] ?? '',
    selects: '',
    passes: (value: string) => CLASS_PATH.test(value),
    line: lineOf(source, match.index ?? 0),
    selectsValue: true as const,
  }));
}

const ENV_READ = String.raw`(?:os\.)?(?:getenv|environ\.get)\(\s*['"]([A-Za-z_]\w*)['"][^)\n]*\)`;
// NAME = (os.getenv("VAR", "False") == "True"), optionally `.lower()` and `in (...)`.
const COMPARED = new RegExp(
  String.raw`^[ \t]*([A-Za-z_]\w*)\s*=\s*\(?\s*${ENV_READ}(\.lower\(\))?\s*(==|in)\s*` +
    String.raw`(\([^)\n]*\)|\[[^\]\n]*\]|['"][^'"\n]*['"])\s*\)?\s*(?:#.*)?$`,
  'gm',
);
// NAME = bool(strtobool(os.getenv("VAR", ...))) / bool(int(os.getenv(...)))
const CONVERTED = new RegExp(
  String.raw`^[ \t]*([A-Za-z_]\w*)\s*=\s*(?:bool\()?\s*` +
    String.raw`(?:strtobool|int|util\.strtobool|distutils\.util\.strtobool)\(\s*${ENV_READ}\s*\)\s*\)?`,
  'gm',
);
const TRUTHY_WORDS = new Set(['1', 'true', 'yes', 'on', 'y', 't']);

function literals(text: string): string[] {
  return [...text.matchAll(/['"]([^'"]*)['"]/g)].map((match) => match[1] ?? '');
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let at = source.indexOf('\n'); at !== -1 && at < index; at = source.indexOf('\n', at + 1)) line++;
  return line;
}

export function findDebugSelectors(source: string): DebugSelector[] {
  const tests = new Map<string, { variable: string; passes: (value: string) => boolean }>();
  for (const match of source.matchAll(COMPARED)) {
    const [, name = '', variable = '', lower, , operand = ''] = match;
    const accepted = literals(operand).map((value) => (lower ? value.toLowerCase() : value));
    tests.set(name, { variable, passes: (value) => accepted.includes(lower ? value.toLowerCase() : value) });
  }
  for (const match of source.matchAll(CONVERTED)) {
    tests.set(match[1] ?? '', { variable: match[2] ?? '', passes: (value) => TRUTHY_WORDS.has(value.toLowerCase()) });
  }
  const selectors: DebugSelector[] = [];
  for (const [name, test] of tests) {
    // `'Debug' if DEBUG else 'Production'` or `DebugConfig if DEBUG else ProductionConfig`.
    const choice = new RegExp(String.raw`(['"]?)([A-Za-z_]\w*)\1\s+if\s+${name}\s+else\b`, 'g');
    for (const match of source.matchAll(choice)) {
      selectors.push({
        variable: test.variable,
        selects: match[2] ?? '',
        passes: test.passes,
        line: lineOf(source, match.index ?? 0),
      });
    }
  }
  return selectors;
}

/** Classes with `DEBUG = True` in their body: `class DebugConfig(Config):` ... `DEBUG = True`. */
export function debugConfigClasses(source: string): { name: string; line: number }[] {
  const classes: { name: string; line: number }[] = [];
  const lines = source.split('\n');
  lines.forEach((text, index) => {
    const header = /^([ \t]*)class\s+([A-Za-z_]\w*)\b[^:]*:/.exec(text);
    if (!header) return;
    const indent = (header[1] ?? '').length;
    for (let next = index + 1; next < lines.length; next++) {
      const body = lines[next] ?? '';
      if (body.trim() === '' || body.trimStart().startsWith('#')) continue;
      if ((/^[ \t]*/.exec(body)?.[0] ?? '').length <= indent) break;
      if (/^[ \t]+DEBUG\s*=\s*True\b/.test(body)) {
        classes.push({ name: header[2] ?? '', line: next + 1 });
        break;
      }
    }
  });
  return classes;
}

// A value compared with a string, tested for membership, or used to pick a config: the code decides by it.
const DECIDES = String.raw`\s*[=!]=\s*['"]|\s+(?:not\s+)?in\s*[(\[{]`;
const PICKS = /from_object\s*\(|\w_app\s*\(|app_factory\s*\(|\bconfig\w*\s*(?:\[|\.get\s*\()/i;

/**
 * Lines where the code reads the environment variable `variable` and decides something by it: compares
 * it (`os.getenv("FLASK_ENV") == "development"`), picks a config by it (`config[os.getenv("FLASK_ENV")]`),
 * directly or through the name it is bound to (`env = os.getenv("FLASK_ENV")`, then `if env != "production":`).
 */
export function findDecidingReads(source: string, variable: string): { line: number; text: string }[] {
  const read = new RegExp(
    String.raw`(?:getenv|environ\.get)\(\s*['"]${variable}['"][^)\n]*\)|environ\s*\[\s*['"]${variable}['"]\s*\]`,
  );
  const lines = source.split('\n');
  const found: { line: number; text: string }[] = [];
  lines.forEach((text, index) => {
    const match = read.exec(text);
    if (!match || text.trimStart().startsWith('#')) return;
    const after = text.slice(match.index + match[0].length);
    const bound = /^[ \t]*([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)/.exec(text)?.[1];
    const usesName = (name: string) =>
      new RegExp(
        String.raw`\b${name}\b(?:${DECIDES})|['"]\s*[=!]=\s*${name}\b|` +
          String.raw`(?:from_object|\w_app|app_factory|config\w*(?:\.get)?)\s*[(\[]\s*${name}\b`,
        'i',
      );
    const decides =
      new RegExp(`^(?:${DECIDES})`).test(after.replace(/^\)*(?:\.\w+\(\))*/, '')) ||
      PICKS.test(text) ||
      (bound !== undefined &&
        lines.slice(index + 1).some((later) => usesName(bound).test(later) && !later.trimStart().startsWith('#')));
    if (decides) found.push({ line: index + 1, text: text.trim() });
  });
  return found;
}
