/**
 * Escapers for the languages the generated files are written in. Handlebars
 * escapes for HTML, which is right for none of them, so templates call these
 * as helpers (`{{python projectName}}`, `{{toml projectName}}`, `{{markdown projectName}}`)
 * and the render step turns HTML escaping off.
 *
 * Only the free-form project name needs them: every other value that reaches a
 * file (package and distribution names, versions, the hex secret) is built from
 * `[a-z0-9_-]` and is the same in every language.
 */

/** `\uXXXX` for one UTF-16 code unit. */
const unicodeEscape = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

/**
 * Code points no generated file holds raw: C0/C1 controls, DEL, line and paragraph separators, and the
 * invisible ones (zero-width, bidi overrides, BOM) that would make the source read differently than it runs.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** Lone surrogates cannot be written as UTF-8; a pair is one character and is fine. */
function isLoneSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}

/**
 * A Python string literal, quoted the way `ruff format` quotes it (double
 * quotes unless the text holds more double than single quotes), so the
 * generated code passes `ruff format --check` whatever the name.
 */
export function pythonString(value: string): string {
  const doubles = [...value].filter((char) => char === '"').length;
  const singles = [...value].filter((char) => char === "'").length;
  const quote = doubles > singles ? "'" : '"';
  let body = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value.charAt(index);
    if (char === '\\') body += '\\\\';
    else if (char === quote) body += `\\${quote}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else if (UNPRINTABLE.test(char) || isLoneSurrogate(value, index)) {
      const unit = char.charCodeAt(0);
      body += unit <= 0xff ? `\\x${unit.toString(16).padStart(2, '0')}` : unicodeEscape(unit);
    } else body += char;
  }
  return `${quote}${body}${quote}`;
}

/**
 * A TOML basic string. TOML forbids raw control characters and DEL, and its
 * `\u` escapes must name a Unicode scalar value, so a lone surrogate (which
 * cannot be written at all) becomes U+FFFD.
 */
export function tomlString(value: string): string {
  let body = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value.charAt(index);
    if (char === '\\') body += '\\\\';
    else if (char === '"') body += '\\"';
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else if (isLoneSurrogate(value, index)) body += '\\ufffd';
    else if (UNPRINTABLE.test(char)) body += unicodeEscape(char.charCodeAt(0));
    else body += char;
  }
  return `"${body}"`;
}

/**
 * Inline Markdown text that renders as exactly `value`: every ASCII punctuation
 * character is backslash-escaped (CommonMark allows that for all of them), so
 * nothing becomes emphasis, a link, HTML, an entity or a heading marker.
 * Markdown has no escape for a line break, so the name must be one line: the
 * options refuse control characters before rendering.
 */
export function markdownInline(value: string): string {
  return value
    .replace(/[!-/:-@[-`{-~]/g, (char) => `\\${char}`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * A word for a POSIX shell, quoted only when it needs to be: what the next
 * steps print must paste as is (`cd 'my project'`).
 */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
