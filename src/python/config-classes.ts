import type { SyntaxNode } from './parser.js';
import { switchValue } from './flask-patterns.js';
import { sameNode, type ModuleFacts } from './module-facts.js';
import { classAttribute, MAX_BASES } from './settings-objects.js';

export type ConfigRole = 'development' | 'testing' | 'production' | 'base';

export interface ConfigClass {
  name: string;
  node: SyntaxNode;
  /** The definition's offsets, read once (each read of a node's offset is a call into tree-sitter). */
  start: number;
  end: number;
  bases: string[];
  role: ConfigRole;
  /** The `DEBUG = <truthy>` statement in the class body, if any. */
  debugOn?: { statement: SyntaxNode; describe: string; stringValued?: string };
  /** True when the class body sets DEBUG to anything (which hides what it inherits). */
  setsDebug: boolean;
  /**
   * How this module uses the class: `config` when it (or a subclass) reaches `from_object` or a
   * config map here, `settings` when it is only instantiated and read as an object (its DEBUG
   * matters where it is read, and removing it breaks those reads), `unknown` otherwise.
   */
  use: 'config' | 'settings' | 'unknown';
}

const DEVELOPMENT_NAME = /dev|local/i;
const TESTING_NAME = /test/i;
const PRODUCTION_NAME = /prod|live|release|stag|deploy/i;
const STAGING_NAME = /stag/i;
const CONFIG_NAME = /config|settings|conf$/i;
const CLASS_NAME = /^[ \t]*class[ \t]+(\w+)/gm;
// A class header's bases, up to the `):` that ends it (bases may nest parentheses or span lines).
const CLASS_BASES = /^[ \t]*class[ \t]+\w+[ \t]*\(([\s\S]*?)\)[ \t]*:/gm;

/**
 * A text test that holds for every module configClasses finds a class in: a class named like
 * a config, or a class whose bases name another class of the module. A prefilter: it may hold
 * where configClasses then finds nothing, never the other way round.
 */
export function mayDefineConfigClass(text: string): boolean {
  const names = new Set(Array.from(text.matchAll(CLASS_NAME), (match) => match[1] ?? ''));
  if (names.size === 0) return false;
  for (const name of names) if (CONFIG_NAME.test(name)) return true;
  if (names.size === 1) return false;
  for (const match of text.matchAll(CLASS_BASES)) {
    for (const word of (match[1] ?? '').match(/\w+/g) ?? []) if (names.has(word)) return true;
  }
  return false;
}

interface FoundClasses {
  /** In the order of the text. */
  classes: readonly ConfigClass[];
  byName: Map<string, ConfigClass>;
  /** The furthest end of the classes up to each index: where a class that holds a range can be. */
  furthestEnd: number[];
}
// A module's config classes, found once: detect asks, and then the fix of every finding asks again.
const foundClasses = new WeakMap<ModuleFacts, FoundClasses>();

/**
 * Config classes of a module with the environment each one is for, read from its
 * name (`DevelopmentConfig`, `ProdSettings`, ...). Classes that other config
 * classes inherit from, and lone ones, are "base": every environment gets them.
 */
export function configClasses(facts: ModuleFacts): readonly ConfigClass[] {
  return configClassesOf(facts).classes;
}

/** The module's config classes by name. */
export function configClassesByName(facts: ModuleFacts): ReadonlyMap<string, ConfigClass> {
  return configClassesOf(facts).byName;
}

/**
 * The first config class (in the order of the text: an outer one before a nested one) that holds
 * [start, end], found by bisection: a fix asks once per finding, and a module may have thousands.
 */
export function configClassHolding(facts: ModuleFacts, start: number, end: number): ConfigClass | undefined {
  const { classes, furthestEnd } = configClassesOf(facts);
  let low = 0;
  let high = classes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((furthestEnd[middle] ?? end) < end) low = middle + 1;
    else high = middle;
  }
  const found = classes[low];
  return found && found.start <= start && end <= found.end ? found : undefined;
}

function configClassesOf(facts: ModuleFacts): FoundClasses {
  let found = foundClasses.get(facts);
  if (!found) {
    const classes = findConfigClasses(facts);
    let furthest = 0;
    found = {
      classes,
      byName: new Map(classes.map((config) => [config.name, config])),
      furthestEnd: classes.map((config) => (furthest = Math.max(furthest, config.end))),
    };
    foundClasses.set(facts, found);
  }
  return found;
}

