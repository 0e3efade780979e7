import type { Detection, PythonRule } from '../../src/rules/rule.js';
import {
  defaultOnFix,
  lowercaseConstantTest,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import {
  assignmentStatement,
  CONFIG_LOADING_KEYWORDS,
  innermostValue,
  sameNode,
} from '../../src/python/module-facts.js';
import { nodeAt, removeStatement } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const configModuleDebug: PythonRule = {
  id: 'config-module-debug',
  language: 'python',
  title: 'module-level DEBUG = True loaded with config.from_object()',
  severity: 'error',
  debugThroughConfig: true,
  hint: 'remove the module-level DEBUG (Flask follows FLASK_DEBUG) or move it to a development-only config',
  keywords: ['DEBUG'],
  // Module-level settings matter only where a module is loaded as config (from_object, from_pyfile).
  projectKeywords: CONFIG_LOADING_KEYWORDS,
  prefilter: [
    new RegExp(String.raw`^DEBUG[ \t]*(?::[^=\n]*)?=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`, 'm'),
    lowercaseConstantTest(String.raw`\bDEBUG`),
  ],
  doc: {
    why:
      '`app.config.from_object(__name__)` or `from_object("settings")` copies every upper-case name of the module ' +
      'into the config, so a module-level `DEBUG = True` turns debug mode on wherever the module is loaded.',
    example: 'DEBUG = True\nSECRET_KEY = os.environ["SECRET_KEY"]\n\napp.config.from_object(__name__)',
    fix: 'Delete the `DEBUG = True` line; developers opt in with `FLASK_DEBUG=1`.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskConfigBasics, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    const loadsItself = facts.configObjectModules.includes('__name__');
    for (const identifier of facts.anchors(/^(?<anchor>DEBUG)[ \t]*(?::[^=\n]*)?=(?!=)/m)) {
      const assignment = identifier.parent;
      if (assignment?.type !== 'assignment' || !sameNode(assignment.childForFieldName('left'), identifier)) continue;
      const statement = assignmentStatement(assignment);
      if (statement.parent?.type !== 'module') continue;
      const value = innermostValue(assignment);
      const state = value && switchValue(facts, value);
      if (!state?.truthy) continue;
      detections.push({
        start: statement.startIndex,
        end: statement.endIndex,
        message: loadsItself
          ? `module-level DEBUG = ${state.describe} is copied into the app config by config.from_object(__name__)`
          : `module-level DEBUG = ${state.describe} is copied into the app config ` +
            'wherever this module is loaded as config (from_object or from_pyfile)',
        requires: loadsItself ? undefined : { kind: 'config-module' },
      });
    }
    return detections;
  },
  fix({ source, facts }, detection) {
    const statement = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const value = assignment?.type === 'assignment' ? innermostValue(assignment) : undefined;
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    return {
      title: 'remove the module-level DEBUG: Flask sets it from FLASK_DEBUG',
      edits: [removeStatement(source, statement)],
    };
  },
};
