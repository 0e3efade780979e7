import type { Detection, PythonRule, Requirement } from '../../src/rules/rule.js';
import { requiredField, type SyntaxNode } from '../../src/python/parser.js';
import { appMethodCalls, configOwner, isGuardedOff, requirementFor } from '../../src/python/flask-patterns.js';
import { parameterLoadedBy, selectedClass } from '../../src/python/config-selection.js';
import {
  CONFIG_SELECTION_TEXT,
  DEFAULT_USED,
  FACTORY_CALL_NAMES,
  developmentFactoryCall,
  developmentFromObject,
  type DevelopmentSelection,
  namesDevelopment,
  requirementOf,
} from '../../src/python/development-config.js';
import type { ModuleFacts } from '../../src/python/module-facts.js';
import { moduleLevelMapName, readsName } from '../../src/python/config-map-use.js';
import { configMapFix } from './config-map-fix.js';
import { localProductionKey } from './production-key.js';
import { dottedParts, stringLiteralValue } from '../../src/python/syntax.js';
import {
  indentationAt,
  lineBreakOf,
  lineStart,
  nextLineStart,
  nodeAt,
  STRICT_FLASK_DEBUG_READ,
} from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

/**
 * A map's default matters only where the map is loaded: read in its own module (or never bound to a
 * top-level name, so used where it is written), else read by a module that imports it.
 */
function mapLoadRequirement(facts: ModuleFacts, pair: SyntaxNode, then: Requirement | undefined) {
  const binding = pair.parent ? moduleLevelMapName(pair.parent) : undefined;
  if (!binding || readsName(facts, binding.text, binding)) return then;
  return { kind: 'read-elsewhere' as const, name: binding.text, ...(then ? { then } : {}) };
}

const EVERYWHERE = ' in every environment';
const withThen = (then: Requirement | undefined) => (then ? { then } : {});

