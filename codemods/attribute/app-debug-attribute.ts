import { isUnderMainGuard } from '../../src/python/main-guard.js';
import { debugTurnedOffByRun } from '../../src/python/app-debug-set.js';
import type { Detection, PythonRule } from '../../src/rules/rule.js';
import {
  defaultOnFix,
  guardState,
  lowercaseConstantTest,
  openGuardRequirement,
  requirementFor,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import { APP_EVIDENCE_KEYWORDS, assignmentStatement, innermostValue, sameNode } from '../../src/python/module-facts.js';
import { nodeAt, removeStatement } from '../../src/python/edit-helpers.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { parsedFileSwitch } from '../../src/python/parsed-config.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const appDebugAttribute: PythonRule = {
  id: 'app-debug-attribute',
  language: 'python',
  title: 'app.debug = True hard-codes debug mode',
  severity: 'error',
  debugThroughConfig: true,
  knowsAppFamily: true,
  hint: 'delete the assignment: Flask sets app.debug from FLASK_DEBUG, so development opts in with FLASK_DEBUG=1',
  keywords: ['debug'],
  // Only a Flask app's run(), debug or config is a finding.
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  // The value may also be the next link of a chain: `app.debug = app.testing = True`.
  prefilter: [
    // The last: a read of a parsed file (`cfg["debug"]`, `cfg.get("debug")`).
    new RegExp(
      String.raw`\.\s*debug\s*=${VALUE_GAP_TEXT}(?:${TRUTHY_VALUE_TEXT}|[\w.]+\s*=[^=]|\w+\s*(?:\[|\.get\s*\())`,
    ),
    lowercaseConstantTest(String.raw`\.\s*debug`),
  ],
  doc: {
    why:
      'Setting `app.debug = True` turns on debug mode for every environment the code runs in. When the app is ' +
      'then started with `app.run()` (or wrapped by a debugging server) the interactive Werkzeug debugger is ' +
      'served, and even under a WSGI server Flask propagates exceptions and reloads templates as in development.',
    example: 'app = Flask(__name__)\napp.debug = True',
    fix:
      'Delete the line. `FLASK_DEBUG=1` (or `flask run --debug`) turns debug mode on for a developer; ' +
      'production sets nothing.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskConfigBasics, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts, path }) {
    const detections: Detection[] = [];
    for (const identifier of facts.anchors(/\.\s*(?<anchor>debug)\s*=(?!=)/)) {
      const target = identifier.parent;
      const assignment = target?.parent;
      // `app.debug = app.testing = True` is an assignment chain: every link shares the value.
      if (
        target?.type !== 'attribute' ||
        assignment?.type !== 'assignment' ||
        !sameNode(assignment.childForFieldName('left'), target)
      )
        continue;
      const owner = target.childForFieldName('object');
      const value = innermostValue(assignment);
      const evidence = owner ? facts.appEvidence(owner) : undefined;
      // `app.debug = cfg["debug"]` with cfg parsed from a committed file: the file's entry decides.
      const state = value && (switchValue(facts, value) ?? parsedFileSwitch(facts, value, path));
      const statement = assignmentStatement(assignment);
      if (!evidence || !state?.truthy) continue;
      // `app.debug = True` then `app.run(debug=False)`: the run turns it off again before serving.
      if (owner?.type === 'identifier' && debugTurnedOffByRun(statement, owner.text)) continue;
      // A guard whose condition holds while the environment is unset does not guard: the code runs by default.
      const guard = guardState(facts, statement);
      if (guard.kind === 'guarded') continue;
      const open = guard.kind === 'open' ? guard.open : undefined;
      const requires = openGuardRequirement(open, requirementFor(evidence));
      detections.push({
        start: statement.startIndex,
        end: statement.endIndex,
        message: open
          ? `${target.text} = ${state.describe} turns debug mode on by default: ${open.why}`
          : isUnderMainGuard(facts.source, statement.startPosition.row + 1)
            ? `${target.text} = ${state.describe} hard-codes debug mode on whenever this file runs as a script`
            : `${target.text} = ${state.describe} hard-codes debug mode on for every environment`,
        requires,
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const statement = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const links: SyntaxNode[] = [];
    for (
      let link = statement.type === 'expression_statement' ? statement.namedChildren[0] : statement;
      link?.type === 'assignment';
      link = link.childForFieldName('right') ?? undefined
    ) {
      links.push(link);
    }
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : statement;
    const value = assignment?.type === 'assignment' ? innermostValue(assignment) : undefined;
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    const title = 'remove the app.debug assignment: Flask sets it from FLASK_DEBUG';
    if (links.length <= 1) return { title, edits: [removeStatement(source, statement)] };
    // `app.testing = app.debug = True`: drop only the `app.debug = ` link of the chain.
    const index = links.findIndex((link) => /\.\s*debug$/.test(link.childForFieldName('left')?.text ?? ''));
    const link = links[index];
    const next = links[index + 1]?.childForFieldName('left') ?? links[index]?.childForFieldName('right');
    if (!link || !next) return undefined;
    return { title, edits: [{ start: link.startIndex, end: next.startIndex, replacement: '' }] };
  },
};
