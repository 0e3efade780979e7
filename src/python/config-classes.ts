import type { SyntaxNode } from './parser.js';
import { switchValue } from './flask-patterns.js';
import type { ModuleFacts } from './module-facts.js';

export type ConfigRole = 'development' | 'testing' | 'production' | 'base';

export interface ConfigClass {
  name: string;
  node: SyntaxNode;
  bases: string[];
  role: ConfigRole;
  /** The `DEBUG = <truthy>` statement in the class body, if any. */
  debugOn?: { statement: SyntaxNode; describe: string };
  /** True when the class body sets DEBUG to anything (which hides what it inherits). */
  setsDebug: boolean;
}

const DEVELOPMENT_NAME = /dev|local/i;
const TESTING_NAME = /test/i;
const PRODUCTION_NAME = /prod|live|release|stag|deploy/i;
const CONFIG_NAME = /config|settings|conf$/i;

/**
 * Config classes of a module with the environment each one is for, read from its
 * name (`DevelopmentConfig`, `ProdSettings`, ...). Classes that other config
 * classes inherit from, and lone ones, are "base": every environment gets them.
 */
export function configClasses(facts: ModuleFacts): ConfigClass[] {
  const classes: ConfigClass[] = [];
  for (const nameNode of facts.anchors(/^[ \t]*class[ \t]+(?<anchor>\w+)/m)) {
    const definition = nameNode.parent;
    if (definition?.type !== 'class_definition') continue;
    const name = definition.childForFieldName('name')?.text;
    const body = definition.childForFieldName('body');
    if (!name || !body) continue;
    const bases = (definition.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((base) => base.type === 'identifier' || base.type === 'attribute')
      .map((base) => base.text.split('.').at(-1)!);
    let debugOn: ConfigClass['debugOn'];
    let setsDebug = false;
    for (const statement of body.namedChildren) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'DEBUG') continue;
      setsDebug = true;
      const value = assignment.childForFieldName('right');
      const state = value && switchValue(facts, value);
      debugOn = state?.truthy ? { statement, describe: state.describe } : undefined;
    }
    classes.push({ name, node: definition, bases, role: roleFromName(name), debugOn, setsDebug });
  }
  const byName = new Map(classes.map((c) => [c.name, c]));
  return classes.filter((c) => CONFIG_NAME.test(c.name) || c.bases.some((base) => byName.has(base)));
}

function roleFromName(name: string): ConfigRole {
  if (PRODUCTION_NAME.test(name)) return 'production';
  if (TESTING_NAME.test(name)) return 'testing';
  if (DEVELOPMENT_NAME.test(name)) return 'development';
  return 'base';
}

/** The first class up the (same-module) inheritance chain that turns DEBUG on, if any. */
export function inheritedDebug(config: ConfigClass, byName: Map<string, ConfigClass>, seen = new Set<string>()): ConfigClass | undefined {
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
