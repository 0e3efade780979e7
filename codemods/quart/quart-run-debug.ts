import type { Detection, PythonRule, Requirement } from '../../src/rules/rule.js';
import {
  ARGUMENT_START_TEXT,
  argumentRange,
  defaultOnFix,
  isGuardedOff,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import { assignmentStatement, innermostValue, sameNode, type ModuleFacts } from '../../src/python/module-facts.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { argumentValue, callParts, stringLiteralValue } from '../../src/python/syntax.js';
import { nodeAt, removeListItem, removeStatement } from '../../src/python/edit-helpers.js';
import { DISCLOSURE_CWES, DOCS } from '../../src/rules/references.js';

// Quart.run(host, port, debug, ...): debug is the third positional, as in Flask.
const DEBUG_POSITION = 2;

export const quartRunDebug: PythonRule = {
  id: 'quart-run-debug',
  language: 'python',
  title: "Quart's debug mode serves tracebacks with source and local variables",
  severity: 'warning',
  hint: 'drop the debug setting (Quart reads QUART_DEBUG itself) and serve production with Hypercorn',
  // The module that runs the app may import it from the one that builds it with Quart (`from api import app`).
  keywords: ['quart', 'debug', 'DEBUG'],
  projectKeywords: ['from quart', 'import quart'],
  prefilter: [
    new RegExp(String.raw`${ARGUMENT_START_TEXT}debug\s*=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`),
    /\.debug\s*=|\[\s*['"]DEBUG['"]\s*\]\s*=/,
  ],
  doc: {
    why:
      "Quart's debug mode (`app.run(debug=True)`, `app.debug = True`, `config['DEBUG'] = True`) answers every " +
      'unhandled exception with a traceback page that shows source lines and the local variables of each frame: ' +
      'secrets, tokens and paths leak to whoever triggers an error. Unlike Flask, Quart has no interactive console, ' +
      'so this is disclosure, not code execution, and the rule is a warning.',
    example: 'app = Quart(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=True)',
    fix:
      'Remove the setting; developers opt in with `QUART_DEBUG=1`. Serve production with `hypercorn module:app`.' +
      '\n\nif __name__ == "__main__":\n    app.run()',
  },
  references: { cwe: DISCLOSURE_CWES, links: [DOCS.quartDeploy], equivalents: [] },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const call of facts.methodCalls('run')) {
      const parts = callParts(call);
      const receiver = parts?.callee.type === 'attribute' ? parts.callee.childForFieldName('object') : null;
      const imported = receiver ? importedQuartApp(facts, receiver) : undefined;
      if (!parts || !receiver || (!isQuartApp(facts, receiver) && !imported) || isGuardedOff(facts, call)) continue;
      const debug = argumentValue(parts, 'debug', DEBUG_POSITION);
      const value = debug && switchValue(facts, debug);
      if (!debug || !value?.truthy) continue;
      detections.push({
        ...argumentRange(parts, 'debug', debug),
        message:
          `Quart ${parts.callee.text}() with debug=${value.describe} serves tracebacks with source and frame locals ` +
          'to every client (no console: disclosure)',
        ...(imported ? { requires: imported } : {}),
      });
    }
    for (const { statement, target, describe } of quartDebugAssignments(facts)) {
      detections.push({
        start: statement.startIndex,
        end: statement.endIndex,
        message:
          `${target} = ${describe} puts this Quart app in debug mode: tracebacks with source and frame locals ` +
          'go to every client (no console: disclosure)',
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    if (node.type === 'keyword_argument') {
      const value = node.childForFieldName('value');
      return (
        (value && defaultOnFix(facts, value)) ?? {
          title: 'remove debug from run(): Quart reads QUART_DEBUG',
          edits: [removeListItem(source, node)],
        }
      );
    }
    if (node.type === 'expression_statement')
      return { title: 'remove the debug assignment: Quart reads QUART_DEBUG', edits: [removeStatement(source, node)] };
    return undefined;
  },
};

/** An app imported from another module (`from api import app`, `app = create_app()`): confirmed Quart there. */
function importedQuartApp(facts: ModuleFacts, node: SyntaxNode): Requirement | undefined {
  const evidence = facts.serverEvidence(node);
  return evidence?.kind === 'imported' ? { kind: 'imported-quart-app', ref: evidence.ref } : undefined;
}

function isQuartApp(facts: ModuleFacts, node: SyntaxNode): boolean {
  const evidence = facts.serverEvidence(node);
  return evidence?.kind === 'app' && evidence.appClass?.server === 'quart';
}

/** `app.debug = True` and `app.config["DEBUG"] = True` on a Quart app, outside a debug guard. */
function quartDebugAssignments(facts: ModuleFacts): { statement: SyntaxNode; target: string; describe: string }[] {
  const found: { statement: SyntaxNode; target: string; describe: string }[] = [];
  for (const anchor of facts.anchors(/(?<anchor>\.\s*debug|\[\s*['"]DEBUG['"]\s*\])\s*=(?!=)/)) {
    const target = anchor.type === 'attribute' || anchor.type === 'subscript' ? anchor : anchor.parent;
    const assignment = target?.parent;
    if (!target || assignment?.type !== 'assignment' || !sameNode(assignment.childForFieldName('left'), target))
      continue;
    const owner = target.type === 'attribute' ? target.childForFieldName('object') : configOwnerOf(target);
    const value = innermostValue(assignment);
    const state = value && switchValue(facts, value);
    const statement = assignmentStatement(assignment);
    if (!owner || !state?.truthy || !isQuartApp(facts, owner) || isGuardedOff(facts, statement)) continue;
    found.push({ statement, target: target.text, describe: state.describe });
  }
  return found;
}

/** `app` of `app.config["DEBUG"]`. */
function configOwnerOf(subscript: SyntaxNode): SyntaxNode | undefined {
  const key = subscript.childForFieldName('subscript');
  const config = subscript.childForFieldName('value');
  if (
    !key ||
    stringLiteralValue(key) !== 'DEBUG' ||
    config?.type !== 'attribute' ||
    config.childForFieldName('attribute')?.text !== 'config'
  )
    return undefined;
  return config.childForFieldName('object') ?? undefined;
}
