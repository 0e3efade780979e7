import { relative, sep } from 'node:path';
import { isTestPath } from '../files/file-kinds.js';
import { readSourceFile } from '../files/source-text.js';
import {
  debugConfigClasses,
  findConfigPathSelectors,
  findDebugSelectors,
  findDecidingReads,
  type DebugSelector,
} from '../python/debug-selector.js';

// `DEBUG = True`, `app.debug = ...`, `run(debug=...)`: a module that sets debug mode itself.
const TOUCHES_DEBUG = /\bDEBUG\b|\.debug\b|\bdebug(?:_mode)?\s*=/;

export interface DebugSelection {
  /** The config class the value selects, which sets DEBUG = True. */
  className: string;
  classAt: string;
  selectorAt: string;
}

/**
 * Which app-specific variables pick a debug config class, read from the
 * project's Python files once, and only when a deploy file sets such a variable.
 */
export class DebugSelections {
  private selectors: (DebugSelector & { path: string })[] | undefined;
  private classes: { name: string; line: number; path: string }[] = [];
  private readonly readsByVariable = new Map<string, { line: number; text: string; path: string }[]>();

  constructor(
    private readonly root: string,
    private readonly pythonFiles: readonly string[],
  ) {}

  /**
   * The debug config class `variable=value` selects in the code under `scope` (a monorepo's other services do
   * not count).
   */
  selectionOf(variable: string, value: string, scope: string): DebugSelection | undefined {
    this.load();
    const prefix = scope.endsWith(sep) ? scope : scope + sep;
    for (const selector of this.selectors ?? []) {
      if (selector.variable !== variable || !selector.passes(value) || !selector.path.startsWith(prefix)) continue;
      const wanted = (selector.selectsValue ? (value.split('.').at(-1) ?? '') : selector.selects).toLowerCase();
      const found = this.classes.find((candidate) => {
        if (!candidate.path.startsWith(prefix)) return false;
        const name = candidate.name.toLowerCase();
        if (selector.selectsValue) return name === wanted;
        return name === wanted || name === `${wanted}config` || (name.startsWith(wanted) && name.endsWith('config'));
      });
      if (found) {
        return {
          className: found.name,
          classAt: `${this.display(found.path)}:${found.line}`,
          selectorAt: `${this.display(selector.path)}:${selector.line}`,
        };
      }
    }
    return undefined;
  }

  /**
   * The first line of the code under `scope` (not tests, and in a module that touches debug mode) that reads
   * `variable` and decides by it (`run.py:31`, with its
   * text), found by reading the project's Python files once per variable.
   */
  decidingRead(variable: string, scope: string): { at: string; text: string } | undefined {
    const prefix = scope.endsWith(sep) ? scope : scope + sep;
    let reads = this.readsByVariable.get(variable);
    if (!reads) {
      reads = [];
      for (const path of this.pythonFiles) {
        const read = readSourceFile(path, true);
        // Test code and modules that never touch debug mode decide nothing that matters here.
        const text = read.ok ? read.source.text : '';
        if (!text.includes(variable) || !TOUCHES_DEBUG.test(text) || isTestPath(this.display(path))) continue;
        reads.push(...findDecidingReads(text, variable).map((found) => ({ ...found, path })));
      }
      this.readsByVariable.set(variable, reads);
    }
    const found = reads.find((candidate) => candidate.path.startsWith(prefix));
    return found && { at: `${this.display(found.path)}:${found.line}`, text: found.text };
  }

  private display(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  private load(): void {
    if (this.selectors) return;
    this.selectors = [];
    for (const path of this.pythonFiles) {
      const read = readSourceFile(path, true);
      if (!read.ok) continue;
      const text = read.source.text;
      if (/\bif\b/.test(text) && /getenv|environ/.test(text))
        this.selectors.push(...findDebugSelectors(text).map((selector) => ({ ...selector, path })));
      if (text.includes('from_object'))
        this.selectors.push(...findConfigPathSelectors(text).map((selector) => ({ ...selector, path })));
      if (/DEBUG\s*=\s*True/.test(text))
        this.classes.push(...debugConfigClasses(text).map((entry) => ({ ...entry, path })));
    }
  }
}
