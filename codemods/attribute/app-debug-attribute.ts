import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { requirementFor, switchValue } from '../../src/python/flask-patterns.js';
import { assignmentsIn, isUnderDebugGuard } from '../../src/python/module-facts.js';

export const appDebugAttribute: PythonRule = {
  id: 'app-debug-attribute',
  language: 'python',
  title: 'app.debug = True hard-codes debug mode',
  severity: 'error',
  hint: 'delete the assignment: Flask sets app.debug from FLASK_DEBUG, so development opts in with FLASK_DEBUG=1',
  prefilter: /\.debug\s*=[^=]/,
  doc: {
    why:
      'Setting `app.debug = True` turns on debug mode for every environment the code runs in. When the app is ' +
      'then started with `app.run()` (or wrapped by a debugging server) the interactive Werkzeug debugger is ' +
      'served, and even under a WSGI server Flask propagates exceptions and reloads templates as in development.',
    example: 'app = Flask(__name__)\napp.debug = True',
    fix: 'Delete the line. `FLASK_DEBUG=1` (or `flask run --debug`) turns debug mode on for a developer; production sets nothing.',
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const statement of facts.nodes('expression_statement')) {
      const assignments = assignmentsIn(statement.namedChildren[0]);
      for (const { target, value } of assignments) {
        if (target.type !== 'attribute' || target.childForFieldName('attribute')?.text !== 'debug') continue;
        const owner = target.childForFieldName('object');
        const evidence = owner ? facts.appEvidence(owner) : undefined;
        const switchState = switchValue(facts, value);
        if (!evidence || !switchState?.truthy || isUnderDebugGuard(statement)) continue;
        detections.push({
          start: statement.startIndex,
          end: statement.endIndex,
          message: `${target.text} = ${switchState.describe} hard-codes debug mode on for every environment`,
          requires: requirementFor(evidence),
        });
      }
    }
    return detections;
  },
};
