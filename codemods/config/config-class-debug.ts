import type { Detection, PythonRule, TextEdit } from '../../src/rules/rule.js';
import { requiredField } from '../../src/python/parser.js';
import {
  configClasses,
  configClassesByName,
  configClassHolding,
  deployedEnvironmentOf,
  inheritedDebug,
  mayDefineConfigClass,
  type ConfigClass,
} from '../../src/python/config-classes.js';
import {
  indentationAt,
  indentUnitOf,
  lineBreakOf,
  lineStart,
  nextLineStart,
  removeStatement,
  STRICT_FLASK_DEBUG_READ,
} from '../../src/python/edit-helpers.js';
import { innermostValue, type ModuleFacts } from '../../src/python/module-facts.js';
import { readsName } from '../../src/python/config-map-use.js';
import {
  defaultOnFix,
  lowercaseConstantTest,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// `DEBUG = <truthy>` indented (in a class body), or set from a module-level lowercase constant.
const DEBUG_IN_A_CLASS = [
  new RegExp(String.raw`^[ \t]+DEBUG[ \t]*(?::[^=\n]*)?=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`, 'm'),
  lowercaseConstantTest(String.raw`\bDEBUG`),
];

export const configClassDebug: PythonRule = {
  id: 'config-class-debug',
  language: 'python',
  title: 'DEBUG = True in a base or production config class',
  severity: 'error',
  debugThroughConfig: true,
  hint: 'set DEBUG only in DevelopmentConfig (or not at all) and make ProductionConfig set DEBUG = False',
  keywords: ['DEBUG'],
  prefilter: {
    test: (text) => DEBUG_IN_A_CLASS.some((pattern) => pattern.test(text)) && mayDefineConfigClass(text),
  },
  doc: {
    why:
      'Config classes are inherited: `DEBUG = True` in the base class reaches every environment that does not ' +
      'override it, production included; in a production class it is on by definition. With debug mode on, ' +
      "`app.run()` serves Werkzeug's interactive debugger and errors leak tracebacks.",
    example: 'class Config:\n    DEBUG = True\n\nclass ProductionConfig(Config):\n    pass',
    fix:
      'Leave DEBUG out of the base class so Flask follows FLASK_DEBUG, and pin production off:\n\n' +
      'class Config:\n    pass\n\nclass DevelopmentConfig(Config):\n    DEBUG = True\n\n' +
      'class ProductionConfig(Config):\n    DEBUG = False',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskConfigBasics, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const classes = configClasses(facts);
    const byName = configClassesByName(facts);
    const inheritedNames = new Set(classes.flatMap((c) => c.bases));
    const detections: Detection[] = [];
    for (const config of classes) {
      if (config.role === 'development' || config.role === 'testing') continue;
      // A settings object's DEBUG is a finding where it is read (`app.run(debug=settings.DEBUG)`), not here;
      // an instance of a class named *Config* is more likely handed to from_object in another module.
      if (config.use === 'settings' && !/config/i.test(config.name)) continue;
      if (config.debugOn) {
        const inherited = inheritedNames.has(config.name);
        const reach =
          config.role === 'production'
            ? `the ${deployedEnvironmentOf(config)} config`
            : inherited
              ? 'a base config the other environments inherit'
              : 'a config class not limited to development or testing';
        detections.push({
          start: config.debugOn.statement.startIndex,
          end: config.debugOn.statement.endIndex,
          ...loadedRequirement(facts, config),
          message: config.debugOn.stringValued
            ? `DEBUG = ${config.debugOn.statement.text.replace(/^DEBUG\s*(?::[^=]*)?=\s*/, '')} in ${config.name}, ` +
              `${reach}, reads ${config.debugOn.stringValued} as a string: unset it is off, but any value, ` +
              `${config.debugOn.stringValued}=false or 0 included, turns debug mode on`
            : `DEBUG = ${config.debugOn.describe} in ${config.name}, ${reach}, turns debug mode on`,
        });
      } else if (config.role === 'production' && !config.setsDebug) {
        const source = inheritedDebug(config, byName);
        // A base that is itself reported covers this case; a development parent does not.
        if (source && (source.role === 'development' || source.role === 'testing')) {
          const name = requiredField(config.node, 'name');
          detections.push({
            start: name.startIndex,
            end: name.endIndex,
            ...loadedRequirement(facts, config),
            message:
              `${config.name} inherits DEBUG = True from ${source.name}: ` +
              `${deployedEnvironmentOf(config)} runs in debug mode`,
          });
        }
      }
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const classes = configClasses(facts);
    const byName = configClassesByName(facts);
    const owner = configClassHolding(facts, detection.start, detection.end);
    if (!owner) return undefined;
    const debugValue = owner.debugOn?.statement.namedChildren[0];
    const value = debugValue?.type === 'assignment' ? innermostValue(debugValue) : undefined;
    // An environment read with an on default keeps its variable; only the unset case changes.
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    if (owner.role === 'production') {
      if (owner.debugOn) {
        // Production is hard off: the value flips, the line stays where the reader expects it.
        const assignment = owner.debugOn.statement.namedChildren[0];
        const value = assignment ? innermostValue(assignment) : undefined;
        if (!value) return undefined;
        return {
          title: `set DEBUG = False in ${owner.name}: ${deployedEnvironmentOf(owner)} is never in debug mode`,
          edits: [{ start: value.startIndex, end: value.endIndex, replacement: 'False' }],
        };
      }
      return {
        title: `pin DEBUG = False in ${owner.name} instead of inheriting DEBUG = True`,
        edits: [insertFirstInBody(source, owner)],
      };
    }
    if (!owner.debugOn) return undefined;
    if (owner.use !== 'config' && /settings/i.test(owner.name) && !/config/i.test(owner.name) && value) {
      // A settings class that nothing here hands to Flask may be read as `Settings.DEBUG`
      // elsewhere: the attribute stays, now read strictly from FLASK_DEBUG.
      return {
        title: `read ${owner.name}.DEBUG strictly from FLASK_DEBUG: only 1/true/yes turn it on`,
        edits: [{ start: value.startIndex, end: value.endIndex, replacement: STRICT_FLASK_DEBUG_READ }],
        imports: ['os'],
        notice:
          `code that reads ${owner.name}.DEBUG now sees False unless FLASK_DEBUG is 1, true or yes: ` +
          'set FLASK_DEBUG=1 where it should be on (local development only)',
      };
    }
    // The base class loses DEBUG; production classes that relied on inheriting it get an explicit False.
    const edits = [removeStatement(source, owner.debugOn.statement)];
    const pinned: string[] = [];
    for (const config of classes) {
      if (
        config.role !== 'production' ||
        config.setsDebug ||
        !inheritsFrom(config, owner.name, byName, new Set(pinned))
      )
        continue;
      edits.push(insertFirstInBody(source, config));
      pinned.push(config.name);
    }
    const pinning = pinned.length > 0 ? `; pin DEBUG = False in ${pinned.join(', ')}` : '';
    return { title: `remove DEBUG = True from ${owner.name} so environments follow FLASK_DEBUG${pinning}`, edits };
  },
};

/** True when `config` gets DEBUG from `ancestor`: no class in between sets DEBUG itself or is already pinned. */
function inheritsFrom(
  config: ConfigClass,
  ancestor: string,
  byName: ReadonlyMap<string, ConfigClass>,
  stops: Set<string>,
): boolean {
  return config.bases.some((base) => {
    if (base === ancestor) return true;
    const parent = byName.get(base);
    if (!parent || stops.has(base) || parent.setsDebug) return false;
    stops.add(base);
    return inheritsFrom(parent, ancestor, byName, stops);
  });
}

/** `DEBUG = False` as the first statement of a class body (after its docstring), indented like the body. */
function insertFirstInBody(source: string, config: ConfigClass): TextEdit {
  const body = requiredField(config.node, 'body');
  const statements = body.namedChildren.filter((child) => child.type !== 'comment');
  const first = statements[0];
  const docstring =
    first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string' ? first : undefined;
  const eol = lineBreakOf(source);
  if (!first) return { start: body.startIndex, end: body.startIndex, replacement: 'DEBUG = False' };
  if (first.startPosition.row === config.node.startPosition.row) {
    // `class ProdConfig(Dev): pass` on one line: give the body its own lines.
    const indent = indentationAt(source, config.node.startIndex) + indentUnitOf(source);
    return { start: body.startIndex, end: body.startIndex, replacement: `${eol}${indent}DEBUG = False${eol}${indent}` };
  }
  const indent = indentationAt(source, first.startIndex);
  const anchor = docstring ? nextLineStart(source, docstring.endIndex) : lineStart(source, first.startIndex);
  return { start: anchor, end: anchor, replacement: `${indent}DEBUG = False${eol}` };
}

/**
 * A class its own module never names again (no from_object, no subclass, no map) is loaded from another
 * module or not at all: a finding only where some module imports and reads it (`from config import Config`
 * alone loads nothing).
 */
function loadedRequirement(facts: ModuleFacts, config: ConfigClass): Pick<Detection, 'requires'> {
  const name = requiredField(config.node, 'name');
  return readsName(facts, config.name, name) ? {} : { requires: { kind: 'read-elsewhere', name: config.name } };
}
