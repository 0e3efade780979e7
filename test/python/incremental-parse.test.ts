import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../src/core/findings.js';
import { parsePython, reparsePython, type SyntaxNode, type Tree } from '../../src/python/parser.js';
import '../support/load-parser.js';

/** Every node with its type and where it is: two trees that print the same are the same parse. */
function shape(tree: Tree): string[] {
  const nodes: string[] = [];
  const visit = (node: SyntaxNode) => {
    const { startPosition: from, endPosition: to } = node;
    nodes.push(
      `${node.type} ${node.startIndex}-${node.endIndex} ${from.row}:${from.column}-${to.row}:${to.column}${node.hasError ? ' error' : ''}`,
    );
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return nodes;
}

/** The text with the edits made, from the last back (as migrate applies them). */
function applied(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
  return result;
}

function expectSameAsFreshParse(text: string, edits: TextEdit[]): void {
  const after = applied(text, edits);
  const previous = parsePython(text);
  const fresh = parsePython(after);
  const reparsed = reparsePython({ tree: previous, text }, edits, after);
  try {
    expect(shape(reparsed)).toEqual(shape(fresh));
    // The tree it started from is left as it was: the review re-plans from it with other selections.
    expect(previous.rootNode.text).toBe(text);
  } finally {
    for (const tree of [previous, fresh, reparsed]) tree.delete();
  }
}

const at = (text: string, search: string) => {
  const index = text.indexOf(search);
  if (index === -1) throw new Error(`no ${search}`);
  return index;
};

describe('reparsePython: an incremental parse of a rewrite equals a parse from nothing', () => {
  const app = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "hé ✓ 😀"\n\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n';

  it('a keyword argument removed, and `import os` added at the top', () => {
    const start = at(app, ', debug=True');
    expectSameAsFreshParse(app, [
      { start, end: start + ', debug=True'.length, replacement: '' },
      { start: 0, end: 0, replacement: 'import os\n' },
    ]);
  });

  it('after non-ASCII text (UTF-16 surrogate pairs), across lines, several lines inserted', () => {
    const start = at(app, 'app.run');
    expectSameAsFreshParse(app, [
      {
        start,
        end: app.length,
        replacement: 'port = int(os.environ.get("PORT", "5000"))\n    app.run(\n        port=port,\n    )\n',
      },
    ]);
  });

  it('two insertions at one point, and a deletion of whole lines with CRLF endings', () => {
    const crlf = app.replaceAll('\n', '\r\n');
    const lineStart = at(crlf, '@app.route');
    const lineEnd = at(crlf, 'def index');
    expectSameAsFreshParse(crlf, [
      { start: lineStart, end: lineEnd, replacement: '' },
      { start: 0, end: 0, replacement: 'import os\r\n' },
      { start: 0, end: 0, replacement: 'import sys\r\n' },
    ]);
  });

  it('far apart: a line added at the top, a token swapped for another kind lower down', () => {
    const start = at(app, 'True');
    expectSameAsFreshParse(app, [
      { start: 0, end: 0, replacement: 'import os\nimport sys\n' },
      { start, end: start + 'True'.length, replacement: 'None' },
      { start: at(app, '"/"'), end: at(app, '"/"') + 3, replacement: '1' },
    ]);
  });

  it('a rewrite that breaks the syntax shows its error as a fresh parse does', () => {
    const start = at(app, ', debug=True)');
    expectSameAsFreshParse(app, [{ start, end: start + ', debug=True)'.length, replacement: ', debug=(' }]);
  });
});
