import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { switchValue } from '../../src/python/flask-patterns.js';

export const configModuleDebug: PythonRule = {
  id: 'config-module-debug',
  language: 'python',
  title: 'module-level DEBUG = True loaded with config.from_object()',
  severity: 'error',
  hint: 'remove the module-level DEBUG (Flask follows FLASK_DEBUG) or move it to a development-only config',
  prefilter: /^DEBUG\s*=[^=]/m,
  doc: {
    why:
      '`app.config.from_object(__name__)` or `from_object("settings")` copies every upper-case name of the module ' +
      'into the config, so a module-level `DEBUG = True` turns debug mode on wherever the module is loaded.',
    example: 'DEBUG = True\nSECRET_KEY = os.environ["SECRET_KEY"]\n\napp.config.from_object(__name__)',
    fix: 'Delete the `DEBUG = True` line; developers opt in with `FLASK_DEBUG=1`.',
  },
  detect({ facts }) {
    const detections: Detection[] = [];
    const loadsItself = facts.configObjectModules.includes('__name__');
    for (const statement of facts.tree.rootNode.namedChildren) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'DEBUG') continue;
      const value = assignment.childForFieldName('right');
      const state = value && switchValue(facts, value);
      if (!state?.truthy) continue;
      detections.push({
        start: statement.startIndex,
        end: statement.endIndex,
        message: `module-level DEBUG = ${state.describe} is copied into the app config by from_object()`,
        requires: loadsItself ? undefined : { kind: 'config-module' },
      });
    }
    return detections;
  },
};
