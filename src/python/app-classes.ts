import { pinnedVersion } from '../files/pinned-version.js';
import type { SyntaxNode } from './parser.js';
import { forwardedRunTarget } from './forwarding-runner.js';
import { enclosingScope } from './nodes.js';

/**
 * Which server an app object runs when its `run()` is called. `flask`: Werkzeug's
 * development server, whose debug mode serves the interactive console. `quart`:
 * Hypercorn, whose debug mode shows tracebacks with source and frame locals but no console.
 */
export type AppServer = 'flask' | 'quart';

/** A class whose instances are apps, and the framework it belongs to (for messages). */
export interface AppClass {
  framework:
    | 'Flask'
    | 'APIFlask'
    | 'Eve'
    | 'Flask-API'
    | 'flask-lambda'
    | 'Dash'
    | 'Connexion'
    | 'flask-openapi3'
    | 'Quart'
    | 'project';
  server: AppServer;
  /** Set for the Flask server a framework object holds: Dash's `app.server`, Connexion 2's `app.app`. */
  heldBy?: 'Dash' | 'Connexion';
}

const FLASK: AppClass = { framework: 'Flask', server: 'flask' };

/**
 * Classes that are Flask (or derive from it), or that run a Flask server from their own
 * `run()`: Dash keeps its Flask app as `app.server` and `Dash.run` calls its `run(debug=...)`;
 * Connexion 2's `App`/`FlaskApp` keep it as `app.app` and do the same. Keyed by qualified name.
 */
const APP_CLASSES = new Map<string, AppClass>([
  ['flask.Flask', FLASK],
  ['flask.app.Flask', FLASK],
  ['apiflask.APIFlask', { framework: 'APIFlask', server: 'flask' }],
  ['apiflask.app.APIFlask', { framework: 'APIFlask', server: 'flask' }],
  ['eve.Eve', { framework: 'Eve', server: 'flask' }],
  ['eve.flaskapp.Eve', { framework: 'Eve', server: 'flask' }],
  ['flask_openapi3.OpenAPI', { framework: 'flask-openapi3', server: 'flask' }],
  ['flask_api.FlaskAPI', { framework: 'Flask-API', server: 'flask' }],
  ['flask_api.app.FlaskAPI', { framework: 'Flask-API', server: 'flask' }],
  ['flask_lambda.FlaskLambda', { framework: 'flask-lambda', server: 'flask' }],
  ['dash.Dash', { framework: 'Dash', server: 'flask' }],
  ['dash.dash.Dash', { framework: 'Dash', server: 'flask' }],
  // Packages' own subclasses of dash.Dash: dash-extensions' DashProxy (and its Dash, a DashProxy with
  // transforms), jupyter-dash's JupyterDash, whose run() outside a notebook is Dash's.
  ['dash_extensions.enrich.DashProxy', { framework: 'Dash', server: 'flask' }],
  ['dash_extensions.enrich.Dash', { framework: 'Dash', server: 'flask' }],
  ['jupyter_dash.JupyterDash', { framework: 'Dash', server: 'flask' }],
  ['jupyter_dash.jupyter_app.JupyterDash', { framework: 'Dash', server: 'flask' }],
  ['connexion.App', { framework: 'Connexion', server: 'flask' }],
  ['connexion.FlaskApp', { framework: 'Connexion', server: 'flask' }],
  ['connexion.apps.flask_app.FlaskApp', { framework: 'Connexion', server: 'flask' }],
  ['quart.Quart', { framework: 'Quart', server: 'quart' }],
  ['quart.app.Quart', { framework: 'Quart', server: 'quart' }],
]);

/** How each framework's app reaches Werkzeug's debugger, for the rule pages (docs/rules). */
const FAMILY_REACH: Readonly<Record<AppClass['framework'], string>> = {
  Flask: '`run(debug=True)`, `app.debug`, `DEBUG` in its config (`self.debug` in a method of a subclass)',
  APIFlask: 'a Flask subclass: everything Flask does',
  Eve: 'a Flask subclass: everything Flask does',
  'Flask-API': 'a Flask subclass: everything Flask does',
  'flask-lambda': 'a Flask subclass: everything Flask does',
  'flask-openapi3': 'a Flask subclass: everything Flask does',
  Dash:
    '`Dash.run(debug=True)` (and the older `run_server`) passes debug to its Flask server (`app.server`); ' +
    'with debug unset it reads `DASH_DEBUG`; `app.server` itself is a Flask app (its run, debug, config)',
  Connexion:
    'Connexion 2 keeps a Flask app (`app.app`): `run(debug=True)`, `App(..., debug=True)`; ' +
    'its `app.app` is a Flask app (its run, debug, config); Connexion 3 runs uvicorn, told apart by the pinned version',
  Quart: 'debug mode serves tracebacks with source and frame locals, no console: reported by quart-run-debug',
  project: '',
};

