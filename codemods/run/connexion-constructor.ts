import type { Detection, PythonContext } from '../../src/rules/rule.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import type { AppEvidence } from '../../src/python/module-facts.js';
import { appClassCallNames, connexionGeneration, isConnexionApp } from '../../src/python/app-classes.js';
import { argumentRange, isGuardedOff, switchValue } from '../../src/python/flask-patterns.js';
import { runsOnlyAsScript } from '../../src/python/main-guard.js';
import { callParts } from '../../src/python/syntax.js';

/**
 * For a Connexion app or the Flask app it holds (`app.app`): the version note to add (Connexion 2);
 * null for a Connexion 3 app itself, whose run() starts uvicorn with no debugger. The Flask app it holds is
 * Flask's in both versions. '' for any other app.
 */
export function connexionNote(evidence: AppEvidence, path: string): string | null {
  if (evidence?.kind !== 'app' || !isConnexionApp(evidence.appClass)) return '';
  const { generation, basis } = connexionGeneration(path);
  if (generation === 3 && evidence.appClass?.heldBy) return ` (the Flask app a Connexion 3 app holds: ${basis})`;
  if (generation === 3) return null;
  return evidence.appClass?.heldBy ? ` (the Flask app a Connexion app holds: ${basis})` : ` (${basis})`;
}

/** Connexion 2's `App(__name__, debug=True)`: the app keeps debug and its run() passes it to Flask's. */
export function connexionConstructorDebug(facts: PythonContext['facts'], path: string): Detection[] {
  if (!/connexion/.test(facts.source)) return [];
  const detections: Detection[] = [];
  for (const call of facts.callsNamed(appClassCallNames(facts.imports, facts.source).join('|'))) {
    const appClass = facts.appClassOfCall(call);
    const parts = callParts(call);
    const debug = parts?.keywords.get('debug')?.value;
    if (appClass?.framework !== 'Connexion' || !parts || !debug || isGuardedOff(facts, call)) continue;
    const note = connexionNote({ kind: 'app', appClass }, path);
    const value = switchValue(facts, debug);
    if (note === null || !value?.truthy || unwrappedBeforeRun(facts, call)) continue;
    // Only run() reads the flag: when this module runs it only as a script, a server importing it never does.
    const scriptOnly = runsOnlyAsScripts(facts, call);
    detections.push({
      ...argumentRange(parts, 'debug', debug),
      message:
        `${parts.callee.text}(debug=${value.describe}) makes this Connexion app's own run() start the Werkzeug ` +
        `debugger, a remote Python console (unless that run() passes debug=False)${note}` +
        (scriptOnly
          ? "; this module calls that run() only when it runs as a script, which a WSGI server's import never does"
          : ''),
      ...(scriptOnly ? { warningOnly: true } : {}),
    });
  }
  return detections;
}

/** True when the app built by `construction` has run() calls in this module, all only when it runs as a script. */
function runsOnlyAsScripts(facts: PythonContext['facts'], construction: SyntaxNode): boolean {
  const assignment = construction.parent;
  const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  if (name?.type !== 'identifier') return false;
  const runs = facts.anchors(new RegExp(`\\b(?<anchor>${name.text})\\.run\\s*\\(`));
  return runs.length > 0 && runs.every((node) => runsOnlyAsScript(facts.source, node.startPosition.row + 1));
}

/**
 * `app = connexion.App(..., debug=True)` then `app = app.app` at module level, with no `app.run()` between:
 * the name now holds the inner Flask app, which the constructor's debug never reaches (only Connexion's
 * own run() passes it on), and no other module can import the Connexion app. Not a finding.
 */
function unwrappedBeforeRun(facts: PythonContext['facts'], construction: SyntaxNode): boolean {
  const assignment = construction.parent;
  const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  if (name?.type !== 'identifier' || assignment?.parent?.parent?.type !== 'module') return false;
  const unwrap = facts
    .anchors(new RegExp(`^(?<anchor>${name.text})[ \\t]*=[ \\t]*${name.text}\\.app[ \\t]*(?:#.*)?$`, 'm'))
    .find((node) => node.startIndex > construction.endIndex && node.parent?.parent?.parent?.type === 'module');
  if (!unwrap) return false;
  const runs = facts.anchors(new RegExp(`\\b(?<anchor>${name.text})\\.run(?:_server)?\\s*\\(`));
  return !runs.some((node) => node.startIndex > construction.endIndex && node.startIndex < unwrap.startIndex);
}
