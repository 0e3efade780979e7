import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { callsOf, switchValue } from '../../src/python/flask-patterns.js';
import { argumentValue } from '../../src/python/syntax.js';

const DEBUGGED_APPLICATION = new Set(['werkzeug.debug.DebuggedApplication', 'werkzeug.DebuggedApplication']);
// DebuggedApplication(app, evalex=False, ...): evalex is the second positional.
const EVALEX_POSITION = 1;

export const debuggedApplication: PythonRule = {
  id: 'werkzeug-debugged-application',
  language: 'python',
  title: "Werkzeug's DebuggedApplication with the console enabled",
  severity: 'error',
  hint: 'remove the wrapper, or apply it only under an explicit development check (if app.debug:)',
  keywords: ['DebuggedApplication'],
  prefilter: /DebuggedApplication/,
  doc: {
    why:
      '`DebuggedApplication(app, evalex=True)` is the interactive debugger itself: any unhandled exception renders ' +
      'a page with a Python console running in the server. Outside an explicit development check, it ships ' +
      'to production with the code.',
    example: 'from werkzeug.debug import DebuggedApplication\n\napp.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)',
    fix: 'Wrap only in development:\n\nif app.debug:\n    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)',
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const { call, parts } of callsOf(facts, DEBUGGED_APPLICATION)) {
      const evalex = argumentValue(parts, 'evalex', EVALEX_POSITION);
      const state = evalex && switchValue(facts, evalex);
      if (!evalex || !state?.truthy) continue;
      detections.push({
        start: call.startIndex,
        end: call.endIndex,
        message: `DebuggedApplication(..., evalex=${state.describe}) serves a Python console to anyone who triggers an error`,
      });
    }
    return detections;
  },
};
