import { basename, dirname, relative } from 'node:path';
import type { Detection, PythonRule } from '../../src/rules/rule.js';
import { APP_EVIDENCE_KEYWORDS, type ModuleFacts } from '../../src/python/module-facts.js';
import {
  appMethodCalls,
  configOwner,
  guardState,
  openGuardRequirement,
  requirementFor,
} from '../../src/python/flask-patterns.js';
import {
  configFileArgument,
  configFolder,
  debugInConfigFile,
  fromFileFormat,
  resolveConfigFile,
  type ConfigFileFormat,
} from '../../src/python/config-files.js';
import { callParts, stringLiteralValue } from '../../src/python/syntax.js';
import { parsedFileCopies, type ParsedFile, type ParsedFileCopy } from '../../src/python/parsed-config.js';
import { stringsOf } from '../../src/python/syntax.js';
import { dynaconfDebug, dynaconfSettingsFiles } from '../../src/python/dynaconf-settings.js';
import { isGuardedOff } from '../../src/python/flask-patterns.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// Loaders of flask.Config that read a file; from_json was removed in Flask 2.3 (from_file replaced it).
const FILE_LOADERS = ['from_file', 'from_json', 'from_pyfile', 'from_envvar'] as const;
const FLASK_DYNACONF = new Set(['dynaconf.FlaskDynaconf', 'dynaconf.contrib.FlaskDynaconf']);

// A file parsed by a config format's loader, and something copied into a config: both must be there.
const PARSED_FILE_TEXT = /\b(?:(?:yaml|json|tomllib|tomli|toml)\.(?:safe_|full_)?load|safe_load|full_load)\s*\(/;
const CONFIG_COPY_TEXT = /\b(?:update|from_mapping)\s*\(|\bconfig\s*\[|\bself\s*\[/;
const PARSED_FILE_COPY_TEXT = { test: (text: string) => PARSED_FILE_TEXT.test(text) && CONFIG_COPY_TEXT.test(text) };

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
  keywords: [...FILE_LOADERS, 'FlaskDynaconf', 'load('],
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  // The last: the app's own code parses a file (`yaml.safe_load(f)`, `json.load(f)`) to copy into its config.
  prefilter: [/\.from_(?:file|json|pyfile|envvar)\s*\(|\bFlaskDynaconf\s*\(/, PARSED_FILE_COPY_TEXT],
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
      'is the environment while FLASK_ENV is unset. The same holds when the app parses a committed file itself ' +
      '(`yaml.safe_load`, `json.load`, `tomllib.load`) and copies the mapping into its config: ' +
      '`app.config.update(data)`, `from_mapping(data)`, a loop of `app.config[key] = value`, or a method of its ' +
      'own Config subclass (`app.config.from_yaml("settings.yaml")`); keys the code upper-cases make `debug: true` ' +
      'count. `open("config.yaml")` reads from the working directory, taken to be the module\'s folder.',
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
    detections.push(...parsedFileDetections(facts, path));
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

// Classes whose instances are a Flask app's config: a subclass's own loader method fills `self`.
const FLASK_CONFIG_CLASSES = new Set(['flask.Config', 'flask.config.Config']);

/**
 * The app's own code parses a committed file and copies its mapping into app.config (`app.config.update(data)`,
 * `for key, value in data.items(): app.config[key] = value`), or a Config subclass does it in a method the app
 * calls (`app.config.from_yaml("settings.yaml")`): the file's DEBUG reaches the config as with from_file.
 */
function parsedFileDetections(facts: ModuleFacts, path: string): Detection[] {
  if (!PARSED_FILE_COPY_TEXT.test(facts.source)) return [];
  const detections: Detection[] = [];
  for (const copy of parsedFileCopies(facts)) {
    if (copy.file.parameter === undefined) {
      const owner = configOwner(copy.target);
      const evidence = owner && facts.appEvidence(owner);
      const guard = evidence ? guardState(facts, copy.at) : undefined;
      if (!evidence || guard?.kind === 'guarded') continue;
      const requires = openGuardRequirement(guard?.kind === 'open' ? guard.open : undefined, requirementFor(evidence));
      const detection = parsedFileDetection(facts, path, copy, copy.file, copy.at, copy.how);
      if (detection) detections.push({ ...detection, ...(requires ? { requires } : {}) });
      continue;
    }
    for (const call of configMethodCalls(facts, copy)) {
      const first = call.parts.positional[0];
      const name = first && stringLiteralValue(first);
      const file = name ? { ...copy.file, name } : undefined;
      const detection = file && parsedFileDetection(facts, path, copy, file, call.call, `${call.parts.callee.text}()`);
      const requires = openGuardRequirement(call.openGuard, requirementFor(call.evidence));
      if (detection) detections.push({ ...detection, ...(requires ? { requires } : {}) });
    }
  }
  return detections;
}

/** `app.config.from_yaml("settings.yaml")`, `from_yaml(self, path)` being the Config subclass's method that copies. */
function configMethodCalls(facts: ModuleFacts, copy: ParsedFileCopy) {
  const method = copy.at.parent && enclosingMethod(copy.at);
  const owner = method?.parent?.parent;
  const bases = owner?.type === 'class_definition' ? owner.childForFieldName('superclasses')?.namedChildren : [];
  const isConfigClass = (bases ?? []).some((base) => facts.refersTo(base, FLASK_CONFIG_CLASSES));
  const name = method?.childForFieldName('name')?.text;
  if (copy.target.text !== 'self' || !isConfigClass || !name) return [];
  return appMethodCalls(facts, name, configOwner);
}

function enclosingMethod(node: SyntaxNode): SyntaxNode | undefined {
  for (let at = node.parent; at; at = at.parent) if (at.type === 'function_definition') return at;
  return undefined;
}

function parsedFileDetection(
  facts: ModuleFacts,
  path: string,
  copy: ParsedFileCopy,
  file: ParsedFile,
  at: SyntaxNode,
  how: string,
): Detection | undefined {
  // open("config.yaml") reads from the working directory: where the app is started, assumed to be its folder.
  const { folder, assumed } = file.base
    ? configFolder(path, facts.source, file.base)
    : { folder: dirname(path), assumed: "the working directory, assumed to be this module's folder" };
  const resolved = resolveConfigFile(folder, file.name);
  const debug = resolved && debugInConfigFile(resolved, file.format, file.upper ? 'upper-cased' : 'as-written');
  if (!resolved || !debug) return undefined;
  const into = copy.target.text === 'self' ? 'the config' : copy.target.text;
  return {
    start: at.startIndex,
    end: at.endIndex,
    message:
      `${how} copies ${file.name} into ${into}, and its ${debug.describe} (line ${debug.line}) turns debug mode on ` +
      `in every environment (resolved from ${assumed})`,
  };
}
