import type { Requirement } from '../core/findings.js';
import { debugSetOnApp } from './app-debug-set.js';
import { configFallback, type EnvironmentSelector } from './config-fallback.js';
import { defaultPathValue } from './default-path-value.js';
import {
  dottedPathSelected,
  factorySelection,
  fromObjectCallsIn,
  loadedParameterDefault,
  mapEntry,
  selectedClass,
  type Selected,
} from './config-selection.js';
import { configOwner, isGuardedOff } from './flask-patterns.js';
import { selectorCallFallback } from './selector-function.js';
import { enclosingScope, sameNode, type ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { callParts, dottedParts, stringLiteralValue } from './syntax.js';

/**
 * Where a module picks a development config that turns DEBUG on: `from_object(DevelopmentConfig)`,
 * `create_app("development")`, a fallback to one. dev-config-selected reports these selections, and
 * run-debug asks them whether a bare `app.run()` inherits debug mode from its config.
 */

// `DevelopmentConfig`, `DevConfig`, `config.development`, `LocalSettings`, and the word last: `ConfigDev`,
// `Config_Development`, `AppSettingsLocal`.
const DEVELOPMENT_NAME =
  /^(?:dev|development|local)(?:config|settings)?$|^(?:dev|development|local)[A-Z_]|(?:^|[._])(?:dev|development)(?:[._]|$)|(?:config|settings|conf)_?(?:dev|development|local)$/i;
export const DEFAULT_USED = 'whenever the factory is called without it';
// A statement after from_object() that sets DEBUG again decides it instead of the class.
const SETS_DEBUG = /\.config\s*\[\s*['"]DEBUG['"]\s*\]\s*=(?!=)|\.debug\s*=(?!=)|\bDEBUG\s*=(?!=)/;

/** The names a factory goes by (dev-config-selected looks at calls of these). */
export const FACTORY_CALL_NAMES = 'create_app|make_app|\\w+_app|app_factory';
const FACTORY_NAME = new RegExp(`^(?:${FACTORY_CALL_NAMES})$`);

/** Text that every module selecting a config this way contains (the rules' prefilter). */
export const CONFIG_SELECTION_TEXT: readonly RegExp[] = [
  /from_object|['"]default['"]\s*:\s*['"]?[\w.]*(?:dev|Dev|DEV|local|Local)/,
  /\w_app\s*\(\s*[^)\s]|app_factory\s*\(/,
];

/** A selection of a config that turns DEBUG on: where it is written, and why it is one. */
export interface DevelopmentSelection {
  at: SyntaxNode;
  message: string;
  requires?: Requirement;
  /** A fallback's environment variable: a deploy that sets it to another value selects another config. */
  selector?: EnvironmentSelector;
}

/** True for a config name that reads as development: `DevelopmentConfig`, `dev`, `config.LocalConfig`. */
export function namesDevelopment(name: string | undefined): boolean {
  return name !== undefined && DEVELOPMENT_NAME.test(name);
}

/** The config object a `from_object(...)` argument names, when it clearly names a development one. */
export function developmentTarget(argument: SyntaxNode): string | undefined {
  const text = stringLiteralValue(argument);
  if (text !== undefined) return namesDevelopment(text.split('.').at(-1)) ? text : undefined;
  const parts = dottedParts(argument);
  if (parts) return namesDevelopment(parts.at(-1)) ? argument.text : undefined;
  if (argument.type === 'subscript') {
    const key = argument.childForFieldName('subscript');
    const keyText = key && stringLiteralValue(key);
    return namesDevelopment(keyText ?? undefined) ? argument.text : undefined;
  }
  // `DevelopmentConfig()`: an instance of the class.
  const callee = argument.type === 'call' ? argument.childForFieldName('function') : null;
  const noArguments = argument.childForFieldName('arguments')?.namedChildren.length === 0;
  return callee && noArguments && developmentTarget(callee) ? argument.text : undefined;
}

/**
 * The requirement a finding on a selected class carries: the
 * app's own, else that the class elsewhere turns DEBUG on.
 */
export function requirementOf(selected: Selected, appRequirement: Requirement | undefined): Requirement | undefined {
  if (appRequirement) return appRequirement;
  if (selected.elsewhereMap)
    return { kind: 'named-config', ref: selected.elsewhereMap.ref, key: selected.elsewhereMap.key, via: 'map' };
  return selected.elsewhere ? { kind: 'debug-config-class', ref: selected.elsewhere } : undefined;
}

/** True when a selection may turn DEBUG on: here, or in the module it points to. */
function mayBeOn(selected: Selected): boolean {
  return selected.state === 'on' || (selected.state === 'unknown' && !!(selected.elsewhere || selected.elsewhereMap));
}

/** True when a later statement of the same block sets DEBUG again (so the class's DEBUG does not decide). */
export function debugSetAfter(call: SyntaxNode): boolean {
  let statement: SyntaxNode | null = call;
  while (statement?.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module')
    statement = statement.parent;
  for (let next = statement?.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'expression_statement' && SETS_DEBUG.test(next.text)) return true;
  }
  return false;
}

/**
 * `config.from_object(<argument>)` loading a development config that turns DEBUG on: a fallback to its
 * name, a hard-wired class or path, or the default of the factory parameter it loads.
 */
export function developmentFromObject(
  facts: ModuleFacts,
  call: SyntaxNode,
  appRequirement: Requirement | undefined,
): DevelopmentSelection | undefined {
  const argument = callParts(call)?.positional[0];
  if (!argument || debugSetAfter(call)) return undefined;
  // `def create_app(config_class=DevelopmentConfig)`: what a call without the argument loads.
  const defaulted = loadedParameterDefault(facts, argument);
  // `config_class = DevelopmentConfig` (in the branch taken by default), then `from_object(config_class)`.
  const held = !defaulted && argument.type === 'identifier' ? defaultPathValue(facts, argument) : undefined;
  const loaded = defaulted ?? held?.value ?? argument;
  const target = developmentTarget(loaded);
  const fallback = target
    ? undefined
    : (developmentFallback(facts, argument) ?? developmentPathFallback(facts, argument));
  if (fallback)
    return {
      at: fallback.literal,
      message: fallback.message,
      requires: requirementOf(fallback.selected, appRequirement),
      ...(fallback.selector ? { selector: fallback.selector } : {}),
    };
  if (!target) return undefined;
  const selected = selectedClass(facts, loaded);
  if (selected.state === 'off') return undefined;
  const requires = requirementOf(selected, appRequirement);
  const when = held?.factory ? `whenever ${held.factory}() is called without its argument` : 'by default';
  return {
    at: loaded,
    message: defaulted
      ? `the default ${argument.text}=${loaded.text} loads the development config, and its DEBUG, ${DEFAULT_USED}`
      : held
        ? `config.from_object(${argument.text}) loads ${target} (line ${loaded.startPosition.row + 1}), the ` +
          `development config, and its DEBUG, ${when}`
        : `config.from_object(${target}) loads the development config, and its DEBUG, in every environment`,
    // Chosen by a parameter's default: only where the factory is called without it.
    requires: held?.factory
      ? { kind: 'factory-called-bare', name: held.factory, ...(requires ? { then: requires } : {}) }
      : requires,
  };
}

interface FallbackSelection {
  literal: SyntaxNode;
  message: string;
  selected: Selected;
  selector?: EnvironmentSelector;
}

/** `from_object(config[os.getenv("FLASK_CONFIG", "development")])` and the other fallbacks to a development entry. */
function developmentFallback(facts: ModuleFacts, argument: SyntaxNode): FallbackSelection | undefined {
  // `config.get(os.getenv("FLASK_ENV", "development"))` looks the key up as `config[...]` does.
  const parts = argument.type === 'call' ? callParts(argument) : undefined;
  const isGet = parts?.callee.type === 'attribute' && parts.callee.childForFieldName('attribute')?.text === 'get';
  if (parts && !isGet) return selectorFallback(facts, argument);
  if (argument.type !== 'subscript' && !isGet) return undefined;
  const map = isGet ? parts?.callee.childForFieldName('object') : argument.childForFieldName('value');
  const key = isGet ? parts?.positional[0] : argument.childForFieldName('subscript');
  const fallback = key && key.type !== 'string' ? configFallback(facts, key) : undefined;
  if (!map || !fallback || !namesDevelopment(fallback.name)) return undefined;
  const selected = mapEntry(facts, map, fallback.name);
  if (!mayBeOn(selected)) return undefined;
  return {
    literal: fallback.literal,
    selected,
    message: `${argument.text} falls back to the "${fallback.name}" config, and its DEBUG, when ${fallback.when}`,
    ...(fallback.read ? { selector: fallback.read } : {}),
  };
}

/** `from_object(get_config())` where the selector function's key falls back to a development entry. */
function selectorFallback(facts: ModuleFacts, call: SyntaxNode): FallbackSelection | undefined {
  const found = selectorCallFallback(facts, call);
  if (!found || !namesDevelopment(found.fallback.name)) return undefined;
  const selected = mapEntry(facts, found.lookup.map, found.fallback.name);
  if (!mayBeOn(selected)) return undefined;
  return {
    literal: found.fallback.literal,
    selected,
    message:
      `${call.text} falls back to the "${found.fallback.name}" config, and its DEBUG, ` + `when ${found.fallback.when}`,
    ...(found.fallback.read ? { selector: found.fallback.read } : {}),
  };
}

/**
 * `from_object(os.environ.get("APP_CONFIG", "settings.Development"))`, directly or through a name: the
 * import path loaded when the variable is unset names a development class.
 */
function developmentPathFallback(facts: ModuleFacts, argument: SyntaxNode): FallbackSelection | undefined {
  // A plain string is a path, not a fallback; an f-string with a read in it is one (`f"config.{env}Config"`).
  const formatted = argument.namedChildren.some((piece) => piece.type === 'interpolation');
  if (argument.type === 'subscript' || (argument.type === 'string' && !formatted)) return undefined;
  const fallback = configFallback(facts, argument);
  if (!fallback?.name.includes('.') || !namesDevelopment(fallback.name.split('.').at(-1))) return undefined;
  return {
    literal: fallback.literal,
    selected: dottedPathSelected(fallback.name),
    message:
      `config.from_object(${argument.text}) falls back to "${fallback.name}", and its DEBUG, ` +
      `when ${fallback.when}`,
    ...(fallback.read ? { selector: fallback.read } : {}),
  };
}

/**
 * `create_app("development")`: a factory called with a development name (or falling back to one, or
 * handed the development class) that selects a config turning DEBUG on.
 */
export function developmentFactoryCall(facts: ModuleFacts, call: SyntaxNode): DevelopmentSelection | undefined {
  const parts = callParts(call);
  const argument = parts?.positional[0] ?? [...(parts?.keywords.values() ?? [])][0]?.value;
  if (!parts || !argument || isGuardedOff(facts, call)) return undefined;
  // `config_name = "development"` at the top, then `create_app(config_name)`: the constant's value.
  const constant = argument.type === 'identifier' ? facts.constant(argument.text) : undefined;
  const name = stringLiteralValue(argument) ?? (constant?.kind === 'string' ? constant.value : undefined);
  // `create_app(os.getenv("APP_ENV") or "dev")`, `create_app(os.getenv("APP_ENV", "dev"))`: the name used when unset.
  const fallback = name === undefined ? configFallback(facts, argument) : undefined;
  const selectedName = name ?? fallback?.name;
  // A dotted path (`create_app("config.LocalConfig")`) names its class last.
  const className = selectedName?.split('.').at(-1);
  if (selectedName === undefined || !namesDevelopment(className)) {
    // `create_app(config_name="default")`: a key of no development name whose entry still turns DEBUG on.
    const keyed = name !== undefined && parts.callee.type === 'identifier';
    const requires = keyed ? factorySelectionRequirement(facts, parts.callee.text, name) : 'off';
    if (requires !== 'off')
      return {
        at: argument,
        message: `${call.text} builds the app with the "${name}" config, which turns DEBUG on`,
        ...(requires ? { requires } : {}),
      };
    const passed = name === undefined ? developmentClassPassed(facts, argument) : undefined;
    if (!passed) return undefined;
    const message = `${call.text} builds the app with ${passed.text}, which turns DEBUG on`;
    return { at: argument, message, ...(passed.requires ? { requires: passed.requires } : {}) };
  }
  if (parts.callee.type !== 'identifier') return undefined;
  const requires = factorySelectionRequirement(facts, parts.callee.text, selectedName);
  if (requires === 'off') return undefined;
  return {
    at: fallback?.literal ?? argument,
    message: fallback
      ? `${call.text} falls back to the "${selectedName}" config, and its DEBUG, when ${fallback.when}`
      : `${call.text} builds the app with the "${selectedName}" config, which turns DEBUG on`,
    ...(requires ? { requires } : {}),
    ...(fallback?.read ? { selector: fallback.read } : {}),
  };
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
    return selected && mayBeOn(selected) ? requirementOf(selected, undefined) : 'off';
  }
  const ref = facts.importedRef(factory);
  return ref ? { kind: 'named-config', ref, key: name, via: 'factory' } : 'off';
}

/**
 * `init_app(config["development"])`, or a name bound once to it: the development class itself handed
 * to the factory, which loads it with from_object. A finding when that class turns DEBUG on.
 */
function developmentClassPassed(
  facts: ModuleFacts,
  argument: SyntaxNode,
): { text: string; requires?: Requirement } | undefined {
  // A name bound once to the class or entry (`cfg = config["development"]`), or the class itself (`DevConfig`).
  const node = argument.type === 'identifier' ? (facts.constantNode(argument.text) ?? argument) : argument;
  const target = node && developmentTarget(node);
  if (!node || !target || node.type === 'string') return undefined;
  const selected = selectedClass(facts, node);
  if (!mayBeOn(selected)) return undefined;
  const requires = requirementOf(selected, undefined);
  return {
    text: argument.type === 'identifier' && node !== argument ? `${argument.text} (= ${node.text})` : node.text,
    ...(requires ? { requires } : {}),
  };
}

/**
 * Why the app bound to `name` runs with DEBUG on from its configuration, as this module shows it:
 * built by a factory given a development config (`app = create_app("development")`), built by a factory of
 * this module that loads one, or loading one itself (`app.config.from_object(DevelopmentConfig)`). A bare
 * `app.run()` on such an app starts the debugger: Flask's run() falls back to app.debug, that is config DEBUG.
 * An app or factory imported from another module is left to that module (an `inherited-debug` requirement).
 */
export function inheritedDebug(facts: ModuleFacts, name: string, use?: SyntaxNode): DevelopmentSelection | undefined {
  // `app.config.from_object(...)` on this app, in this module.
  const loaded = facts.methodCalls('from_object').filter((call) => {
    const callee = callParts(call)?.callee;
    const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
    const owner = object ? configOwner(object) : undefined;
    return owner?.type === 'identifier' && owner.text === name && !shadowedWhere(call, name, use);
  });
  const built = facts.constantNode(name);
  const factory = built?.type === 'call' ? built.childForFieldName('function') : null;
  const parts = built?.type === 'call' ? callParts(built) : undefined;
  const bare = parts !== undefined && parts.positional.length === 0 && parts.keywords.size === 0 && !parts.hasSplat;
  // `app = create_app()`: what the factory loads when called without arguments.
  const fromFactory =
    factory?.type === 'identifier' && bare && facts.isFactory(factory.text)
      ? factoryDefaultDebug(facts, factory.text)
      : undefined;
  const selection = fromFactory ?? firstDebugLoad(facts, loaded);
  if (selection) return selection;
  // `app.config["DEBUG"] = True` on the app itself, at the top of its module.
  const setOn = debugSetOnApp(facts, name, use);
  if (setOn) return { at: setOn.parent ?? setOn, message: `${name}'s config sets DEBUG = True` };
  const imported = factory?.type === 'identifier' && bare ? facts.importedRef(factory.text) : undefined;
  if (built && imported) return { at: built, message: '', requires: { kind: 'inherited-debug', ref: imported } };
  return built?.type === 'call' && FACTORY_NAME.test(factory?.text.split('.').at(-1) ?? '')
    ? developmentFactoryCall(facts, built)
    : undefined;
}

/** What a factory of this module loads with DEBUG on when called without arguments. */
export function factoryDefaultDebug(facts: ModuleFacts, factory: string): DevelopmentSelection | undefined {
  return firstDebugLoad(facts, fromObjectCallsIn(facts, factory));
}

/** The first of these from_object() calls (not guarded off) that loads a config turning DEBUG on. */
function firstDebugLoad(facts: ModuleFacts, calls: readonly SyntaxNode[]): DevelopmentSelection | undefined {
  for (const call of calls) {
    if (isGuardedOff(facts, call)) continue;
    const selection = developmentFromObject(facts, call, undefined) ?? debugClassLoaded(facts, call);
    if (selection) return selection;
  }
  return undefined;
}

/** `from_object(Config)` where the class of this module sets DEBUG = True (whatever its name). */
function debugClassLoaded(facts: ModuleFacts, call: SyntaxNode): DevelopmentSelection | undefined {
  const argument = callParts(call)?.positional[0];
  // `from_object("settings")`: a module path (no class at its end) copies that module's DEBUG.
  const modulePath = argument && !debugSetAfter(call) ? stringLiteralValue(argument) : undefined;
  if (argument && modulePath && /^[a-z_][\w]*(?:\.[a-z_]\w*)*$/.test(modulePath))
    return {
      at: argument,
      message: `config.from_object(${argument.text}) loads a module that sets DEBUG = True`,
      requires: { kind: 'imported-setting', ref: { module: modulePath, name: 'DEBUG', level: 0 } },
    };
  const selected = argument && !debugSetAfter(call) ? selectedClass(facts, argument) : undefined;
  if (!argument || !selected || (selected.state !== 'on' && !selected.elsewhere)) return undefined;
  const message = `config.from_object(${argument.text}) loads a config that sets DEBUG = True`;
  if (selected.state === 'on') return { at: argument, message };
  return selected.elsewhere
    ? { at: argument, message, requires: { kind: 'debug-config-class', ref: selected.elsewhere, strict: true } }
    : undefined;
}

/**
 * True when the function around `node` binds its own `name` (a factory's local `app`), hiding the module's
 * from a `use` outside that function (a module-level `app.run()`; no use given: the module's name).
 */
function shadowedWhere(node: SyntaxNode, name: string, use: SyntaxNode | undefined): boolean {
  const scope = enclosingScope(node);
  if (use && scope && sameNode(enclosingScope(use), scope)) return false;
  const body = scope?.type === 'function_definition' ? scope.childForFieldName('body') : null;
  return body ? new RegExp(`^[ \\t]*${name}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm').test(body.text) : false;
}
