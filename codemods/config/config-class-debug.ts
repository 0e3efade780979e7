import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { configClasses, inheritedDebug } from '../../src/python/config-classes.js';
import { TRUTHY_VALUE_TEXT } from '../../src/python/flask-patterns.js';

export const configClassDebug: PythonRule = {
  id: 'config-class-debug',
  language: 'python',
  title: 'DEBUG = True in a base or production config class',
  severity: 'error',
  hint: 'set DEBUG only in DevelopmentConfig (or not at all) and make ProductionConfig set DEBUG = False',
  keywords: ['DEBUG'],
  prefilter: new RegExp(String.raw`^[ \t]+DEBUG[ \t]*(?::[^=\n]*)?=[ \t]*${TRUTHY_VALUE_TEXT}`, 'm'),
  doc: {
    why:
      'Config classes are inherited: `DEBUG = True` in the base class reaches every environment that does not ' +
      'override it, production included; in a production class it is on by definition. With debug mode on, ' +
      "`app.run()` serves Werkzeug's interactive debugger and errors leak tracebacks.",
    example: 'class Config:\n    DEBUG = True\n\nclass ProductionConfig(Config):\n    pass',
    fix:
      'Leave DEBUG out of the base class so Flask follows FLASK_DEBUG, and pin production off:\n\n' +
      'class Config:\n    pass\n\nclass DevelopmentConfig(Config):\n    DEBUG = True\n\nclass ProductionConfig(Config):\n    DEBUG = False',
  },
  detect({ facts }) {
    const classes = configClasses(facts);
    const byName = new Map(classes.map((c) => [c.name, c]));
    const detections: Detection[] = [];
    for (const config of classes) {
      if (config.role === 'development' || config.role === 'testing') continue;
      if (config.debugOn) {
        const reach = config.role === 'production' ? 'the production config' : 'a base config every environment inherits';
        detections.push({
          start: config.debugOn.statement.startIndex,
          end: config.debugOn.statement.endIndex,
          message: `DEBUG = ${config.debugOn.describe} in ${config.name}, ${reach}, turns debug mode on`,
        });
      } else if (config.role === 'production' && !config.setsDebug) {
        const source = inheritedDebug(config, byName);
        // A base that is itself reported covers this case; a development parent does not.
        if (source && (source.role === 'development' || source.role === 'testing')) {
          const name = config.node.childForFieldName('name')!;
          detections.push({
            start: name.startIndex,
            end: name.endIndex,
            message: `${config.name} inherits DEBUG = True from ${source.name}: production runs in debug mode`,
          });
        }
      }
    }
    return detections;
  },
};
