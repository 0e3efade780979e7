import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { UsageError } from '../core/usage-error.js';

/**
 * Edits that keep a YAML file as its author wrote it: the Document API finds
 * where a block ends and how the file indents, the new block is rendered by the
 * same library in that style, and it is inserted as text. Every byte of the
 * original stays where it was, comments included.
 */

/** Parses one YAML file; invalid YAML is the user's to fix: a one-line UsageError. */
export function parseYamlFile(text: string, displayPath: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const error = doc.errors[0];
  if (error?.code === 'MULTIPLE_DOCS')
    throw new UsageError(`${displayPath}: holds more than one YAML document (---); a workflow is one document`);
  if (error) {
    const where = error.linePos?.[0] ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
    const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${displayPath}${where}: invalid YAML (${firstLine})`);
  }
  return doc;
}

/**
 * The document as plain data. The yaml library refuses to expand aliases past a
 * budget (a "billion laughs" file would take all memory): the user's to fix, in our words.
 */
export function yamlData<T>(doc: Document.Parsed, displayPath: string): T {
  try {
    return doc.toJS() as T;
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message))
      throw new UsageError(`${displayPath}: its aliases expand too far (a YAML bomb?); not read`);
    throw error;
  }
}

/** The document's top-level mapping, or a UsageError naming what the file is instead. */
export function topLevelMap(doc: Document.Parsed, displayPath: string, what: string): YAMLMap {
  if (!isMap(doc.contents)) throw new UsageError(`${displayPath}: a ${what} must be a YAML mapping at the top level`);
  return doc.contents;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The column of the `-` that starts the sequence item whose content begins at `itemStart` (`-   x` is allowed). */
function dashColumn(text: string, itemStart: number): number {
  return columnOf(text, text.lastIndexOf('-', itemStart - 1));
}

/**
 * The indentation unit and sequence style the file already uses, measured first inside
 * `near` (the block that gets the new entry), then anywhere (2 and indented when it has none).
 */
export function detectStyle(doc: Document.Parsed, text: string, near?: Node): { indent: number; indentSeq: boolean } {
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  const visitor = {
    Pair(_key: unknown, pair: { key: unknown; value: unknown }) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!key?.range || !value?.range) return;
      const keyColumn = columnOf(text, key.range[0]);
      if (indent === undefined && isMap(value) && !value.flow && value.items[0]) {
        const first = value.items[0].key as Node | null;
        if (first?.range) indent = columnOf(text, first.range[0]) - keyColumn;
      }
      if (indentSeq === undefined && isSeq(value) && !value.flow && value.items[0]) {
        const item = value.items[0] as Node;
        if (item.range) indentSeq = dashColumn(text, item.range[0]) > keyColumn;
      }
      if (indent !== undefined && indentSeq !== undefined) return visit.BREAK;
      return undefined;
    },
  };
  if (near) visit(near, visitor);
  visit(doc, visitor);
  return { indent: indent && indent > 0 ? indent : 2, indentSeq: indentSeq ?? true };
}

/**
 * Renders a value (with trailing comments on some scalars) as
 * block YAML in the file's style, shifted right by `column`.
 */
export function renderBlock(
  value: unknown,
  style: { indent: number; indentSeq: boolean },
  column: number,
  comments: { path: (string | number)[]; comment: string }[] = [],
): string {
  const doc = new Document(value);
  for (const { path, comment } of comments) {
    const node = doc.getIn(path, true);
    if (isScalar(node)) node.comment = ` ${comment}`;
  }
  const rendered = doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  const pad = ' '.repeat(column);
  return rendered
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** The offset just past the line on which a node's value ends (where a sibling can start). */
export function endOfNodeLine(text: string, node: YAMLMap | YAMLSeq): number {
  const valueEnd = node.range?.[1] ?? text.length;
  const newline = text.indexOf('\n', Math.max(valueEnd - 1, 0));
  return newline === -1 ? text.length : newline + 1;
}

/** Inserts `block` (whole lines) at `offset`, after a blank line; supplies a final newline the file lacked. */
export function insertLines(text: string, offset: number, block: string, blankLineBefore: boolean): string {
  const head = text.slice(0, offset);
  // The file's own line endings: a CRLF file gets CRLF lines.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const needsNewline = head.length > 0 && !head.endsWith('\n');
  const blankLine = blankLineBefore && head.length > 0 ? eol : '';
  return `${head}${needsNewline ? eol : ''}${blankLine}${block.replace(/\n/g, eol)}${eol}${text.slice(offset)}`;
}

/** The column of a collection's first entry (a key, or a sequence item's dash). */
export function firstEntryColumn(text: string, node: YAMLMap | YAMLSeq): number | undefined {
  const first = node.items[0] as unknown as { key?: Node; range?: [number, number, number] } | undefined;
  if (!first) return undefined;
  if (isMap(node)) {
    const key = (first as { key?: Node }).key;
    return key?.range ? columnOf(text, key.range[0]) : undefined;
  }
  return first.range ? dashColumn(text, first.range[0]) : undefined;
}

/**
 * Proves an edit only added what it meant to: the new text parses, and reads as the
 * old data with `expected` applied. Anything else is a bug of ours, never written.
 */
export function assertOnlyAdded(after: string, expected: unknown, displayPath: string): void {
  const doc = parseDocument(after);
  if (doc.errors.length > 0 || !isDeepStrictEqual(doc.toJS(), expected)) {
    throw new Error(`init-ci: the edit of ${displayPath} did not come out as planned; nothing was written`);
  }
}
