// What a script's `if` condition says about the branch it selects: development (`"$APP_ENV" = development`),
// production (`= production`, so the other branch is development), or a debug opt-in
// (`"$DEBUG" = true`, `-n "$FLASK_DEBUG"`): off unless someone sets the variable, so its branch is
// development-only unless the deploy file that runs the script turns the variable on.

const DEVELOPMENT_VALUE = /^(?:dev|develop|development|local|debug)$/i;
const PRODUCTION_VALUE = /^(?:prod|production|live)$/i;
const DEVELOPMENT_FLAG = /^--?(?:d|dev|develop|development|debug|local)$/i;
/** DEBUG, FLASK_DEBUG, DASH_DEBUG, APP_DEBUG, DEBUG_MODE, DEV, DEV_MODE, DEVELOPMENT, LOCAL... */
const OPT_IN_VARIABLE = /^(?:[A-Za-z]\w*_)?(?:DEBUG|DEV|DEVELOPMENT|LOCAL)(?:_MODE)?$/i;
const ON_VALUE = /^(?:1|true|yes|on|y|t)$/i;
const OFF_VALUE = /^(?:0|false|no|off|n|f)?$/i;

/** How the `then` branch of a condition relates to development; the `else` branch is the opposite. */
export interface ConditionMeaning {
  /** The `then` branch runs only in development (false: the `else` branch does). */
  thenIsDevelopment: boolean;
  /** The opt-in variable the condition tests (`DEBUG` in `"$DEBUG" = true`), when it is one. */
  optIn?: string;
  /** When the development branch runs: the variable's value equals `value` (`= true`) or not (`-n`, `= false`). */
  runsWhen?: OptInTest;
}

/** The shell's own test: the variable's value compared, exactly and case-sensitively, with a word. */
export interface OptInTest {
  value: string;
  equals: boolean;
}

/** `$X`, `${X}`, `${X:-default}` (quoted or not): its name and default, if it is one expansion. */
function expansion(operand: string): { name: string; fallback?: string } | undefined {
  const match = /^["']?\$(?:(\w+)|\{(\w+)(?::?[-=]([^}]*))?\})["']?$/.exec(operand);
  if (!match) return undefined;
  const name = match[1] ?? match[2] ?? '';
  return match[3] === undefined ? { name } : { name, fallback: match[3].replace(/^["']|["']$/g, '') };
}

function unquoted(operand: string): string {
  return operand.replace(/^["']|["']$/g, '');
}

/** `"$APP_ENV" = development`, `$DEBUG == "true"`, `1 -eq "$DEBUG"`: the expansion, the literal, and `!=`. */
function comparison(
  condition: string,
): { variable?: string; fallback?: string; value: string; negated: boolean } | undefined {
  const operand = String.raw`["']?(?:\$\{?\w+(?::?[-=][^}]*)?\}?|[\w.-]+)["']?`;
  const match = new RegExp(`^(${operand})\\s*(==?|!=|-eq|-ne)\\s*(${operand})$`).exec(condition.trim());
  if (!match) return undefined;
  const [, left = '', operator = '', right = ''] = match;
  const leftExpansion = expansion(left);
  const rightExpansion = expansion(right);
  const variable = leftExpansion ?? rightExpansion;
  const literal = unquoted(leftExpansion ? right : left);
  if (literal.includes('$')) return undefined;
  return {
    ...(variable ? { variable: variable.name } : {}),
    ...(variable?.fallback !== undefined ? { fallback: variable.fallback } : {}),
    value: literal,
    negated: operator === '!=' || operator === '-ne',
  };
}

/** `-n "$DEBUG"`, `-z "$DEBUG"`, `"$DEBUG"`: a test of whether the variable is set, and whether it is `-z`. */
function presence(condition: string): { name: string; fallback?: string; negated: boolean } | undefined {
  const match = /^(-[nz]\s+)?(\S+)$/.exec(condition.trim());
  const variable = match ? expansion(match[2] ?? '') : undefined;
  if (!match || !variable) return undefined;
  return { ...variable, negated: match[1]?.startsWith('-z') === true };
}

/** What a condition's branches mean for development, or undefined when it says nothing about it. */
export function conditionMeaning(written: string): ConditionMeaning | undefined {
  // `if test "$DEBUG" = 1` is a plain command to the grammar: the same test as `[ ... ]`.
  const condition = written.replace(/^test\s+/, '');
  const compared = comparison(condition);
  if (compared) {
    const { variable, fallback, value, negated } = compared;
    if (DEVELOPMENT_VALUE.test(value)) return { thenIsDevelopment: !negated };
    // `[ "$1" = "-d" ]`: a flag the developer passes to the script by hand.
    if (variable && /^\d+$/.test(variable) && DEVELOPMENT_FLAG.test(value)) return { thenIsDevelopment: !negated };
    if (PRODUCTION_VALUE.test(value)) return { thenIsDevelopment: negated };
    if (!variable || !OPT_IN_VARIABLE.test(variable)) return undefined;
    const on = ON_VALUE.test(value);
    if (!on && !OFF_VALUE.test(value)) return undefined;
    // `= true` runs the debug branch when the value is that word; `= false` runs it for any other value.
    return optIn(variable, fallback, { value, equals: on }, on !== negated);
  }
  const present = presence(condition);
  if (!present || !OPT_IN_VARIABLE.test(present.name)) return undefined;
  return optIn(present.name, present.fallback, { value: '', equals: false }, !present.negated);
}

/**
 * An opt-in is off by default: unset (or at its `${X:-default}`), the development branch does not run. A
 * branch that runs by default (`if [ "$DEBUG" = false ]; then gunicorn; else flask run --debug`) is not one.
 */
function optIn(
  variable: string,
  fallback: string | undefined,
  runsWhen: OptInTest,
  thenIsDevelopment: boolean,
): ConditionMeaning | undefined {
  if (optInTestPasses(fallback ?? '', runsWhen)) return undefined;
  return { thenIsDevelopment, optIn: variable, runsWhen };
}

/** Whether a `case` pattern list selects development only (`dev|local)`). */
export function developmentPatterns(patterns: readonly string[]): boolean {
  return patterns.length > 0 && patterns.every((pattern) => DEVELOPMENT_VALUE.test(pattern));
}

/** Whether a value the environment gives the variable runs the development branch (the shell's comparison). */
export function optInTestPasses(value: string, runsWhen: OptInTest): boolean {
  return (value === runsWhen.value) === runsWhen.equals;
}