// The attribute under which a framework object keeps the Flask app its run() serves.
const HELD_SERVER_ATTRIBUTE: Readonly<Partial<Record<AppClass['framework'], string>>> = {
  Dash: 'server',
  Connexion: 'app',
};

/**
 * The Flask app `<holder>.<attribute>` is when the holder is a Dash or Connexion object: `dash_app.server`,
 * `connexion_app.app`. Its own run(), debug and config are Flask's. `holder` is asked only for those attributes.
 */
export function heldServerClass(
  attribute: string,
  holder: () => { kind: string; appClass?: AppClass } | undefined,
): AppClass | undefined {
  if (!Object.values(HELD_SERVER_ATTRIBUTE).includes(attribute)) return undefined;
  const evidence = holder();
  const framework = evidence?.kind === 'app' ? evidence.appClass?.framework : undefined;
  if (framework !== 'Dash' && framework !== 'Connexion') return undefined;
  return HELD_SERVER_ATTRIBUTE[framework] === attribute
    ? { framework: 'Flask', server: 'flask', heldBy: framework }
    : undefined;
}

/** The frameworks a rule that asks "is this a Flask app" knows, with their classes: rows for the rule pages. */
export function appFamilyTable(): { framework: string; classes: string[]; reach: string }[] {
  const rows = new Map<string, { framework: string; classes: string[]; reach: string }>();
  for (const [name, appClass] of APP_CLASSES) {
    const row = rows.get(appClass.framework) ?? {
      framework: appClass.framework,
      classes: [],
      reach: FAMILY_REACH[appClass.framework],
    };
    row.classes.push(name);
    rows.set(appClass.framework, row);
  }
  return [...rows.values()];
}

/** The app class a qualified name (`flask.Flask`, `dash.Dash`) names, if any. */
export function appClassNamed(qualified: string | undefined): AppClass | undefined {
  return qualified === undefined ? undefined : APP_CLASSES.get(qualified);
}

/** The last part of every qualified name above: where a call of an app class can start. */
export const APP_CLASS_SHORT_NAMES: readonly string[] = [
  ...new Set([...APP_CLASSES.keys()].map((name) => name.split('.').at(-1) ?? name)),
];

/**
 * Words one of which a module that builds or names an app contains: the import of one
 * of the frameworks above, or a conventional factory's name. Kept in step with APP_CLASSES.
 * Short module names are looked for with their import keyword: a bare `eve`, `dash` or `quart` is in
 * nearly every project (`event`, `level`, `dashboard`, `quarter`) and would keep the project gate open;
 * an import keyword matches only where the module name ends (`import events` is not Eve's) or goes on
 * with an underscore: `from dash` also covers `from dash_extensions...`; `jupyter_dash` is imported by its
 * own name.
 */
export const APP_FAMILY_KEYWORDS: readonly string[] = [
  'flask',
  'from dash',
  'import dash',
  'jupyter_dash',
  'connexion',
  'from eve',
  'import eve',
  'from quart',
  'import quart',
  'create_app',
  'make_app',
];

/**
 * Names that `from <module> import *` binds and the rules resolve: each app class under its module
 * (`from dash import *` binds `Dash`), and the few other names looked up by qualified name. The
 * frameworks define no `__all__`, so a star import also binds the submodules their package imports:
 * `from dash import *` then `dash.Dash(...)` is `dash.dash.Dash`.
 */
const STAR_EXPORTS = new Map<string, Set<string>>([
  ['flask', new Set(['current_app'])],
  ['dash', new Set(['dash'])],
  ['werkzeug.serving', new Set(['run_simple'])],
  ['werkzeug.debug', new Set(['DebuggedApplication'])],
]);
for (const qualified of APP_CLASSES.keys()) {
  const cut = qualified.lastIndexOf('.');
  const module = qualified.slice(0, cut);
  const names = STAR_EXPORTS.get(module) ?? new Set<string>();
  names.add(qualified.slice(cut + 1));
  STAR_EXPORTS.set(module, names);
}

/** True when `from <module> import *` binds `name` as `<module>.<name>` (see STAR_EXPORTS). */
export function starImportBinds(module: string, name: string): boolean {
  return STAR_EXPORTS.get(module)?.has(name) === true;
}

/** What a module can tell about a name: the qualified name it imports, and its own class definitions. */
export interface ClassResolver {
  qualifiedName(node: SyntaxNode): string | undefined;
  classDefinition(name: string): SyntaxNode | undefined;
}

const MAX_BASE_DEPTH = 4;

/**
 * The app class `callee` (the function part of a call) names: a framework class through
 * imports, or a class of this module that derives from one (`class App(Flask)`), however deep.
 */
