import type { Detection, PythonContext, PythonRule, Requirement } from '../../src/rules/rule.js';
import { inheritedDebug } from '../../src/python/development-config.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { APP_EVIDENCE_KEYWORDS, type AppEvidence } from '../../src/python/module-facts.js';
import {
  type AppMethodCall,
  appMethodCalls,
  ARGUMENT_START_TEXT,
  argumentRange,
  defaultOnFix,
  importedSwitch,
  lowercaseConstantTest,
  openGuardRequirement,
  optedInAppMethodCalls,
  requirementFor,
  switchValue,
  TRUTHY_VALUE_TEXT,
  VALUE_GAP_TEXT,
} from '../../src/python/flask-patterns.js';
import { argumentValue } from '../../src/python/syntax.js';
import { nodeAt, removeListItem, removeStatement } from '../../src/python/edit-helpers.js';
import { DEBUGGER_CWES, DOCS, EQUIVALENTS } from '../../src/rules/references.js';
import { BARE_RUN_TEXT } from '../../src/python/bare-run-text.js';
import { flaskScriptServerDebug } from './flask-script-server.js';
import { connexionConstructorDebug, connexionNote } from './connexion-constructor.js';
import { splatDebug } from './splat-options.js';
import { parsedFileSwitch } from '../../src/python/parsed-config.js';
import { type EnvironmentOptIn, valueOptIn } from '../../src/python/default-on-guard.js';

// Flask.run(host, port, debug, load_dotenv, **options): debug is the third positional.
const DEBUG_POSITION = 2;
// Options passed through to werkzeug.serving.run_simple.
const DEBUGGER_OPTIONS = ['use_debugger', 'use_evalex'] as const;

