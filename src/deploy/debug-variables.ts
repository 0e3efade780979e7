/**
 * Environment variables that turn Flask's debug mode on. FLASK_DEBUG follows
 * flask.helpers.get_debug_flag(): any non-empty value except 0/false/no is on
 * ("off" is on!). FLASK_ENV=development did the same before Flask 2.3 and is
 * still read by many apps and extensions.
 */
export function debugVariableEffect(name: string, rawValue: string): string | undefined {
  const value = unquote(rawValue.trim());
  if (name === 'FLASK_DEBUG' && value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase())) {
    return `FLASK_DEBUG=${value} turns Flask's debug mode and the interactive debugger on`;
  }
  if (name === 'FLASK_ENV' && value.toLowerCase() === 'development') {
    return 'FLASK_ENV=development turns debug mode on (Flask < 2.3 and many extensions still read it)';
  }
  return undefined;
}

export const DEBUG_VARIABLE_PREFILTER = /FLASK_DEBUG|FLASK_ENV/;

export function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.endsWith(first) && value.length >= 2) return value.slice(1, -1);
  return value;
}

/** `.env.development`, `compose.dev.yml`, a `FROM python AS dev` stage: meant for development only. */
export const DEVELOPMENT_ONLY_NAME = /(?:^|[._-])(?:dev|development|local|test|testing|override)(?:[._-]|$)/i;
