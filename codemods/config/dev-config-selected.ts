import type { Detection, PythonRule } from '../../src/rules/rule.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { appMethodCalls, configOwner, requirementFor } from '../../src/python/flask-patterns.js';
import { isUnderDebugGuard } from '../../src/python/module-facts.js';
import { dottedParts, stringLiteralValue } from '../../src/python/syntax.js';
import { nodeAt } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// `DevelopmentConfig`, `DevConfig`, `config.development`, `LocalSettings`...
const DEVELOPMENT_NAME = /^(?:dev|development|local)(?:config|settings)?$|^(?:dev|development|local)[A-Z_]|(?:^|[._])(?:dev|development)(?:[._]|$)/i;

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

export const devConfigSelected: PythonRule = {
  id: 'dev-config-selected',
  language: 'python',
  title: 'the development config is hard-wired',
  severity: 'error',
  hint: "pick the config from APP_ENV with production as the default, e.g. config[os.environ.get('APP_ENV', 'production')]",
  keywords: ['from_object', "'default'", '"default"'],
  prefilter: /from_object|['"]default['"]\s*:\s*['"]?[\w.]*(?:dev|Dev|DEV|local|Local)/,
  doc: {
    why:
      'A factory or entrypoint that always loads `DevelopmentConfig` (or a config map whose `"default"` entry is the ' +
      'development class, used when no variable is set) runs production with the development settings: debug ' +
      'mode, test secrets, relaxed cookies. Secure by default means the unset case is production.',
    example: 'app.config.from_object("config.DevelopmentConfig")\n\nconfig = {"development": DevelopmentConfig, "default": DevelopmentConfig}',
    fix:
      'Select the class from the environment and default to production:\n\n' +
      'app.config.from_object(config[os.environ.get("APP_ENV", "production")])\n\n' +
      'config = {"development": DevelopmentConfig, "production": ProductionConfig, "default": ProductionConfig}',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskConfigBasics, DOCS.flaskDebugConfig, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    for (const { parts, evidence } of appMethodCalls(facts, 'from_object', configOwner)) {
      const argument = parts.positional[0];
      const target = argument && developmentTarget(argument);
      if (!argument || !target) continue;
      detections.push({
        start: argument.startIndex,
        end: argument.endIndex,
        message: `config.from_object(${target}) loads the development config in every environment`,
        requires: requirementFor(evidence),
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
      const valueName = dottedParts(value)?.at(-1) ?? (importPath?.includes('.') ? importPath.split('.').at(-1) : undefined);
      if (!namesDevelopment(valueName) || isUnderDebugGuard(pair)) continue;
      detections.push({
        start: pair.startIndex,
        end: pair.endIndex,
        message: `the config map's "default" entry is ${value.text}: with no variable set, the app runs the development config`,
      });
    }
    return detections;
  },
  fix({ facts }, detection) {
    // Only the config map has an obvious rewrite: its "default" becomes the production entry's class.
    const pair = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const value = pair.type === 'pair' ? pair.childForFieldName('value') : null;
    if (!value || pair.parent?.type !== 'dictionary') return undefined;
    const production = pair.parent.namedChildren.find((entry) => {
      const key = entry.type === 'pair' ? entry.childForFieldName('key') : null;
      return key !== null && /^prod(?:uction)?$/.test(stringLiteralValue(key) ?? '');
    });
    const productionValue = production?.childForFieldName('value');
    if (!productionValue) return undefined;
    return {
      title: `make the config map's "default" ${productionValue.text}: with no variable set, the app runs production settings`,
      edits: [{ start: value.startIndex, end: value.endIndex, replacement: productionValue.text }],
    };
  },
};
