import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { argumentRange, callsOf, switchValue } from '../../src/python/flask-patterns.js';
import { argumentValue } from '../../src/python/syntax.js';
import { nodeAt, STRICT_FLASK_DEBUG_READ } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

const RUN_SIMPLE = new Set(['werkzeug.serving.run_simple', 'werkzeug.run_simple']);
// run_simple(hostname, port, application, use_reloader, use_debugger, use_evalex, ...)
const USE_DEBUGGER_POSITION = 4;

export const runSimpleDebugger: PythonRule = {
  id: 'werkzeug-run-simple-debugger',
  language: 'python',
  title: "Werkzeug's run_simple() with use_debugger=True",
  severity: 'error',
  hint: 'drop use_debugger (or read it from an explicit development check) and serve production with a WSGI server',
  keywords: ['run_simple'],
  prefilter: /run_simple/,
  doc: {
    why:
      '`run_simple(..., use_debugger=True)` is the development server with the interactive debugger in front of ' +
      'the app: an exception gives the visitor a Python console. It is meant for a developer machine only.',
    example: 'from werkzeug.serving import run_simple\n\nrun_simple("0.0.0.0", 8000, app, use_debugger=True)',
    fix: 'run_simple("127.0.0.1", 8000, app, use_debugger=app.debug)  # development only; production uses gunicorn',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.werkzeugServing, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const { parts } of callsOf(facts, RUN_SIMPLE)) {
      const useDebugger = argumentValue(parts, 'use_debugger', USE_DEBUGGER_POSITION);
      const state = useDebugger && switchValue(facts, useDebugger);
      if (!useDebugger || !state?.truthy) continue;
      detections.push({
        ...argumentRange(parts, 'use_debugger', useDebugger),
        message: `run_simple() with use_debugger=${state.describe} serves the Werkzeug debugger console`,
      });
    }
    return detections;
  },
  fix({ facts }, detection) {
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const value = node.type === 'keyword_argument' ? node.childForFieldName('value') : node;
    if (!value) return undefined;
    return {
      title: 'read use_debugger from FLASK_DEBUG, strictly: only 1/true/yes turn the debugger on',
      edits: [{ start: value.startIndex, end: value.endIndex, replacement: STRICT_FLASK_DEBUG_READ }],
      imports: ['os'],
    };
  },
};
