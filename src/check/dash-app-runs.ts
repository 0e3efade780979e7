import { relative, sep } from 'node:path';
import { readSourceFile } from '../files/source-text.js';
import { dashRunsReadingEnvironment } from '../python/dash-runs.js';
import { ModuleFacts } from '../python/module-facts.js';
import { parsePython } from '../python/parser.js';

// A module that starts a Dash app names the package (or one with a subclass of its Dash, app-classes.ts)
// and calls run() or run_server().
const DASH_IMPORT = /^[ \t]*(?:from|import)[ \t]+(?:dash|dash_extensions|jupyter_dash)\b/m;
const RUN_CALL = /\.run(?:_server)?[ \t]*\(/;

/**
 * Where the project starts a Dash app with debug unset (so DASH_DEBUG decides), read from the
 * project's Python files once, and only when a deploy file sets DASH_DEBUG.
 */
export class DashAppRuns {
  private runs: { path: string; line: number }[] | undefined;

  constructor(
    private readonly root: string,
    private readonly pythonFiles: readonly string[],
  ) {}

  /** `app.py:12` for the first such run under `scope` (a monorepo's other services do not count). */
  runReadingEnvironment(scope: string): string | undefined {
    this.load();
    const prefix = scope.endsWith(sep) ? scope : scope + sep;
    const found = this.runs?.find((run) => run.path.startsWith(prefix));
    return found ? `${relative(this.root, found.path).split(sep).join('/')}:${found.line}` : undefined;
  }

  private load(): void {
    if (this.runs) return;
    this.runs = [];
    for (const path of this.pythonFiles) {
      const read = readSourceFile(path, true);
      if (!read.ok || !DASH_IMPORT.test(read.source.text) || !RUN_CALL.test(read.source.text)) continue;
      const tree = parsePython(read.source.text);
      try {
        const lines = dashRunsReadingEnvironment(new ModuleFacts(tree, read.source.text));
        this.runs.push(...lines.map((line) => ({ path, line })));
      } finally {
        tree.delete();
      }
    }
  }
}
