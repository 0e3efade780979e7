import { dirname, join } from 'node:path';
import { unquote } from '../debug-variables.js';
import { envAssignments } from '../env-file.js';

/**
 * Compose's variable interpolation in a value (`${DEBUG}`, `$DEBUG`, `${DEBUG:-1}`, `${DEBUG-1}`, `${DEBUG:?err}`,
 * `${DEBUG?err}`, `${DEBUG:+x}`, `${DEBUG+x}`, `$$` for a literal `$`), as the compose spec defines it. Compose
 * substitutes from the shell that runs it and from the `.env` beside the compose file; the shell is not in the
 * repository, so a variable `lookup` does not know is read as unset and named in `unresolved`.
 */
export interface Interpolated {
  /** The value with known variables substituted and the others as compose substitutes them when unset. */
  value: string;
  /** Variables nothing in the repository sets: the value follows them in the environment that runs compose. */
  unresolved: string[];
  /**
   * The unresolved variables the file gives no default (`${DEBUG}`, `${DEBUG:?err}`, not `${DEBUG:-0}`): what
   * the value is, unset and set, is entirely the operator's.
   */
  undefaulted: string[];
  /** Variables `lookup` gave, in order. */
  resolved: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The variables compose substitutes in a compose file's values: the committed `.env` beside it (`envFile`). */
export interface ComposeVariables {
  lookup(name: string): string | undefined;
  envFile?: string;
  /** What a git-ignored `.env` beside the compose file sets: a developer's own, named in messages only. */
  ignoredValue?(name: string): string | undefined;
}

/**
 * What compose substitutes `${VAR}` with: the `.env` beside the compose file (compose's project folder), when
 * git does not ignore it (a git-ignored one is a developer's own); read only when a value refers to a variable.
 */
export function composeVariables(
  composePath: string,
  read: (path: string) => string | undefined,
  isGitIgnored: ((path: string) => boolean) | undefined,
): ComposeVariables {
  const envFile = join(dirname(composePath), '.env');
  let values: Map<string, string> | undefined;
  let ignored = false;
  const load = () => {
    if (!values) {
      ignored = isGitIgnored?.(envFile) === true;
      values = new Map(envAssignments(read(envFile) ?? '').map((item) => [item.name, unquote(item.value.trim())]));
    }
    return values;
  };
  return {
    lookup: (name) => (load() && ignored ? undefined : load().get(name)),
    envFile,
    ignoredValue: (name) => (load() && ignored ? load().get(name) : undefined),
  };
}

/** Undefined when the text refers to no variable (`$$` alone is an escape, not a reference). */
export function interpolateCompose(
  text: string,
  lookup: (name: string) => string | undefined,
): Interpolated | undefined {
  if (!text.includes('$')) return undefined;
  const result: Interpolated = { value: '', unresolved: [], undefaulted: [], resolved: [] };
  result.value = substitute(text, lookup, result);
  return result.unresolved.length > 0 || result.resolved.length > 0 ? result : undefined;
}

function substitute(text: string, lookup: (name: string) => string | undefined, into: Interpolated): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) return out + text.slice(index);
    out += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      index = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      const body = text.slice(dollar + 2, close === -1 ? text.length : close);
      out += braced(body, lookup, into);
      index = close === -1 ? text.length : close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      const value = name ? variableValue(name, lookup, into) : undefined;
      if (name && value === undefined && !into.undefaulted.includes(name)) into.undefaulted.push(name);
      if (name) out += value ?? '';
      else out += '$';
      index = dollar + 1 + (name?.length ?? 0);
    }
  }
  return out;
}

/** The `}` that closes a `${`, past nested `${...}` in a default. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let index = from; index < text.length; index++) {
    if (text[index] === '$' && text[index + 1] === '{') {
      depth++;
      index++;
    } else if (text[index] === '}') {
      if (depth === 0) return index;
      depth--;
    }
  }
  return -1;
}

function variableValue(
  name: string,
  lookup: (name: string) => string | undefined,
  into: Interpolated,
): string | undefined {
  const value = lookup(name);
  const list = value === undefined ? into.unresolved : into.resolved;
  if (!list.includes(name)) list.push(name);
  return value;
}

/** `NAME`, `NAME:-default`, `NAME-default`, `NAME:?error`, `NAME?error`, `NAME:+alternative`, `NAME+alternative`. */
function braced(body: string, lookup: (name: string) => string | undefined, into: Interpolated): string {
  const name = NAME.exec(body)?.[0];
  if (!name) return `\${${body}}`;
  const operator = /^(:?[-?+])?/.exec(body.slice(name.length))?.[0] ?? '';
  const argument = body.slice(name.length + operator.length);
  const value = variableValue(name, lookup, into);
  const set = value !== undefined;
  if (!set && operator !== ':-' && operator !== '-' && !into.undefaulted.includes(name)) into.undefaulted.push(name);
  const nonEmpty = set && value !== '';
  switch (operator) {
    case ':-':
      return nonEmpty ? value : substitute(argument, lookup, into);
    case '-':
      return set ? value : substitute(argument, lookup, into);
    case ':+':
      return nonEmpty ? substitute(argument, lookup, into) : '';
    case '+':
      return set ? substitute(argument, lookup, into) : '';
    // `?`: compose refuses to start without it, so the value is whatever the operator sets (unknown here).
    default:
      return value ?? '';
  }
}
