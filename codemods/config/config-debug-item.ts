import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { debugTurnedOffByRun } from '../../src/python/app-debug-set.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { parsedFileSwitch } from '../../src/python/parsed-config.js';
import {
  appMethodCalls,
  ARGUMENT_START_TEXT,
  configOwner,
  defaultOnFix,
  guardState,
  importedSwitch,
  lowercaseConstantTest,
  openGuardRequirement,
  requirementFor,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import {
  APP_EVIDENCE_KEYWORDS,
  assignmentStatement,
  innermostValue,
  sameNode,
  type AppEvidence,
  type ModuleFacts,
} from '../../src/python/module-facts.js';
import { stringLiteralValue } from '../../src/python/syntax.js';
import { nodeAt, removeItemOrStatement, removeStatement } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS, EQUIVALENTS } from '../../src/rules/references.js';

const WHEREVER_CALLED = ' wherever this call runs';
// Methods of flask.Config that take a mapping or keywords.
const MAPPING_METHODS = ['update', 'from_mapping'] as const;

export const configDebugItem: PythonRule = {
  id: 'config-debug-item',
  language: 'python',
  title: "app.config['DEBUG'] = True hard-codes debug mode",
  severity: 'error',
  debugThroughConfig: true,
  knowsAppFamily: true,
  hint: 'remove DEBUG from the config update: Flask already sets it from FLASK_DEBUG',
  keywords: ['DEBUG'],
  // Only a Flask app's run(), debug or config is a finding.
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  prefilter: [
    /['"]DEBUG['"]\s*[\]:]/,
    new RegExp(String.raw`${ARGUMENT_START_TEXT}DEBUG\s*=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`),
    lowercaseConstantTest(String.raw`\bDEBUG`),
  ],
  doc: {
    why:
      'Writing DEBUG into `app.config` overrides the value Flask derived from FLASK_DEBUG, so every environment, ' +
      'production included, runs in debug mode; with `app.run()` that serves the interactive debugger.',
    example: 'app.config["DEBUG"] = True\napp.config.update(DEBUG=True, SECRET_KEY=key)',
    fix: 'Remove the DEBUG entry and keep the rest:\n\napp.config.update(SECRET_KEY=key)',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskConfigBasics, DOCS.werkzeugDebugger],
    equivalents: [EQUIVALENTS.semgrepHardcodedDebug],
  },
  detect({ facts, path }) {
    const detections: Detection[] = [];
    for (const identifier of facts.anchors(/\.\s*(?<anchor>config)\s*\[/)) {
      const container = identifier.parent;
      const target = container?.parent;
      const assignment = target?.parent;
      if (container?.type !== 'attribute' || target?.type !== 'subscript' || assignment?.type !== 'assignment')
        continue;
      if (!sameNode(assignment.childForFieldName('left'), target)) continue;
      const key = target.childForFieldName('subscript');
      const owner = configOwner(container);
      const evidence = owner && facts.appEvidence(owner);
      const value = innermostValue(assignment);
      if (!evidence || !key || !value || stringLiteralValue(key) !== 'DEBUG') continue;
      const state = switchValue(facts, value) ?? parsedFileSwitch(facts, value, path);
      const statement = assignmentStatement(assignment);
      // `app.config["DEBUG"] = True` then `app.run(debug=False)`: the run turns it off again before serving.
      if (owner.type === 'identifier' && debugTurnedOffByRun(statement, owner.text)) continue;
      const guard = guardState(facts, statement);
      // `app.config["DEBUG"] = settings.DEBUG`: the settings module of the project says, confirmed there.
      const imported = !state && guard.kind === 'unguarded' && evidence.kind === 'app';
      const elsewhere = imported ? importedSwitch(facts, value, evidence) : undefined;
      if (elsewhere) {
        detections.push({
          start: statement.startIndex,
          end: statement.endIndex,
          message: `${target.text} = ${elsewhere.describe} forces debug mode on in every environment`,
          requires: elsewhere.requirement,
        });
        continue;
      }
      if (!state?.truthy || guard.kind === 'guarded') continue;
      const open = guard.kind === 'open' ? guard.open : undefined;
      detections.push({
        start: statement.startIndex,
        end: statement.endIndex,
        message: open
          ? `${target.text} = ${state.describe} turns debug mode on by default: ${open.why}`
          : `${target.text} = ${state.describe} forces debug mode on in every environment`,
        requires: openGuardRequirement(open, requirementFor(evidence)),
      });
    }
    for (const method of MAPPING_METHODS) {
      for (const { call, parts, evidence, openGuard } of appMethodCalls(facts, method, configOwner)) {
        const requires = openGuardRequirement(openGuard, requirementFor(evidence));
        const report = (node: SyntaxNode, describe: string) => {
          // One module-level mapping handed to update() and from_mapping() is one finding.
          const reported = detections.some((each) => each.start === node.startIndex && each.end === node.endIndex);
          if (reported) return;
          detections.push({
            start: node.startIndex,
            end: node.endIndex,
            message: `config.${method}() sets DEBUG to ${describe}, forcing debug mode on in every environment`,
            requires,
          });
        };
        const keyword = parts.keywords.get('DEBUG');
        const keywordState = keyword && switchValue(facts, keyword.value);
        if (keyword && keywordState?.truthy) report(keyword.keyword, keywordState.describe);
        // `update(CONFIG)` and `update(**CONFIG)`: a mapping given whole, or unpacked into keywords.
        const splats = (call.childForFieldName('arguments')?.namedChildren ?? [])
          .filter((argument) => argument.type === 'dictionary_splat')
          .flatMap((splat) => splat.namedChildren.slice(0, 1));
        for (const argument of [...parts.positional, ...splats]) {
          for (const entry of debugEntries(facts, argument)) report(entry.node, entry.describe);
        }
      }
    }
    for (const { node, describe, call, evidence } of factoryDebugArguments(facts)) {
      const guard = guardState(facts, call);
      if (guard.kind === 'guarded') continue;
      const callee = call.childForFieldName('function')?.text ?? 'the factory';
      detections.push({
        start: node.startIndex,
        end: node.endIndex,
        message: `${callee}() is given DEBUG = ${describe}: the app it builds runs in debug mode${WHEREVER_CALLED}`,
        requires: openGuardRequirement(guard.kind === 'open' ? guard.open : undefined, requirementFor(evidence)),
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const assignment = node.type === 'expression_statement' ? node.namedChildren[0] : undefined;
    const value =
      assignment?.type === 'assignment'
        ? innermostValue(assignment)
        : node.type === 'keyword_argument' || node.type === 'pair'
          ? node.childForFieldName('value')
          : undefined;
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    const title = 'remove DEBUG from the app config: Flask sets it from FLASK_DEBUG';
    if (node.type === 'expression_statement') return { title, edits: [removeStatement(source, node)] };
    if (node.type === 'keyword_argument' || node.type === 'pair')
      return { title, edits: [removeItemOrStatement(source, node)] };
    return undefined;
  },
};

/**
 * `create_app(DEBUG=True)`, `create_app({"DEBUG": True})`: a truthy DEBUG handed to a call that builds an app
 * (a factory of the module, one named like Flask's, or one imported and confirmed there), whose keywords or
 * mapping a factory puts into app.config (`app.config.update(**config)`, `from_mapping(test_config)`).
 */
function factoryDebugArguments(
  facts: ModuleFacts,
): { node: SyntaxNode; describe: string; call: SyntaxNode; evidence: AppEvidence }[] {
  const found: { node: SyntaxNode; describe: string; call: SyntaxNode; evidence: AppEvidence }[] = [];
  const keywords = facts.anchors(/[(,]\s*(?<anchor>DEBUG)\s*=(?!=)/).map((identifier) => identifier.parent);
  const pairs = facts.anchors(/(?<anchor>['"]DEBUG['"])\s*:/).map((key) => key.parent);
  for (const entry of [...keywords, ...pairs]) {
    if (entry?.type !== 'keyword_argument' && entry?.type !== 'pair') continue;
    const holder = entry.type === 'pair' ? entry.parent : entry;
    const list = holder?.parent;
    const call = list?.type === 'argument_list' ? list.parent : undefined;
    if (call?.type !== 'call' || (entry.type === 'pair' && holder?.type !== 'dictionary')) continue;
    const evidence = facts.appEvidence(call);
    const value = entry.childForFieldName('value');
    const state = value && switchValue(facts, value);
    if (evidence && state?.truthy) found.push({ node: entry, describe: state.describe, call, evidence });
  }
  return found;
}

/**
 * `{'DEBUG': True}` pairs and `dict(DEBUG=True)` keywords with a truthy value, written in the call or in the
 * module-level mapping a name holds (`CONFIG = {"DEBUG": True}`, then `app.config.update(CONFIG)`).
 */
function debugEntries(facts: ModuleFacts, mapping: SyntaxNode, hops = 0): { node: SyntaxNode; describe: string }[] {
  const entries: { node: SyntaxNode; describe: string }[] = [];
  const bound = mapping.type === 'identifier' && hops === 0 ? facts.constantNode(mapping.text) : undefined;
  if (bound) return debugEntries(facts, bound, hops + 1);
  if (mapping.type === 'dictionary') {
    for (const pair of mapping.namedChildren) {
      if (pair.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const state = value && switchValue(facts, value);
      if (key && stringLiteralValue(key) === 'DEBUG' && state?.truthy)
        entries.push({ node: pair, describe: state.describe });
    }
  } else if (mapping.type === 'call' && mapping.childForFieldName('function')?.text === 'dict') {
    for (const argument of mapping.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument.type !== 'keyword_argument' || argument.childForFieldName('name')?.text !== 'DEBUG') continue;
      const value = argument.childForFieldName('value');
      const state = value && switchValue(facts, value);
      if (state?.truthy) entries.push({ node: argument, describe: state.describe });
    }
  }
  return entries;
}
