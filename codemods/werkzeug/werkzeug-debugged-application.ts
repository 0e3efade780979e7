import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { callsOf, switchValue } from '../../src/python/flask-patterns.js';
import { argumentValue } from '../../src/python/syntax.js';
import { indentationAt, indentUnitOf, lineBreakOf, lineStart, nodeAt } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

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
    example:
      'from werkzeug.debug import DebuggedApplication\n\napp.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)',
    fix:
      'Wrap only in development:\n\n' +
      'if app.debug:\n    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.werkzeugDebugger, DOCS.flaskDebugMode],
    equivalents: [],
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
        message:
          `DebuggedApplication(..., evalex=${state.describe}) ` +
          'serves a Python console to anyone who triggers an error',
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    // `app.wsgi_app = DebuggedApplication(app.wsgi_app, ...)` moves under `if app.debug:`; other shapes
    // (a new name bound to the wrapper) would leave that name undefined in production, so they stay manual.
    const call = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const assignment = call.parent;
    const statement = assignment?.parent;
    const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const owner =
      target?.type === 'attribute' && target.childForFieldName('attribute')?.text === 'wsgi_app'
        ? target.childForFieldName('object')
        : null;
    if (!owner || statement?.type !== 'expression_statement' || !facts.appEvidence(owner)) return undefined;
    const start = lineStart(source, statement.startIndex);
    if (source.slice(start, statement.startIndex).trim() !== '') return undefined;
    const indent = indentationAt(source, statement.startIndex);
    const unit = indentUnitOf(source);
    const eol = lineBreakOf(source);
    const body = source
      .slice(statement.startIndex, statement.endIndex)
      .split('\n')
      .map((line, index) => (index === 0 ? line : `${unit}${line}`))
      .join('\n');
    return {
      title: `serve the Werkzeug debugger only when ${owner.text}.debug is on (FLASK_DEBUG=1 in development)`,
      edits: [
        {
          start: statement.startIndex,
          end: statement.endIndex,
          replacement: `if ${owner.text}.debug:${eol}${indent}${unit}${body}`,
        },
      ],
    };
  },
};
