import type { Detection, PythonRule, Requirement } from '../../src/rules/rule.js';
import { requiredField, type SyntaxNode } from '../../src/python/parser.js';
import { appMethodCalls, configOwner, isGuardedOff, requirementFor } from '../../src/python/flask-patterns.js';
import { configFallback } from '../../src/python/config-fallback.js';
import {
  factorySelection,
  loadedParameterDefault,
  mapEntry,
  parameterLoadedBy,
  selectedClass,
  type Selected,
} from '../../src/python/config-selection.js';
import type { ModuleFacts } from '../../src/python/module-facts.js';
import { moduleLevelMapName, readsName } from '../../src/python/config-map-use.js';
import { configMapFix } from './config-map-fix.js';
import { callParts, dottedParts, stringLiteralValue } from '../../src/python/syntax.js';
import {
  indentationAt,
  lineBreakOf,
  lineStart,
  nextLineStart,
  nodeAt,
  STRICT_FLASK_DEBUG_READ,
} from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// `DevelopmentConfig`, `DevConfig`, `config.development`, `LocalSettings`...
const DEVELOPMENT_NAME =
  /^(?:dev|development|local)(?:config|settings)?$|^(?:dev|development|local)[A-Z_]|(?:^|[._])(?:dev|development)(?:[._]|$)/i;
