import { basename, relative } from 'node:path';
import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { APP_EVIDENCE_KEYWORDS, type ModuleFacts } from '../../src/python/module-facts.js';
import { appMethodCalls, configOwner, openGuardRequirement, requirementFor } from '../../src/python/flask-patterns.js';
import {
  configFileArgument,
  configFolder,
  debugInConfigFile,
  fromFileFormat,
  resolveConfigFile,
  type ConfigFileFormat,
} from '../../src/python/config-files.js';
import { callParts, stringLiteralValue } from '../../src/python/syntax.js';
import { stringsOf } from '../../src/python/env-reads.js';
import { dynaconfDebug, dynaconfSettingsFiles } from '../../src/python/dynaconf-settings.js';
import { isGuardedOff } from '../../src/python/flask-patterns.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// Loaders of flask.Config that read a file; from_json was removed in Flask 2.3 (from_file replaced it).
const FILE_LOADERS = ['from_file', 'from_json', 'from_pyfile', 'from_envvar'] as const;
const FLASK_DYNACONF = new Set(['dynaconf.FlaskDynaconf', 'dynaconf.contrib.FlaskDynaconf']);

export const configFileDebug: PythonRule = {
  id: 'config-file-debug',
  language: 'python',
  title: 'the app loads a committed config file that sets DEBUG',
  severity: 'error',
  debugThroughConfig: true,
  knowsAppFamily: true,
  hint:
    'remove DEBUG from the committed config file: Flask sets it from FLASK_DEBUG, ' +
    'so development opts in with FLASK_DEBUG=1',
  keywords: [...FILE_LOADERS, 'FlaskDynaconf'],
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  prefilter: /\.from_(?:file|json|pyfile|envvar)\s*\(|\bFlaskDynaconf\s*\(/,
  doc: {
    why:
      '`app.config.from_file("config.json", load=json.load)` (or `load=tomllib.load`), the older `from_json`, ' +
      '`from_pyfile("settings.cfg")` and `from_envvar("APP_SETTINGS")` copy the upper-case keys of a file into the ' +
      'config. When the committed file sets `"DEBUG": true` (`DEBUG = true` in TOML, `DEBUG = True` in Python), ' +
      'every environment that loads it runs in debug mode, and `app.run()` serves the interactive debugger. Flask ' +
      "resolves a relative name from the app's root_path (the folder of the module that creates the app), or from " +
      'the instance folder with `instance_relative_config=True`; `from_envvar` reads the name from a variable ' +
      "that a Dockerfile, compose file or unit sets. Dynaconf's `FlaskDynaconf(app)` loads `settings.toml` (and " +
      'its YAML and JSON forms): a `[default]` or `[global]` DEBUG reaches every environment, and `[development]` ' +
      'is the environment while FLASK_ENV is unset.',
    example:
      'app = Flask(__name__)\napp.config.from_file("config.json", load=json.load)\n\n# config.json\n' +
      '{"DEBUG": true, "SECRET_KEY_FILE": "/run/secrets/key"}',
    fix:
      'Delete DEBUG from the committed file (keep it in a git-ignored local file if you like). Developers opt in ' +
      'with `FLASK_DEBUG=1`; production sets nothing.\n\n# config.json\n{"SECRET_KEY_FILE": "/run/secrets/key"}',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskConfigBasics, DOCS.flaskDebugConfig, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ facts, path }) {
    const detections: Detection[] = [];
    for (const method of FILE_LOADERS) {
      for (const { call, parts, evidence, openGuard } of appMethodCalls(facts, method, configOwner)) {
        const argument = parts.keywords.get(method === 'from_envvar' ? 'variable_name' : 'filename')?.value;
        const first = argument ?? parts.positional[0];
        if (!first) continue;
        const requires = openGuardRequirement(openGuard, requirementFor(evidence));
        const range = { start: call.startIndex, end: call.endIndex };
        if (method === 'from_envvar') {
          const variable = stringLiteralValue(first);
          if (!variable) continue;
          const { folder, assumed } = configFolder(path, facts.source);
          // Which file the variable names is in the deploy files: the engine confirms it there.
          if (requires) continue;
          detections.push({
            ...range,
            message: `config.from_envvar("${variable}") loads the file ${variable} names, which sets DEBUG on`,
            requires: { kind: 'config-file-from-env', variable, folder, assumed },
          });
          continue;
        }
        const file = configFileArgument(first);
        if (!file) continue;
        const format: ConfigFileFormat | undefined =
          method === 'from_file' ? fromFileFormat(facts, parts, file.name) : method === 'from_json' ? 'json' : 'python';
        const { folder, assumed, instance } = configFolder(path, facts.source, file.base);
        // from_pyfile("settings.py") beside the app is a module of the project: config-module-debug reports its
        // DEBUG line. In the instance folder it is not one: reported here.
        if (!format || (method === 'from_pyfile' && /\.py$/i.test(file.name) && !instance)) continue;
        const resolved = resolveConfigFile(folder, file.name);
        const debug = resolved ? debugInConfigFile(resolved, format) : undefined;
        if (!resolved || !debug) continue;
        const shown = relative(folder, resolved).startsWith('..') ? basename(resolved) : file.name;
        detections.push({
          ...range,
          message:
            `config.${method}() loads ${shown}, whose ${debug.describe} (line ${debug.line}) turns debug mode on ` +
            `in every environment (resolved from ${assumed})`,
          ...(requires ? { requires } : {}),
        });
      }
    }
    for (const call of facts.callsOfQualified(FLASK_DYNACONF)) {
      const detection = dynaconfDetection(facts, path, call);
      if (detection) detections.push(detection);
    }
    return detections;
  },
};

/**
 * `FlaskDynaconf(app)`: the settings files Dynaconf loads into app.config, read the way it reads them (see
 * dynaconf-settings.ts). Reported at the call, as for from_file; the file's DEBUG line is in the message.
 */
function dynaconfDetection(facts: ModuleFacts, path: string, call: SyntaxNode): Detection | undefined {
  const parts = callParts(call);
  // Its first argument is a Flask app by the extension's contract (often `app` of an init_app(app) function).
  const app = parts?.positional[0] ?? parts?.keywords.get('app')?.value;
  if (!parts || !app || isGuardedOff(facts, call)) return undefined;
  const keyword = (...names: string[]) => names.map((name) => parts.keywords.get(name)?.value).find(Boolean);
  const filesNode = keyword('settings_files', 'settings_file', 'SETTINGS_FILE_FOR_DYNACONF', 'SETTINGS_FILE');
  const names = filesNode ? (stringsOf(filesNode) ?? []) : undefined;
  if (filesNode && names?.length === 0) return undefined;
  const environmentsNode = keyword('environments', 'ENVIRONMENTS', 'ENVIRONMENTS_FOR_DYNACONF');
  const environments = environmentsNode?.text !== 'False';
  for (const file of dynaconfSettingsFiles(path, names)) {
    const debug = dynaconfDebug(file, environments);
    if (!debug) continue;
    const when =
      debug.applies === 'everywhere'
        ? 'in every environment'
        : debug.applies === 'in-production'
          ? 'where FLASK_ENV=production selects that environment'
          : "by default: Dynaconf's environment is development until FLASK_ENV names another";
    return {
      start: call.startIndex,
      end: call.endIndex,
      message:
        `FlaskDynaconf() loads ${basename(file)}, whose ${debug.describe} (line ${debug.line}) ` +
        `turns debug mode on ${when}`,
    };
  }
  return undefined;
}