export const runDebug: PythonRule = {
  id: 'run-debug',
  language: 'python',
  title: 'app.run() turns the interactive debugger on',
  severity: 'error',
  knowsAppFamily: true,
  hint: 'drop the debug argument (Flask reads FLASK_DEBUG itself) and serve production with Gunicorn or Waitress',
  keywords: ['debug', 'use_evalex', '.run(', '.run_server('],
  // Only a Flask app's run(), debug or config is a finding.
  projectKeywords: APP_EVIDENCE_KEYWORDS,
  prefilter: [
    // A keyword argument (`, debug=True`), or a third positional argument of a `.run(` call.
    new RegExp(
      String.raw`${ARGUMENT_START_TEXT}(?:debug|use_debugger|use_evalex)\s*=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`,
    ),
    new RegExp(
      String.raw`\.run(?:_server)?\s*\((?:[^()[\]{}]|\([^()]*\))*?,(?:[^(),[\]{}]|\([^()]*\))*,` +
        `${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`,
    ),
    // `debug = True` at the top, then `app.run(debug=debug)`.
    lowercaseConstantTest('(?:debug|use_debugger|use_evalex)'),
    // A bare `app.run()` at the top, in a main block or a top-level function (not a method's `runner.run()`):
    // the app's config may turn debug on (here or where the app is imported from).
    BARE_RUN_TEXT,
  ],
  doc: {
    why:
      "`app.run(debug=True)` starts Werkzeug's interactive debugger. Anyone who can make the app raise an " +
      'exception gets a Python console inside the server process (remote code execution), and every traceback ' +
      'shows source code, paths and local variables. An explicit `debug=` overrides FLASK_DEBUG, so the ' +
      'environment can no longer turn it off. Flask evaluates the argument with `bool()`: `debug="False"` is on. ' +
      'The same holds for every app that runs a Flask server: Plotly Dash (`app.run(debug=True)`, the older ' +
      '`run_server`), Connexion 2 (`run(debug=True)`, `App(..., debug=True)`; Connexion 3 runs uvicorn and is told ' +
      'apart by the pinned version), APIFlask, Eve, any class of the project that derives from Flask or holds a ' +
      "Flask app and passes its run()'s arguments on to the app's, and an app class imported from a package named " +
      "for Flask that is not in the repository (taken to do the same; the message says so). Flask-Script's " +
      '`Server(use_debugger=True)` (Flask 1.x) passes the switch to run() for `manage.py runserver`. The switch ' +
      'counts however it arrives: unpacked from a mapping (`app.run(**RUN_OPTIONS)` with `"debug": True`), or read ' +
      'from a committed JSON, YAML or TOML file the code parses (`debug=cfg["debug"]`). ' +
      'A run under an environment opt-in (`if os.getenv("DEBUG") == "1":`) is the developer\'s choice, unless a ' +
      'deploy file that runs the script gives the variable such a value: then it is a finding that names the ' +
      'setting. So is a debug argument read off the environment that is off by default ' +
      '(`debug=os.getenv("APP_DEBUG", "") == "1"`, `debug=config("DEBUG", default=False, cast=bool)`, or a ' +
      'module constant bound to one), where such a deploy file sets it on. ' +
      "A bare `app.run()` takes debug mode from the app's config: when the app is built with a " +
      'development config that sets DEBUG (`create_app("development")`, `from_object(DevelopmentConfig)`, here ' +
      'or in the module the app or its factory is imported from), `python run.py` serves the same console. ' +
      'Dash and Connexion 2 pass their ' +
      "own debug setting to Flask's run, so their server's config does not decide.",
    example: 'app = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
    fix:
      'Remove the argument: Flask sets DEBUG from FLASK_DEBUG when it creates the app, so developers opt in with ' +
      '`FLASK_DEBUG=1` or `flask run --debug`, and production (no variable) stays off. Serve production with ' +
      '`gunicorn wsgi:app` or `waitress-serve wsgi:app`, never `app.run()`.\n\n' +
      'if __name__ == "__main__":\n    app.run(host="0.0.0.0")',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskQuickstartDebug, DOCS.flaskDebugMode, DOCS.werkzeugDebugger, DOCS.flaskDeploying],
    equivalents: [
      EQUIVALENTS.banditB201,
      EQUIVALENTS.ruffS201,
      EQUIVALENTS.semgrepDebugEnabled,
      EQUIVALENTS.codeqlFlaskDebug,
      EQUIVALENTS.sonarS4507,
    ],
  },
  detect({ facts, path }) {
    const detections: Detection[] = [];
    // Dash's older `run_server` (removed in Dash 3) passes debug on to the Flask server like `run`.
    const runs = [...appMethodCalls(facts, 'run'), ...appMethodCalls(facts, 'run_server')];
    for (const { call, parts, receiver, evidence, openGuard } of runs) {
      const connexion = connexionNote(evidence, path);
      if (connexion === null) continue;
      const requires = openGuardRequirement(openGuard, requirementFor(evidence));
      const explicitRequires = openGuardRequirement(openGuard, packagedWrapper(evidence) ?? requirementFor(evidence));
      // Under a guard that holds by default, the message says why the guard does not guard.
      const note = `${connexion}${openGuard ? `; it runs by default: ${openGuard.why}` : ''}`;
      const debug = argumentValue(parts, 'debug', DEBUG_POSITION);
      const debugValue = debug && switchValue(facts, debug);
      const elsewhere = debug && !debugValue ? importedSwitch(facts, debug, evidence) : undefined;
      // `debug=cfg["debug"]` with cfg parsed from a committed file: the file's entry decides.
      const fromFile = debug && !debugValue && !elsewhere ? parsedFileSwitch(facts, debug, path) : undefined;
      const shown = debugValue?.truthy ? debugValue : (elsewhere ?? (fromFile?.truthy ? fromFile : undefined));
      // Two facts to confirm in other modules (the guard's value and the debug value) is one too many: left out.
      // `debug=True, use_debugger=False`: debug mode (reloader, tracebacks in the log) with no console to reach.
      const consoleOff = DEBUGGER_OPTIONS.find((option) => {
        const value = parts.keywords.get(option)?.value;
        return value !== undefined && switchValue(facts, value)?.truthy === false;
      });
      if (debug && shown && !(elsewhere && openGuard?.requires)) {
        detections.push({
          ...argumentRange(parts, 'debug', debug),
          message: consoleOff
            ? `${runName(evidence, parts.callee.text)} with debug=${shown.describe} runs in debug mode, but ` +
              `${consoleOff}=False keeps the Werkzeug debugger's console off${note}`
            : `${runName(evidence, parts.callee.text)} with debug=${shown.describe} starts the Werkzeug debugger, ` +
              `a remote Python console${note}`,
          requires: elsewhere?.requirement ?? explicitRequires,
          ...(consoleOff ? { warningOnly: true } : {}),
          ...frameworkHint(evidence),
        });
      }
      // `debug=os.getenv("APP_DEBUG", "") == "1"`: off by default, on where a deploy file that runs it says so.
      const optIn = debug && !shown && !openGuard && evidence.kind === 'app' ? valueOptIn(facts, debug) : undefined;
      if (debug && optIn) detections.push(optedInDebugValue(parts, debug, evidence, optIn));
      const unpacked = !debug && parts.hasSplat ? splatDebug(facts, call) : undefined;
      // Reported at `**RUN_OPTIONS`, where the run is (its guard sets the severity); the fix edits the entry.
      if (unpacked)
        detections.push({
          start: unpacked.splat.startIndex,
          end: unpacked.splat.endIndex,
          message:
            `${runName(evidence, parts.callee.text)} unpacks ${unpacked.mapping}, whose debug=` +
            `${unpacked.value.describe} starts the Werkzeug debugger, a remote Python console${note}`,
          requires: explicitRequires,
        });
      // `debug=app.config["DEBUG"]` hands the config's own value back: the same as leaving debug to the config.
      const fromConfig = debug && !shown && readsOwnDebug(debug, receiver) ? debug : undefined;
      if ((!debug || fromConfig) && !unpacked && !DEBUGGER_OPTIONS.some((option) => parts.keywords.has(option))) {
        const inherited = inheritedDebugRun(facts, { call, parts, receiver }, evidence, requires, fromConfig);
        if (inherited) detections.push(inherited);
      }
      for (const option of DEBUGGER_OPTIONS) {
        const value = parts.keywords.get(option)?.value;
        const optionValue = value && switchValue(facts, value);
        if (value && optionValue?.truthy) {
          detections.push({
            ...argumentRange(parts, option, value),
            message:
              `${runName(evidence, parts.callee.text)} with ${option}=${optionValue.describe} ` +
              `enables the Werkzeug debugger's console${note}`,
            requires: explicitRequires,
          });
        }
      }
    }
    detections.push(
      ...optedInRuns(facts, path),
      ...connexionConstructorDebug(facts, path),
      ...flaskScriptServerDebug(facts),
    );
    return detections;
  },
  fix({ source, facts }, detection) {
    // The deploy file that sets the opt-in is what to change; the developer's opt-in stays.
    if (detection.requires?.kind === 'opt-in-set-by-deploy')
      return {
        title: 'left for a person',
        edits: [],
        manual:
          `a deploy file sets ${detection.requires.variable} and turns this opt-in on: remove it there ` +
          "(the developer's opt-in stays)",
      };
    const node = nodeAt(facts.tree.rootNode, detection.start, detection.end);
    // A bare run() that inherits the config's DEBUG: the config is what changes (dev-config-selected's fix).
    if (node.type === 'call')
      return {
        title: 'left for a person',
        edits: [],
        manual:
          'turn DEBUG off in the config this app loads (its own finding says how); ' +
          'app.run() then follows FLASK_DEBUG',
      };
    // `**RUN_OPTIONS` whose mapping has `"debug": True`: the entry goes, run() then follows FLASK_DEBUG.
    const unpacked =
      node.type === 'dictionary_splat' && node.parent?.parent ? splatDebug(facts, node.parent.parent) : undefined;
    if (unpacked)
      return {
        title: `remove debug from ${unpacked.mapping}, which app.run() unpacks`,
        edits: [
          unpacked.entryIsStatement ? removeStatement(source, unpacked.entry) : removeListItem(source, unpacked.entry),
        ],
      };
    const argument = node.type === 'keyword_argument' ? node : node.parent?.type === 'argument_list' ? node : undefined;
    if (!argument) return undefined;
    const value = argument.type === 'keyword_argument' ? argument.childForFieldName('value') : argument;
    const flipped = value && defaultOnFix(facts, value);
    if (flipped) return flipped;
    const name = argument.type === 'keyword_argument' ? argument.childForFieldName('name')?.text : 'debug';
    const list = argument.parent;
    if (!list) return undefined;
    const items = list.namedChildren.filter((child) => child.type !== 'comment');
    const isLast = items.at(-1)?.startIndex === argument.startIndex;
    // A positional `debug` followed by `load_dotenv` keeps its place as None, which Flask reads as "not given".
    const edit =
      argument.type === 'keyword_argument' || isLast
        ? removeListItem(source, argument)
        : { start: argument.startIndex, end: argument.endIndex, replacement: 'None' };
    const callee = list.parent?.childForFieldName('function')?.text.replace(/\s+/g, '') ?? 'app.run';
    return { title: `remove ${name} from ${callee}(): Flask sets debug mode from FLASK_DEBUG`, edits: [edit] };
  },
};

