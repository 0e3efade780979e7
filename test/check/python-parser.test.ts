import { Tree } from 'web-tree-sitter';
import { describe, expect, it, vi, type MockInstance } from 'vitest';
import { analyzeFile } from '../../src/check/analyze-file.js';
import { firstSyntaxError, withPythonTree } from '../../src/python/parser.js';
import { RULES } from '../../codemods/index.js';
import { tempProject } from '../support/temp-project.js';
import { must } from '../support/must.js';

// The WebAssembly tree-sitter (web-tree-sitter) with tree-sitter-python's grammar.
describe('the Python parser', () => {
  it('gives node offsets and columns as UTF-16 indexes into the JS string, also after non-ASCII text on the line', () => {
    const source = 'app.run(host="café-😀", debug=True)  # ünïcode\n';
    withPythonTree(source, (tree) => {
      const at = source.indexOf('debug');
      const keyword = tree.rootNode.namedDescendantForIndex(at, at + 'debug=True'.length);
      expect(keyword?.type).toBe('keyword_argument');
      expect(keyword?.startIndex).toBe(at);
      expect(keyword?.startPosition).toEqual({ row: 0, column: at });
      expect(source.slice(must(keyword).startIndex, must(keyword).endIndex)).toBe('debug=True');
      expect(keyword?.text).toBe('debug=True');
    });
  });

  it('reports a finding after non-ASCII text at the right line, column and range', () => {
    const project = tempProject();
    try {
      const source =
        '# -*- coding: utf-8 -*-\nfrom flask import Flask\nname = "Ünïcødé 😀"\napp = Flask(name)\napp.run(host="é😀", debug=True)\n';
      const path = project.write('app.py', source);
      const { findings } = analyzeFile(
        { path, displayPath: 'app.py', rootPath: 'app.py', kind: 'python', gitIgnored: false },
        RULES,
      );
      expect(
        findings.map((finding) => [finding.ruleId, finding.line, source.slice(finding.start, finding.end)]),
      ).toEqual([['run-debug', 5, 'debug=True']]);
      expect(must(findings[0]).column).toBe('app.run(host="é😀", '.length + 1);
    } finally {
      project.remove();
    }
  });

  it('reads the grammar version the rules expect: node types and fields of tree-sitter-python 0.25', () => {
    const source =
      'match x:\n    case [a, *rest]:\n        print(f"{a!r:>10}")\ntype Alias = int\ndef f[T](x: T) -> T: ...\n';
    withPythonTree(source, (tree) => {
      expect(tree.rootNode.hasError).toBe(false);
      expect(tree.language.name).toBe('python');
      const call = must(tree.rootNode.descendantsOfType('call')[0]);
      expect(call.childForFieldName('function')?.text).toBe('print');
      expect(call.childForFieldName('arguments')?.type).toBe('argument_list');
      expect(
        tree.rootNode
          .descendantsOfType(['match_statement', 'type_alias_statement', 'type_parameter', 'interpolation'])
          .map((node) => node.type),
      ).toEqual(['match_statement', 'interpolation', 'type_alias_statement', 'type_parameter']);
    });
  });

  it('finds the first syntax error or missing token (hasError and isMissing are properties, not methods)', () => {
    withPythonTree('def f(:\n    pass\n', (tree) => {
      expect(tree.rootNode.hasError).toBe(true);
      expect(firstSyntaxError(tree)?.startPosition.row).toBe(0);
    });
    withPythonTree('x = (1,\n', (tree) => {
      const broken = firstSyntaxError(tree);
      expect(broken === undefined).toBe(false);
      expect(must(broken).type === 'ERROR' || must(broken).isMissing).toBe(true);
    });
    withPythonTree('x = 1\n', (tree) => expect(firstSyntaxError(tree)).toBeUndefined());
  });

  it('withPythonTree frees the tree once the callback returns, also when it throws', () => {
    let deleted: MockInstance | undefined;
    expect(() =>
      withPythonTree('x = 1\n', (tree) => {
        deleted = vi.spyOn(tree, 'delete');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(deleted).toHaveBeenCalledTimes(1);
  });

  it('check frees every tree it parses (WebAssembly memory would otherwise grow with the file count)', () => {
    const project = tempProject();
    const deletes = vi.spyOn(Tree.prototype, 'delete');
    try {
      const files = ['app.py', 'config.py', 'plain.py'].map((name, index) => ({
        path: project.write(
          name,
          must(
            [
              'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n',
              'app.config.from_object("settings")\n',
              'x = 1\n',
            ][index],
          ),
        ),
        displayPath: name,
        rootPath: name,
        kind: 'python' as const,
        gitIgnored: false,
      }));
      const parsed = files
        .map((file) => analyzeFile(file, RULES, { withFixes: true }))
        .filter((analysis) => analysis.parsed);
      expect(parsed).toHaveLength(2);
      expect(deletes).toHaveBeenCalledTimes(2);
    } finally {
      deletes.mockRestore();
      project.remove();
    }
  });
});