function findConfigClasses(facts: ModuleFacts): ConfigClass[] {
  const classes: ConfigClass[] = [];
  for (const nameNode of facts.anchors(/^[ \t]*class[ \t]+(?<anchor>\w+)/m)) {
    const definition = nameNode.parent;
    if (definition?.type !== 'class_definition') continue;
    const name = definition.childForFieldName('name')?.text;
    const body = definition.childForFieldName('body');
    if (!name || !body) continue;
    const bases = (definition.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((base) => base.type === 'identifier' || base.type === 'attribute')
      .map((base) => base.text.split('.').at(-1) ?? base.text);
    let debugOn: ConfigClass['debugOn'];
    let setsDebug = false;
    for (const statement of body.namedChildren) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'DEBUG') continue;
      setsDebug = true;
      const value = assignment.childForFieldName('right');
      const state = value && switchValue(facts, value);
      debugOn = state?.truthy
        ? { statement, describe: state.describe, ...(state.stringValued ? { stringValued: state.stringValued } : {}) }
        : undefined;
    }
    classes.push({
      name,
      node: definition,
      start: definition.startIndex,
      end: definition.endIndex,
      bases,
      role: roleFromName(name),
      debugOn,
      setsDebug,
      use: 'unknown',
    });
  }
  const byName = new Map(classes.map((c) => [c.name, c]));
  const found = classes.filter((c) => CONFIG_NAME.test(c.name) || c.bases.some((base) => byName.has(base)));
  markUses(facts, found, byName);
  return found;
}

/** Sets each class's `use` from how the module names it; a use reaches every base the class inherits. */
function markUses(facts: ModuleFacts, classes: ConfigClass[], byName: Map<string, ConfigClass>): void {
  const mark = (config: ConfigClass, use: 'config' | 'settings', seen = new Set<string>()) => {
    if (seen.has(config.name)) return;
    seen.add(config.name);
    if (config.use !== 'config') config.use = use;
    for (const base of config.bases) {
      const parent = byName.get(base);
      if (parent) mark(parent, use, seen);
    }
  };
  const mentions = wordMentions(
    facts,
    classes.map((config) => config.name),
  );
  const uses = classes.map((config) => ({ config, use: useOf(facts, config.name, mentions.get(config.name)) }));
  for (const { config, use } of uses) if (use === 'settings') mark(config, 'settings');
  for (const { config, use } of uses) if (use === 'config') mark(config, 'config');
}

// Past this many names, one pass over the module's words beats one search of the text per name.
const NAMES_SEARCHED_ONE_BY_ONE = 16;
const WORD = /^\w+$/;

/**
 * The nodes where each name is mentioned as a whole word (what `\bname\b` finds). A module
 * of thousands of config classes (generated settings) is read once, not once per class.
 */
function wordMentions(facts: ModuleFacts, names: readonly string[]): Map<string, SyntaxNode[]> {
  const mentions = new Map<string, SyntaxNode[]>();
  const words = new Set(names.filter((name) => WORD.test(name)));
  if (words.size <= NAMES_SEARCHED_ONE_BY_ONE) return mentions;
  const root = facts.tree.rootNode;
  for (const match of facts.source.matchAll(/\w+/g)) {
    if (!words.has(match[0])) continue;
    const node = root.namedDescendantForIndex(match.index, match.index + match[0].length);
    if (!node) continue;
    const found = mentions.get(match[0]);
    if (found) found.push(node);
    else mentions.set(match[0], [node]);
  }
  for (const name of words) if (!mentions.has(name)) mentions.set(name, []);
  return mentions;
}

/**
 * `config` when a mention of the class feeds Flask's config, `settings` when it is instantiated, else undefined.
 * `mentions`: where the name is mentioned, when already found (wordMentions).
 */