// Dash and Connexion 2 pass their own debug (DASH_DEBUG, the constructor's) to Flask's run: config DEBUG is overruled.
const OWN_DEBUG_FRAMEWORKS = new Set(['Dash', 'Connexion']);
const INHERITED_HINT = 'turn DEBUG off in that config (default to production); run() then follows FLASK_DEBUG';

/**
 * `app = create_app("development")` then a bare `app.run()`: Flask's run() falls back to app.debug, so
 * the config's DEBUG = True starts the debugger. Reported at the run, which is what serves the console.
 */
function inheritedDebugRun(
  facts: PythonContext['facts'],
  { call, parts, receiver }: Pick<AppMethodCall, 'call' | 'parts' | 'receiver'>,
  evidence: AppEvidence,
  requires: Requirement | undefined,
  given?: SyntaxNode,
): Detection | undefined {
  const framework = evidence?.kind === 'app' ? evidence.appClass?.framework : undefined;
  if (!evidence || receiver.type !== 'identifier' || (framework && OWN_DEBUG_FRAMEWORKS.has(framework)))
    return undefined;
  // `from app import app`: the module that builds it says whether its config turns DEBUG on.
  const inherited =
    evidence.kind === 'imported'
      ? { at: receiver, message: '', requires: { kind: 'inherited-debug' as const, ref: evidence.ref } }
      : inheritedDebug(facts, receiver.text, receiver);
  // Two facts to confirm elsewhere (the run's guard and the config) is one too many: left out.
  if (!inherited || (requires && requires.kind !== 'imported-app' && inherited.requires)) return undefined;
  const run = `${runName(evidence, parts.callee.text)} ${given ? `with debug=${given.text}` : 'without debug='}`;
  if (inherited.requires?.kind === 'inherited-debug') {
    const { module, name, level } = inherited.requires.ref;
    return {
      start: call.startIndex,
      end: call.endIndex,
      message:
        `${run} takes debug mode from the app's config, and ${name} (from ` +
        `${'.'.repeat(level)}${module}) loads one with DEBUG on: ` +
        'it starts the Werkzeug debugger, a remote Python console',
      hint: INHERITED_HINT,
      requires: inherited.requires,
    };
  }
  const line = inherited.at.startPosition.row + 1;
  const requirement = requires ?? inherited.requires;
  return {
    start: call.startIndex,
    end: call.endIndex,
    message:
      `${run} takes debug mode from the app's config, ` +
      `which line ${line} turns on (${shortText(selectionCall(inherited.at))}): ` +
      'it starts the Werkzeug debugger, a remote Python console',
    hint: INHERITED_HINT,
    ...(requirement ? { requires: requirement } : {}),
  };
}