const DEFAULT_USED = 'whenever the factory is called without it';
// A statement after from_object() that sets DEBUG again decides it instead of the class.
const SETS_DEBUG = /\.config\s*\[\s*['"]DEBUG['"]\s*\]\s*=(?!=)|\.debug\s*=(?!=)|\bDEBUG\s*=(?!=)/;

function namesDevelopment(name: string | undefined): boolean {
  return name !== undefined && DEVELOPMENT_NAME.test(name);
}

/** The config object a `from_object(...)` argument names, when it clearly names a development one. */
function developmentTarget(argument: SyntaxNode): string | undefined {
  const text = stringLiteralValue(argument);
  if (text !== undefined) return namesDevelopment(text.split('.').at(-1)) ? text : undefined;
  const parts = dottedParts(argument);
  if (parts) return namesDevelopment(parts.at(-1)) ? argument.text : undefined;
  if (argument.type === 'subscript') {
    const key = argument.childForFieldName('subscript');
    const keyText = key && stringLiteralValue(key);
    return namesDevelopment(keyText ?? undefined) ? argument.text : undefined;
  }
  return undefined;
}

/**
 * The requirement a finding on a selected class carries: the
 * app's own, else that the class elsewhere turns DEBUG on.
 */
function requirementOf(selected: Selected, appRequirement: Requirement | undefined): Requirement | undefined {
  if (appRequirement) return appRequirement;
  if (selected.elsewhereMap)
    return { kind: 'named-config', ref: selected.elsewhereMap.ref, key: selected.elsewhereMap.key, via: 'map' };
  return selected.elsewhere ? { kind: 'debug-config-class', ref: selected.elsewhere } : undefined;
}

/**
 * A map's default matters only where the map is loaded: read in its own module (or never bound to a
 * top-level name, so used where it is written), else read by a module that imports it.
 */
function mapLoadRequirement(facts: ModuleFacts, pair: SyntaxNode, then: Requirement | undefined) {
  const binding = pair.parent ? moduleLevelMapName(pair.parent) : undefined;
  if (!binding || readsName(facts, binding.text, binding)) return then;
  return { kind: 'config-map-loaded' as const, name: binding.text, ...(then ? { then } : {}) };
}

/** True when a later statement of the same block sets DEBUG again (so the class's DEBUG does not decide). */
function debugSetAfter(call: SyntaxNode): boolean {
  let statement: SyntaxNode | null = call;
  while (statement?.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module')
    statement = statement.parent;
  for (let next = statement?.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'expression_statement' && SETS_DEBUG.test(next.text)) return true;
  }
  return false;
}

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
  prefilter: [
    /from_object|['"]default['"]\s*:\s*['"]?[\w.]*(?:dev|Dev|DEV|local|Local)/,
    /\w_app\s*\(\s*[^)\s]|app_factory\s*\(/,
  ],
  doc: {
    why:
      'A factory or entrypoint that always loads a `DevelopmentConfig` that sets `DEBUG = True` ' +
      '(or a config map whose ' +
      '`"default"` entry is that class, used when no variable is set) runs production in debug mode, along with the ' +
      'rest of the development settings. Secure by default means the unset case is off. A development class that ' +
      'does not set DEBUG is not a finding: Flask then follows FLASK_DEBUG, and neither is a map that nothing ' +
      'reads (its own module or a module importing it).',
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
    for (const { call, parts, evidence } of appMethodCalls(facts, 'from_object', configOwner)) {
      const argument = parts.positional[0];
      const fallback = argument && developmentFallback(facts, argument);
      if (argument && fallback && !debugSetAfter(call)) {
        detections.push({
          start: fallback.literal.startIndex,
          end: fallback.literal.endIndex,
          message: fallback.message,
          requires: requirementOf(fallback.selected, requirementFor(evidence)),
        });
        continue;
      }
      // `def create_app(config_class=DevelopmentConfig)`: what a call without the argument loads.
      const defaulted = argument && loadedParameterDefault(facts, argument);
      const loaded = defaulted ?? argument;
      const target = loaded && developmentTarget(loaded);
      if (!argument || !loaded || !target || debugSetAfter(call)) continue;
      const selected = selectedClass(facts, loaded);
      if (selected.state === 'off') continue;
      detections.push({
        start: loaded.startIndex,
        end: loaded.endIndex,
        message: defaulted
          ? `the default ${argument.text}=${loaded.text} loads the development config, and its DEBUG, ${DEFAULT_USED}`
          : `config.from_object(${target}) loads the development config, and its DEBUG, in every environment`,
        requires: requirementOf(selected, requirementFor(evidence)),
      });
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
        requires: mapLoadRequirement(facts, pair, requirementOf(selected, undefined)),
      });
    }
    detections.push(...developmentFactoryCalls(facts));
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

/** `from_object(config[os.getenv("FLASK_CONFIG", "development")])` and the other fallbacks to a development entry. */
function developmentFallback(
  facts: ModuleFacts,
  argument: SyntaxNode,
): { literal: SyntaxNode; message: string; selected: Selected } | undefined {
  if (argument.type !== 'subscript') return undefined;
  const map = argument.childForFieldName('value');
  const key = argument.childForFieldName('subscript');
  const fallback = key && key.type !== 'string' ? configFallback(facts, key) : undefined;
  if (!map || !fallback || !namesDevelopment(fallback.name)) return undefined;
  const selected = mapEntry(facts, map, fallback.name);
  if (selected.state === 'off' || (selected.state === 'unknown' && !selected.elsewhere && !selected.elsewhereMap))
    return undefined;
  return {
    literal: fallback.literal,
    selected,
    message: `${argument.text} falls back to the "${fallback.name}" config, and its DEBUG, when ${fallback.when}`,
  };
}

/**
 * `create_app("development")`: a factory called with a development name that selects a config
 * turning DEBUG on. Severity follows what runs the module (a production entrypoint: error).
 */
function developmentFactoryCalls(facts: ModuleFacts): Detection[] {
  const detections: Detection[] = [];
  for (const call of facts.callsNamed('create_app|make_app|\\w+_app|app_factory')) {
    const parts = callParts(call);
    const argument = parts?.positional[0] ?? [...(parts?.keywords.values() ?? [])][0]?.value;
    if (!parts || !argument || isGuardedOff(facts, call)) continue;
    // `config_name = "development"` at the top, then `create_app(config_name)`: the constant's value.
    const constant = argument.type === 'identifier' ? facts.constant(argument.text) : undefined;
    const name = stringLiteralValue(argument) ?? (constant?.kind === 'string' ? constant.value : undefined);
    // `create_app(os.getenv("APP_ENV") or "dev")`, `create_app(os.getenv("APP_ENV", "dev"))`: the name used when unset.
    const fallback = name === undefined ? configFallback(facts, argument) : undefined;
    if (name === undefined && !(fallback && namesDevelopment(fallback.name))) {
      const passed = developmentClassPassed(facts, argument);
      if (passed)
        detections.push({
          start: argument.startIndex,
          end: argument.endIndex,
          message: `${call.text} builds the app with ${passed.text}, which turns DEBUG on`,
          requires: passed.requires,
        });
      continue;
    }
    const selectedName = name ?? fallback?.name;
    // A dotted path (`create_app("config.LocalConfig")`) names its class last.
    const className = selectedName?.split('.').at(-1);
    if (selectedName === undefined || !namesDevelopment(className) || parts.callee.type !== 'identifier') continue;
    const requires = factorySelectionRequirement(facts, parts.callee.text, selectedName);
    if (requires === 'off') continue;
    const at = fallback?.literal ?? argument;
    detections.push({
      start: at.startIndex,
      end: at.endIndex,
      message: fallback
        ? `${call.text} falls back to the "${selectedName}" config, and its DEBUG, when ${fallback.when}`
        : `${call.text} builds the app with the "${selectedName}" config, which turns DEBUG on`,
      requires,
    });
  }
  return detections;
}

/**
 * What confirms that the factory `factory` (of this module, or imported) turns DEBUG on for the config
 * `name`: nothing more when this module shows it, a requirement when another module must; 'off' when it does not.
 */
function factorySelectionRequirement(
  facts: ModuleFacts,
  factory: string,
  name: string,
): Requirement | undefined | 'off' {
  if (facts.isFactory(factory)) {
    const selected = factorySelection(facts, factory, name);
    if (
      !selected ||
      selected.state === 'off' ||
      (selected.state === 'unknown' && !selected.elsewhere && !selected.elsewhereMap)
    )
      return 'off';
    return requirementOf(selected, undefined);
  }
  const ref = facts.importedRef(factory);
  return ref ? { kind: 'named-config', ref, key: name, via: 'factory' } : 'off';
}

/**
 * `create_app("config.DevelopmentConfig")` names the class itself: which class this entrypoint should
 * load (and whether the project has a production one that starts without more settings) is for a person.
 */
function dottedPathCallFix(argument: SyntaxNode) {
  const path = stringLiteralValue(argument);
  if (path === undefined || !path.includes('.')) return undefined;
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
 * `init_app(config["development"])`, or a name bound once to it: the development class itself handed
 * to the factory, which loads it with from_object. A finding when that class turns DEBUG on.
 */
function developmentClassPassed(
  facts: ModuleFacts,
  argument: SyntaxNode,
): { text: string; requires?: Requirement } | undefined {
  const node = argument.type === 'identifier' ? facts.constantNode(argument.text) : argument;
  const target = node && developmentTarget(node);
  if (!node || !target || node.type === 'string') return undefined;
  const selected = selectedClass(facts, node);
  if (selected.state === 'off' || (selected.state === 'unknown' && !selected.elsewhere && !selected.elsewhereMap))
    return undefined;
  return {
    text: argument.type === 'identifier' ? `${argument.text} (= ${node.text})` : node.text,
    requires: requirementOf(selected, undefined),
  };
}

/**
 * The fallback literal becomes the production key: the map's own when it is in this module, else
 * the name that pairs with the development one (`dev` -> `prod`), which the notice asks to check.
 */
function fallbackFix(facts: ModuleFacts, literal: SyntaxNode) {
  const quote = literal.text.match(/^[a-zA-Z]*(['"])/)?.[1] ?? '"';
  const localKey = facts.source.match(/['"](prod|production)['"]\s*:/)?.[1];
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