function useOf(facts: ModuleFacts, name: string, mentions?: SyntaxNode[]): 'config' | 'settings' | undefined {
  let instantiated = false;
  for (let mention of mentions ?? facts.anchors(new RegExp(`\\b(?<anchor>${name})\\b`))) {
    if (mention.type === 'string_content') {
      // `from_object("config.DevelopmentConfig")`
      const string = mention.parent;
      if (
        string?.type === 'string' &&
        isFromObjectArgument(string) &&
        string.text.replace(/['"]/g, '').split('.').at(-1) === name
      )
        return 'config';
      continue;
    }
    if (mention.type !== 'identifier') continue;
    if (mention.parent?.type === 'attribute' && sameNode(mention.parent.childForFieldName('attribute'), mention))
      mention = mention.parent;
    const parent = mention.parent;
    if (!parent) continue;
    if (parent.type === 'call' && sameNode(parent.childForFieldName('function'), mention)) {
      instantiated = true;
      // `from_object(Config())` still feeds the config.
      if (isFromObjectArgument(parent)) return 'config';
      const holder = parent.parent;
      const target = holder?.type === 'assignment' ? holder.childForFieldName('left') : null;
      if (target?.type === 'identifier' && feedsConfig(facts, target.text)) return 'config';
      continue;
    }
    if (isFromObjectArgument(mention)) return 'config';
    // A config map: `{"production": ProductionConfig}` or `dict(production=ProductionConfig)`.
    if (parent.type === 'pair' && sameNode(parent.childForFieldName('value'), mention)) return 'config';
    if (parent.type === 'keyword_argument' && parent.parent?.parent?.childForFieldName('function')?.text === 'dict')
      return 'config';
  }
  return instantiated ? 'settings' : undefined;
}

/** True when `node` is the first argument of a `<x>.from_object(...)` call. */
function isFromObjectArgument(node: SyntaxNode): boolean {
  const list = node.parent;
  const call = list?.type === 'argument_list' ? list.parent : null;
  const callee = call?.childForFieldName('function');
  return (
    callee?.type === 'attribute' &&
    callee.childForFieldName('attribute')?.text === 'from_object' &&
    sameNode(list?.namedChildren[0], node)
  );
}

/** True when the module passes the name (an instance) to `from_object`. */
function feedsConfig(facts: ModuleFacts, name: string): boolean {
  return facts
    .methodCalls('from_object')
    .some((call) => call.childForFieldName('arguments')?.namedChildren[0]?.text === name);
}

/**
 * The deployed environment a production-role class stands for, in messages: a staging config is deployed
 * (so it keeps the production role's severity and fix) but it is not the production config.
 */
export function deployedEnvironmentOf(config: Pick<ConfigClass, 'name'>): 'staging' | 'production' {
  return STAGING_NAME.test(config.name) ? 'staging' : 'production';
}

function roleFromName(name: string): ConfigRole {
  if (PRODUCTION_NAME.test(name)) return 'production';
  if (TESTING_NAME.test(name)) return 'testing';
  if (DEVELOPMENT_NAME.test(name)) return 'development';
  return 'base';
}

/** The first class up the (same-module) inheritance chain that turns DEBUG on, if any. */
export function inheritedDebug(
  config: ConfigClass,
  byName: ReadonlyMap<string, ConfigClass>,
  seen = new Set<string>(),
): ConfigClass | undefined {
  for (const baseName of config.bases) {
    const base = byName.get(baseName);
    if (!base || seen.has(base.name)) continue;
    seen.add(base.name);
    if (base.setsDebug) {
      if (base.debugOn) return base;
      continue;
    }
    const found = inheritedDebug(base, byName, seen);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether the module's class `className` turns DEBUG on: `on`/`off` from its body or an
 * in-module base; `unknown` when the class is not here or inherits from a class elsewhere.
 */
export function classDebugState(facts: ModuleFacts, className: string): 'on' | 'off' | 'unknown' {
  const definition = facts.classDefinition(className);
  if (!definition) return 'unknown';
  const attribute = classAttribute(facts, className, 'DEBUG');
  if (attribute) return switchValue(facts, attribute.value)?.truthy ? 'on' : 'off';
  // No DEBUG anywhere we can see: off (Flask follows FLASK_DEBUG) only if every base is visible.
  const visible = (name: string, depth: number): boolean => {
    const bases = facts.classDefinition(name)?.childForFieldName('superclasses')?.namedChildren ?? [];
    return (
      depth < MAX_BASES &&
      bases.every(
        (base) =>
          base.type === 'identifier' &&
          (base.text === 'object' || (facts.classDefinition(base.text) !== undefined && visible(base.text, depth + 1))),
      )
    );
  };
  return visible(className, 0) ? 'off' : 'unknown';
}