/** `app.config["DEBUG"]`, `app.config.get("DEBUG")` or `app.debug` of the app being run. */
function readsOwnDebug(value: SyntaxNode, receiver: SyntaxNode): boolean {
  const text = value.text.replace(/\s+/g, '');
  const app = receiver.text;
  return (
    [`${app}.config["DEBUG"]`, `${app}.config['DEBUG']`, `${app}.debug`].includes(text) ||
    new RegExp(`^${app}\\.config\\.get\\(['"]DEBUG['"]`).test(text)
  );
}

/** The call a config selection is part of (`create_app("development")`), else the selection itself. */
function selectionCall(node: SyntaxNode): SyntaxNode {
  for (let at: SyntaxNode | null = node; at; at = at.parent) {
    if (at.type === 'call') return at;
    if (at.type === 'function_definition' || at.type === 'module') break;
  }
  return node;
}

function shortText(node: Pick<SyntaxNode, 'text'>): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/**
 * `if os.getenv("DEBUG") == "1": app.run(debug=True)`: a developer's opt-in, unless a deploy file that runs
 * this file gives the variable such a value (confirmed against the deploy model).
 */
function optedInRuns(facts: PythonContext['facts'], path: string): Detection[] {
  const runs = [...optedInAppMethodCalls(facts, 'run'), ...optedInAppMethodCalls(facts, 'run_server')];
  return runs.flatMap(({ parts, evidence, optIn }) => {
    const debug = argumentValue(parts, 'debug', DEBUG_POSITION);
    const value = debug && switchValue(facts, debug);
    if (evidence.kind !== 'app' || connexionNote(evidence, path) === null || !debug || !value?.truthy) return [];
    const { variable, equals, transforms } = optIn;
    return [
      {
        ...argumentRange(parts, 'debug', debug),
        message:
          `${runName(evidence, parts.callee.text)} with debug=${value.describe} starts the Werkzeug debugger, ` +
          `a remote Python console, when \`${optIn.condition}\` holds`,
        requires: { kind: 'opt-in-set-by-deploy', variable, transforms, ...(equals ? { equals } : {}) },
      },
    ];
  });
}

