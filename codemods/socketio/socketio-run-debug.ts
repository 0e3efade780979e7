import type { Detection, PythonRule } from '../../src/rules/rule.js';
import {
  ARGUMENT_START_TEXT,
  argumentRange,
  callsOf,
  defaultOnFix,
  isGuardedOff,
  lowercaseConstantTest,
  requirementFor,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import { APP_EVIDENCE_KEYWORDS } from '../../src/python/module-facts.js';
import { callParts } from '../../src/python/syntax.js';
import { nodeAt, removeListItem } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS, EQUIVALENTS } from '../../src/rules/references.js';

const SOCKETIO_CLASS = new Set(['flask_socketio.SocketIO']);

export const socketioRunDebug: PythonRule = {
  id: 'socketio-run-debug',
  language: 'python',
  title: 'socketio.run() turns the interactive debugger on',
  severity: 'error',
  knowsAppFamily: true,
  hint: 'drop debug=... from socketio.run() and let FLASK_DEBUG decide; deploy with a production server',
  keywords: ['debug'],
  // Only a Flask app's run(), debug or config is a finding.
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  prefilter: [
    new RegExp(
      String.raw`\.run\s*\((?:[^()]|\([^()]*\))*?${ARGUMENT_START_TEXT}debug\s*=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`,
    ),
    lowercaseConstantTest('debug'),
  ],
  doc: {
    why:
      "Flask-SocketIO's `socketio.run(app, debug=True)` wraps the app in Werkzeug's `DebuggedApplication` with " +
      'the console enabled: any exception gives the visitor a Python shell on the server.',
    example: 'socketio = SocketIO(app)\n\nif __name__ == "__main__":\n    socketio.run(app, debug=True)',
    fix:
      'Remove `debug=`; Flask-SocketIO then follows `app.debug`, which Flask sets from FLASK_DEBUG.\n\n' +
      'if __name__ == "__main__":\n    socketio.run(app)',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.socketioDebug, DOCS.werkzeugDebugger, DOCS.flaskDebugMode],
    equivalents: [
      { ...EQUIVALENTS.banditB201, note: 'any `.run(debug=True)` in a module that imports flask' },
      { ...EQUIVALENTS.semgrepDebugEnabled, note: 'any `$APP.run(debug=True)` in a module that imports flask' },
    ],
  },
  detect({ facts }) {
    const socketioNames = new Set<string>();
    for (const { call } of callsOf(facts, SOCKETIO_CLASS)) {
      const target = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left') : null;
      if (target?.type === 'identifier') socketioNames.add(target.text);
    }
    const detections: Detection[] = [];
    for (const call of facts.methodCalls('run')) {
      const parts = callParts(call);
      if (parts?.callee.type !== 'attribute') continue;
      const receiver = parts.callee.childForFieldName('object');
      // SocketIO.run(app, host=None, port=None, **kwargs): the app positional or by keyword.
      const appArgument = parts.positional[0] ?? parts.keywords.get('app')?.value;
      if (!receiver || !appArgument || isGuardedOff(facts, call)) continue;
      const appEvidence = facts.appEvidence(appArgument);
      // Either the receiver is a SocketIO we saw built, or it runs something we know is a Flask app.
      const isSocketio =
        (receiver.type === 'identifier' && socketioNames.has(receiver.text)) ||
        (appEvidence !== undefined &&
          receiver.type === 'identifier' &&
          facts.importedRef(receiver.text) !== undefined) ||
        (appEvidence !== undefined && /socketio/i.test(receiver.text));
      if (!isSocketio || facts.appEvidence(receiver)?.kind === 'app') continue;
      const debug = parts.keywords.get('debug')?.value;
      const value = debug && switchValue(facts, debug);
      if (!debug || !value?.truthy) continue;
      const requires = socketioNames.has(receiver.text) ? undefined : requirementFor(appEvidence);
      detections.push({
        ...argumentRange(parts, 'debug', debug),
        message: `socketio.run() with debug=${value.describe} wraps the app in Werkzeug's debugger with its console on`,
        requires,
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const argument = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    if (argument.type !== 'keyword_argument') return undefined;
    const value = argument.childForFieldName('value');
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    return {
      title: 'remove debug from socketio.run(): it then follows app.debug, which Flask sets from FLASK_DEBUG',
      edits: [removeListItem(source, argument)],
    };
  },
};
