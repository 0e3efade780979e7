import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/repo-root.js';
import { LAYERS } from './layers.js';

interface ModuleImport {
  from: string;
  to: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, `export ... from` and dynamic `import()`), as repository paths of .ts files. */
function relativeImports(files: readonly string[]): ModuleImport[] {
  return files.flatMap((from) => {
    const text = readFileSync(join(REPO_ROOT, from), 'utf8');
    return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => ({
      from,
      to: normalize(join(dirname(from), String(match[1]))).replace(/\.js$/, '.ts'),
    }));
  });
}

/** The area a file belongs to: `codemods`, or `src/<folder>`. */
function areaOf(file: string): string {
  const [top, folder] = file.split('/');
  return top === 'codemods' ? 'codemods' : `${top}/${folder}`;
}

function layerOf(area: string): number {
  return LAYERS.findIndex((layer) => layer.includes(area));
}

/** Where an import breaks the layering: it points up, or sideways to a sibling area. */
function layeringViolations(imports: readonly ModuleImport[]): string[] {
  return imports.flatMap(({ from, to }) => {
    const [source, target] = [areaOf(from), areaOf(to)];
    if (source === target) return [];
    const [above, below] = [layerOf(source), layerOf(target)];
    if (above === -1 || below === -1)
      return [`${from} -> ${to}: ${above === -1 ? source : target} has no layer in test/architecture/layers.ts`];
    return below > above
      ? []
      : [`${from} -> ${to}: ${below === above ? 'sideways' : 'upward'} (${source} -> ${target})`];
  });
}

/** Each import cycle once, as the files around it. */
function importCycles(imports: readonly ModuleImport[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const { from, to } of imports) edges.set(from, [...(edges.get(from) ?? []), to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

// Past this a module usually holds two ideas; split it along them.
const MAX_MODULE_LINES = 400;

// Biome wraps code at 120 columns but cannot break strings, templates or comments: those are wrapped by hand.
const MAX_LINE_COLUMNS = 120;
// What cannot be wrapped: a line that is only a URL (in a comment or a string), or only a regex literal.
const UNBREAKABLE_LINE = /^\s*(?:(?:\/\/|\*)\s*)?['"`]?https?:\/\/\S+$|^\s*\/(?![/*]).*\/[dgimsuvy]*[;,]?$/;

/** The lines of a file over MAX_LINE_COLUMNS that could be wrapped, as `file:line: N columns`. */
function longLines(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const columns = [...line].length;
    return columns > MAX_LINE_COLUMNS && !UNBREAKABLE_LINE.test(line)
      ? [`${file}:${index + 1}: ${columns} columns`]
      : [];
  });
}

const production = relativeImports([...sourceFiles('src'), ...sourceFiles('codemods')]);

describe('architecture', () => {
  it('every import points down the layers of test/architecture/layers.ts', () => {
    expect(layeringViolations(production)).toEqual([]);
  });

  it('no import cycles', () => {
    expect(importCycles(production).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('small modules: no source file of src/ or codemods/ is over 400 lines', () => {
    const long = [...sourceFiles('src'), ...sourceFiles('codemods')]
      .map((file) => ({ file, lines: readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_MODULE_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('short lines: no line of src/ or codemods/ is over 120 columns, unless it is only a URL or a regex', () => {
    const long = [...sourceFiles('src'), ...sourceFiles('codemods')].flatMap((file) =>
      longLines(file, readFileSync(join(REPO_ROOT, file), 'utf8')),
    );
    expect(long).toEqual([]);
  });

  it('the line check can fail: a long string or comment is caught; a URL and a regex are not', () => {
    const long = `  message: '${'word '.repeat(24)}',`;
    const text = [
      'const x = 1;',
      long,
      `// ${'comment '.repeat(16)}`,
      `  // https://example.com/${'a'.repeat(120)}`,
      `  /^(?:${'alternative|'.repeat(12)}last)$/i;`,
      `  '${'x'.repeat(118)}'`,
    ].join('\n');
    expect(longLines('src/core/made-up.ts', text)).toEqual([
      'src/core/made-up.ts:2: 134 columns',
      'src/core/made-up.ts:3: 131 columns',
      'src/core/made-up.ts:6: 122 columns',
    ]);
  });

  it('the checks can fail: an upward import, a sideways import and a cycle are each caught', () => {
    const made: ModuleImport[] = [
      { from: 'src/core/colors.ts', to: 'src/check/run-check.ts' },
      { from: 'src/migrate/plan.ts', to: 'src/init-ci/guard-targets.ts' },
      { from: 'src/python/a.ts', to: 'src/python/b.ts' },
      { from: 'src/python/b.ts', to: 'src/python/a.ts' },
    ];
    expect(layeringViolations(made)).toEqual([
      'src/core/colors.ts -> src/check/run-check.ts: upward (src/core -> src/check)',
      'src/migrate/plan.ts -> src/init-ci/guard-targets.ts: sideways (src/migrate -> src/init-ci)',
    ]);
    expect(importCycles(made)).toEqual([['src/python/a.ts', 'src/python/b.ts']]);
    expect(relative(REPO_ROOT, join(REPO_ROOT, 'src'))).toBe('src');
  });
});