/** A run whose debug argument is an environment opt-in: a finding once a deploy file that runs it turns it on. */
function optedInDebugValue(
  parts: AppMethodCall['parts'],
  debug: SyntaxNode,
  evidence: AppEvidence,
  { variable, equals, transforms, condition }: EnvironmentOptIn,
): Detection {
  const what = condition === debug.text ? 'it' : `\`${shortText({ text: condition })}\``;
  return {
    ...argumentRange(parts, 'debug', debug),
    message:
      `${runName(evidence, parts.callee.text)} with debug=${shortText(debug)} starts the Werkzeug debugger, ` +
      `a remote Python console, once ${variable} makes ${what} true`,
    requires: { kind: 'opt-in-set-by-deploy', variable, transforms, ...(equals ? { equals } : {}) },
  };
}

// Packages named for Flask whose classes' run() is not Flask's: Flask-Script's Manager reads the command line,
// flaskwebgui's FlaskUI starts its own server and browser.
const NOT_APP_WRAPPERS = new Set(['flask_script', 'flaskwebgui']);

/**
 * `app = App(__name__)` with `App` from a package whose name says Flask (`from flash_flask import App`): when no
 * file of the project is that package, its app class is taken to pass run()'s debug on to Flask's (confirmed,
 * and said in the message, once every file is known). A class of the project is judged by its code instead.
 */
function packagedWrapper(evidence: AppEvidence): Requirement | undefined {
  if (evidence?.kind !== 'imported') return undefined;
  const { ref } = evidence;
  const top = ref.module.split('.')[0] ?? '';
  if (ref.level > 0 || !/^[A-Z]/.test(ref.name) || !/flask/i.test(top) || NOT_APP_WRAPPERS.has(top)) return undefined;
  return { kind: 'imported-app', ref, packagedWrapper: true };
}

/** Dash reads its own variable when debug is not given; the rule's hint speaks of Flask's. */
function frameworkHint(evidence: AppEvidence): Pick<Detection, 'hint'> {
  if (evidence?.kind !== 'app' || evidence.appClass?.framework !== 'Dash') return {};
  return {
    hint:
      'drop the debug argument (Dash reads DASH_DEBUG itself) and serve production with Gunicorn: ' +
      'gunicorn module:app.server',
  };
}

/** `Dash app.run_server()`: the call as written, with the framework when it is not Flask itself. */
function runName(evidence: AppEvidence, callee: string): string {
  const framework = evidence?.kind === 'app' ? evidence.appClass?.framework : undefined;
  const call = `${callee.replace(/\s+/g, '')}()`;
  return framework && framework !== 'Flask' && framework !== 'project' ? `${framework} ${call}` : call;
}