export const devConfigSelected: PythonRule = {
  id: 'dev-config-selected',
  language: 'python',
  title: 'the development config is hard-wired',
  severity: 'error',
  debugThroughConfig: true,
  knowsAppFamily: true,
  hint:
    'pick the config from APP_ENV with production as the default, ' +
    "e.g. config[os.environ.get('APP_ENV', 'production')]",
  keywords: ['from_object', "'default'", '"default"', '_app(', 'app_factory('],
  prefilter: CONFIG_SELECTION_TEXT,
  doc: {
    why:
      'A factory or entrypoint that always loads a `DevelopmentConfig` that sets `DEBUG = True` ' +
      '(or a config map whose ' +
      '`"default"` entry is that class, used when no variable is set) runs production in debug mode, along with the ' +
      'rest of the development settings. Secure by default means the unset case is off. A development class that ' +
      'does not set DEBUG is not a finding: Flask then follows FLASK_DEBUG, and neither is a map that nothing ' +
      'reads (its own module or a module importing it). A fallback that production never takes is a warning: ' +
      'when each production entrypoint that reaches it sets the selecting variable to another value ' +
      '(`ENV FLASK_ENV=production` for `os.getenv("FLASK_ENV", "development")`, or for a map\'s "default" entry ' +
      "that only such a read selects), only a run without it (a developer's) gets the development config.",
    example:
      'app.config.from_object("config.DevelopmentConfig")\n\n' +
      'config = {"development": DevelopmentConfig, "default": DevelopmentConfig}',
    fix:
      'Select the class from the environment and default to production:\n\n' +
      'app.config.from_object(config[os.environ.get("APP_ENV", "production")])\n\n' +
      'config = {"development": DevelopmentConfig, "production": ProductionConfig, "default": ProductionConfig}\n\n' +
      'migrate keeps a hard-wired class but lets FLASK_DEBUG decide DEBUG right after it (the smallest change that ' +
      'turns a clean environment off), and points a config map\'s "default" at its production class.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskConfigBasics, DOCS.flaskDebugConfig, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const { call, evidence, openGuard } of appMethodCalls(facts, 'from_object', configOwner)) {
      const found = developmentFromObject(facts, call, requirementFor(evidence));
      const selection = found && { ...found, requires: calledBare(found.at, found.requires) };
      // Under a guard that holds by default (`if env is None or env not in [...]:`): say when, not "always".
      const when = openGuard ? ` by default: ${openGuard.why}` : undefined;
      if (selection)
        detections.push(
          atNode(when ? { ...selection, message: selection.message.replace(EVERYWHERE, when) } : selection),
        );
    }
    for (const keyNode of facts.anchors(/(?<anchor>['"]default['"])\s*:/)) {
      const pair = keyNode.parent;
      if (pair?.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      if (!key || !value || stringLiteralValue(key) !== 'default') continue;
      // A class (`DevelopmentConfig`, `config.DevConfig`) or an import path to one; a bare
      // string like "development" may be a name looked up elsewhere, so it is left alone.
      const importPath = stringLiteralValue(value);
      const valueName =
        dottedParts(value)?.at(-1) ?? (importPath?.includes('.') ? importPath.split('.').at(-1) : undefined);
      if (!namesDevelopment(valueName) || isGuardedOff(facts, pair)) continue;
      const selected = selectedClass(facts, value);
      if (selected.state === 'off') continue;
      detections.push({
        start: pair.startIndex,
        end: pair.endIndex,
        message:
          `the config map's "default" entry is ${value.text}: ` +
          'with no variable set, the app runs the development config in debug mode',
        // Used only where some module selects "default" (`os.getenv("FLASK_CONFIG") or "default"`).
        requires: {
          kind: 'config-key-selected',
          key: 'default',
          ...withThen(mapLoadRequirement(facts, pair, requirementOf(selected, undefined))),
        },
      });
    }
    for (const call of facts.callsNamed(FACTORY_CALL_NAMES)) {
      if (builtOnlyForContext(call)) continue;
      const selection = developmentFactoryCall(facts, call);
      if (selection) detections.push(atNode(selection));
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    if (node.type === 'pair') return configMapFix(facts, node, namesDevelopment);
    if (detection.message.includes(' falls back to ')) return fallbackFix(facts, node);
    if (detection.message.includes(' builds the app with ')) return dottedPathCallFix(node);
    if (detection.message.endsWith(DEFAULT_USED)) {
      const argument = parameterLoadedBy(facts, node);
      return argument && hardWiredFix(source, argument, node.text);
    }
    return hardWiredFix(source, node);
  },
};

/** `from_object(DevelopmentConfig)` stays (its other settings too); the next line lets FLASK_DEBUG decide DEBUG. */
function hardWiredFix(source: string, argument: SyntaxNode, loaded = argument.text) {
  const call = argument.parent?.parent;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const owner = callee?.type === 'attribute' ? configOwner(requiredField(callee, 'object')) : undefined;
  const statement = call?.parent;
  if (
    !owner ||
    statement?.type !== 'expression_statement' ||
    source.slice(lineStart(source, statement.startIndex), statement.startIndex).trim() !== ''
  )
    return undefined;
  const at = nextLineStart(source, statement.endIndex);
  const eol = lineBreakOf(source);
  const lineBreak = at === source.length && !source.endsWith('\n') ? eol : '';
  return {
    title: `let FLASK_DEBUG decide DEBUG after loading ${loaded}: a clean environment is off`,
    edits: [
      {
        start: at,
        end: at,
        replacement:
          `${lineBreak}${indentationAt(source, statement.startIndex)}` +
          `${owner.text}.config["DEBUG"] = ${STRICT_FLASK_DEBUG_READ}${eol}`,
      },
    ],
    imports: ['os' as const],
    notice:
      `${loaded} still loads in every environment, but its DEBUG no longer turns the debugger on: ` +
      'set FLASK_DEBUG=1 (or use flask run --debug) for it locally',
  };
}

/**
 * `create_app("config.DevelopmentConfig")` names the class itself: which class this entrypoint should
 * load (and whether the project has a production one that starts without more settings) is for a person.
 */
function dottedPathCallFix(argument: SyntaxNode) {
  const path = stringLiteralValue(argument);
  if (path === undefined) return undefined;
  // `create_app("default")`: which name production should pass (and what local runs pass) is for a person.
  if (!path.includes('.'))
    return {
      title: 'left for a person',
      edits: [],
      manual:
        `the "${path}" config turns DEBUG on: pass the production name instead (or select one from APP_ENV ` +
        'with production as the default), and check it starts with the settings production sets',
    };
  return {
    title: 'left for a person',
    edits: [],
    manual:
      `${path} is the development class, passed by name: pass the production class instead ` +
      '(or select one from APP_ENV with production as the default), ' +
      'and check it starts with the settings production sets',
  };
}

/**
 * The fallback literal becomes the production key: the map's own when it is in this module, else
 * the name that pairs with the development one (`dev` -> `prod`), which the notice asks to check.
 */
function fallbackFix(facts: ModuleFacts, literal: SyntaxNode) {
  const path = stringLiteralValue(literal);
  // An f-string fills the fallback into a path (`f"config.{env}Config"`): which word names the production
  // class there is for a person to say, as for a dotted path.
  let inPath = false;
  for (let at = literal.parent; at && !inPath; at = at.parent) inPath = at.type === 'interpolation';
  if (inPath)
    return {
      title: 'left for a person',
      edits: [],
      manual:
        `the fallback ${literal.text} completes the development class's import path: make it name the ` +
        'production class instead, and check it starts with the settings production sets',
    };
  // A dotted path names the class itself: the production class's path is for a person to name (and check).
  if (path?.includes('.'))
    return {
      title: 'left for a person',
      edits: [],
      manual:
        `the fallback ${path} is the development class: name the production class instead, ` +
        'and check it starts with the settings production sets',
    };
  const quote = literal.text.match(/^[a-zA-Z]*(['"])/)?.[1] ?? '"';
  // The map looked up right here: one of its entries that leaves DEBUG off, or nothing to switch to.
  const mapKey = localProductionKey(facts, literal);
  if (mapKey === null)
    return {
      title: 'left for a person',
      edits: [],
      manual:
        `the map ${literal.text} selects from has no production entry that leaves DEBUG off: ` +
        'add a production config and fall back to it',
    };
  const localKey = mapKey ?? facts.source.match(/['"](prod|production)['"]\s*:/)?.[1];
  const productionKey = localKey ?? (/^dev$/i.test(stringLiteralValue(literal) ?? '') ? 'prod' : 'production');
  const check = localKey ? '' : ` (the map lives in another module: check it has a "${productionKey}" entry)`;
  return {
    title: `fall back to the "${productionKey}" config: with nothing set, the app runs production settings`,
    edits: [{ start: literal.startIndex, end: literal.endIndex, replacement: `${quote}${productionKey}${quote}` }],
    notice:
      `with nothing set the app now loads the "${productionKey}" config: ` +
      `select ${literal.text} explicitly for local runs${check}`,
  };
}

/** A selection reported where it is written. */
function atNode({ at, message, requires, selector }: DevelopmentSelection): Detection {
  return {
    start: at.startIndex,
    end: at.endIndex,
    message,
    ...(requires ? { requires } : {}),
    ...(selector ? { selector } : {}),
  };
}

/** A default of a factory's parameter matters only where the factory is called without it. */
function calledBare(at: SyntaxNode, requires: Requirement | undefined): Requirement | undefined {
  const parameter = at.parent;
  const definition = parameter?.parent?.parent;
  const isDefault = parameter?.type === 'default_parameter' || parameter?.type === 'typed_default_parameter';
  const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
  if (!isDefault || !name) return requires;
  return { kind: 'factory-called-bare', name, ...(requires ? { then: requires } : {}) };
}

// What a script does with an app it only needs for its context: a shell, a database reset, a test client.
const CONTEXT_USE = /^\.\s*(?:app_context|test_request_context|test_client|test_cli_runner)\s*\(/;

/**
 * `app = create_app("development")` in a function that uses `app` only for its context (`with
 * app.app_context(): db.drop_all()`): nothing serves that app, so its DEBUG serves nothing either.
 */
function builtOnlyForContext(call: SyntaxNode): boolean {
  const assignment = call.parent;
  const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  let scope = assignment?.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  const body = scope?.type === 'function_definition' ? scope.childForFieldName('body') : null;
  if (!body || name?.type !== 'identifier') return false;
  const text = body.text;
  const uses = [...text.matchAll(new RegExp(`\\b${name.text}\\b`, 'g'))].map(
    (use) => (use.index ?? 0) + name.text.length,
  );
  // The assignment itself, then only context uses.
  return uses.length > 1 && uses.slice(1).every((end) => CONTEXT_USE.test(text.slice(end)));
}