export function appClassOf(resolver: ClassResolver, callee: SyntaxNode, depth = 0): AppClass | undefined {
  if (depth > MAX_BASE_DEPTH) return undefined;
  const qualified = resolver.qualifiedName(callee);
  const known = qualified === undefined ? undefined : APP_CLASSES.get(qualified);
  if (known) return known;
  if (callee.type !== 'identifier') return undefined;
  const definition = resolver.classDefinition(callee.text);
  const bases = definition?.childForFieldName('superclasses');
  for (const base of bases?.namedChildren ?? []) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const inherited = appClassOf(resolver, base, depth + 1);
    if (inherited)
      return inherited.framework === 'Flask' ? { framework: 'project', server: inherited.server } : inherited;
  }
  // `class App:` holding a Flask app whose `run(*args, **kwargs)` passes everything on to it.
  const held = definition && forwardedRunTarget(definition, (construction) => heldApp(resolver, construction, depth));
  return held ? { framework: 'project', server: held.server } : undefined;
}

/**
 * The app class of `self` in a method of a class that is (or derives from) one: `class App(Flask):` whose
 * `__init__` sets `self.debug = True`. Only `self`, the first parameter of a method of a top-level class.
 */
export function selfAppClass(resolver: ClassResolver, self: SyntaxNode): AppClass | undefined {
  if (self.text !== 'self') return undefined;
  const method = enclosingScope(self);
  const first =
    method?.type === 'function_definition' ? method.childForFieldName('parameters')?.namedChildren[0] : null;
  if (first?.type !== 'identifier' || first.text !== 'self') return undefined;
  const holder = method?.parent?.type === 'decorated_definition' ? method.parent.parent : method?.parent;
  const owner = holder?.type === 'block' ? holder.parent : null;
  const name = owner?.type === 'class_definition' ? owner.childForFieldName('name') : null;
  return name && resolver.classDefinition(name.text) ? appClassOf(resolver, name) : undefined;
}

function heldApp(resolver: ClassResolver, construction: SyntaxNode, depth: number): AppClass | undefined {
  const callee = construction.type === 'call' ? construction.childForFieldName('function') : null;
  return callee ? appClassOf(resolver, callee, depth + 1) : undefined;
}

/** Local names under which this module can call an app class: imported aliases and its own subclasses. */
export function appClassCallNames(
  imports: ReadonlyMap<string, { module: string; name: string | null }>,
  source: string,
): string[] {
  const names = new Set(APP_CLASS_SHORT_NAMES);
  for (const [local, binding] of imports) {
    if (binding.name !== null && APP_CLASSES.has(`${binding.module}.${binding.name}`)) names.add(local);
  }
  // `class App(Flask):` and deeper: any top-level class with a base is a candidate, confirmed by appClassOf.
  for (const match of source.matchAll(/^class[ \t]+(\w+)[ \t]*\([^)]/gm)) names.add(match[1] ?? '');
  return [...names];
}

/** Which Connexion a project runs: 2 serves Flask's `run(debug=...)`; 3 runs uvicorn and rejects `debug=`. */
export interface ConnexionGeneration {
  generation: 2 | 3;
  /** Words for the message: where the version was read, or that it was assumed. */
  basis: string;
}

/**
 * Connexion's generation from the project's pin. Unpinned, Connexion 2 is assumed: the guard fails
 * closed, and the message says so (a project on Connexion 3 pins it, or reads the finding and ignores it).
 */
export function connexionGeneration(file: string): ConnexionGeneration {
  const pin = pinnedVersion(file, 'connexion');
  if (pin.major !== undefined)
    return { generation: pin.major >= 3 ? 3 : 2, basis: `Connexion ${pin.major} pinned in ${pin.source}` };
  if (pin.minMajor !== undefined && pin.minMajor >= 3)
    return { generation: 3, basis: `Connexion >= ${pin.minMajor} in ${pin.source}` };
  return { generation: 2, basis: 'Connexion 2 assumed: no requirements, pyproject or lock file pins connexion' };
}

/** True for a Connexion app, or the Flask app one holds (`app.app`): which Connexion the pin names decides. */
export function isConnexionApp(appClass: AppClass | null | undefined): boolean {
  return appClass?.framework === 'Connexion' || appClass?.heldBy === 'Connexion';
}

/**
 * True when `appClass` is a Connexion app in a project that pins Connexion 3: its run() starts uvicorn (see
 * connexionGeneration). The Flask app it holds (`app.app`) is Flask's, with Flask's run(), debug and config.
 */
export function isConnexion3App(appClass: AppClass | null | undefined, file: string): boolean {
  return appClass?.framework === 'Connexion' && connexionGeneration(file).generation === 3;
}
