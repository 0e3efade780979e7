import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isTestPath } from '../files/file-kinds.js';
import { readSourceFile } from '../files/source-text.js';
import { configFolder } from '../python/config-files.js';
import { parsePython } from '../python/parser.js';
import { CONFIG_LOADING_KEYWORDS, ModuleFacts, type ImportedAppRef } from '../python/module-facts.js';
import { callParts } from '../python/syntax.js';
import { modulePaths } from './module-paths.js';
import { socketioRunsWerkzeug } from '../python/socketio-server.js';
import { appClassNamed, connexionGeneration, isConnexion3App, isConnexionApp } from '../python/app-classes.js';
import { factorySelection, mapEntry } from '../python/config-selection.js';
import { factoryDefaultDebug, inheritedDebug } from '../python/development-config.js';
import { classDebugState } from '../python/config-classes.js';
import { unsetString } from '../python/env-reads.js';
import { runsByDefault, switchValue } from '../python/flask-patterns.js';
import { classAttribute, instanceClassName } from '../python/settings-objects.js';
import { mappingEntry } from '../python/mapping-values.js';

// Scripts that, run as `python <name>`, are a Flask dev server in nearly every project.
const CONVENTIONAL_SERVER_SCRIPTS = new Set(
  ['app', 'run', 'server', 'main', 'application', 'manage', 'wsgi'].map((name) => `${name}.py`),
);
const MAX_IMPORT_HOPS = 4;
// Past this many Python files, reading them all to learn whether one is imported costs more than it tells.
const MAX_SCANNED_FILES = 3000;

/**
 * The project's Python modules, parsed on demand: answers the cross-file
 * questions some findings depend on (is this imported name a Flask app? does
 * this script call app.run()?). Only the few modules such questions name are parsed.
 */
export class ProjectModules {
  private readonly factsCache = new Map<string, ModuleFacts | undefined>();
  private readonly importedCache = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    private readonly pythonFiles: string[],
  ) {}

  /** True when `ref.name` in the module `ref.module` (imported from `importer`) is a Flask app or app factory. */
  isFlaskApp(ref: ImportedAppRef, importer: string, hops = 0): boolean {
    if (hops > MAX_IMPORT_HOPS) return false;
    const paths = this.modulePaths(ref.module, ref.level, importer);
    // `from utils.ui import dash`, then `dash.Dash(...)`: utils.ui.dash is no file but a name ui.py imports.
    const cut = ref.module.lastIndexOf('.');
    if (paths.length === 0 && cut > 0)
      return this.modulePaths(ref.module.slice(0, cut), ref.level, importer).some((path) =>
        this.importsAppClass(path, [ref.module.slice(cut + 1), ref.name]),
      );
    for (const path of paths) {
      const facts = this.facts(path);
      if (!facts) continue;
      // A Connexion 3 app itself runs uvicorn (the Flask app it holds, `app.app`, is Flask's).
      if (isConnexion3App(facts.appClassOfName(ref.name), path)) return false;
      if (facts.isAppName(ref.name) || facts.isFactory(ref.name) || facts.isAppClass(ref.name)) return true;
      // A module that only passes a framework's class on (`from flask import Flask as WebApp` in ui.py).
      if (this.importsAppClass(path, [ref.name])) return true;
      // `app = MyFlask(__name__)` with the class imported from a third module: is that class an app class?
      const built = facts.constantNode(ref.name);
      const origin = built?.type === 'call' ? facts.serverEvidence(built) : undefined;
      if (origin?.kind === 'imported') return this.isFlaskApp(origin.ref, path, hops + 1);
      // `from .app import app` in a package's __init__.py: follow the re-export.
      const reexport = facts.importedRef(ref.name);
      if (reexport && this.isFlaskApp({ ...reexport, name: reexport.name }, path, hops + 1)) return true;
      // `from myapp import views` where views is a submodule is not an app; stop here.
      return false;
    }
    return false;
  }

  /** True when `ref.name` of its module is a Quart app, or a factory that builds and returns one. */
  isQuartApp(ref: ImportedAppRef, importer: string, hops = 0): boolean {
    if (hops > MAX_IMPORT_HOPS) return false;
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      if (facts.factoryClass(ref.name)?.server === 'quart' || facts.appClassOfName(ref.name)?.server === 'quart')
        return true;
      const reexport = facts.importedRef(ref.name);
      return reexport !== undefined && this.isQuartApp(reexport, path, hops + 1);
    }
    return false;
  }

  /** True when the module at `path` binds the dotted name to a class of an app that serves Werkzeug's debugger. */
  private importsAppClass(path: string, dotted: readonly string[]): boolean {
    const qualified = this.facts(path)?.qualifiedNameOfParts(dotted);
    return appClassNamed(qualified)?.server === 'flask';
  }

  /** True when the imported `ref.name` is an environment read whose value, while unset, is one of `values`. */
  importedReadDefaultsTo(ref: ImportedAppRef, values: readonly string[], importer: string): boolean {
    const unset = this.importedReadDefault(ref, importer);
    return unset !== undefined && values.includes(unset);
  }

  /** What an imported environment read (`env = os.getenv("APP_ENV", "dev")`) gives while its variable is unset. */
  importedReadDefault(ref: ImportedAppRef, importer: string, hops = 0): string | undefined {
    if (hops > MAX_IMPORT_HOPS) return undefined;
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      const reexport = facts.importedRef(ref.name);
      if (reexport) return this.importedReadDefault(reexport, path, hops + 1);
      const value = facts.constantNode(ref.name);
      return value && unsetString(facts, value)?.value;
    }
    return undefined;
  }

  /**
   * True when the imported value is on: `ref.name` of module `ref.module` (a constant), or its
   * `attribute` when `ref.name` is a class or an instance of one there.
   */
  importedSettingIsOn(ref: ImportedAppRef, attribute: string | undefined, importer: string, hops = 0): boolean {
    if (hops > MAX_IMPORT_HOPS) return false;
    // `from core import settings` then `settings.DEBUG`: the submodule core/settings.py, its DEBUG.
    const submodule = ref.module !== '' ? `${ref.module}.${ref.name}` : undefined;
    if (attribute !== undefined && submodule && this.modulePaths(submodule, ref.level, importer).length > 0)
      return this.importedSettingIsOn(
        { module: submodule, name: attribute, level: ref.level },
        undefined,
        importer,
        hops + 1,
      );
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      const reexport = facts.importedRef(ref.name);
      if (reexport) return this.importedSettingIsOn(reexport, attribute, path, hops + 1);
      if (attribute === undefined) {
        const value = facts.constantNode(ref.name);
        return value !== undefined && switchValue(facts, value)?.truthy === true;
      }
      // `DEFAULTS["DEBUG"]`: the entry of the dict literal the module binds (a dict has no attributes to read).
      const entry = mappingEntry(facts, ref.name, attribute);
      if (entry !== undefined) return entry !== null && switchValue(facts, entry)?.truthy === true;
      const className = facts.classDefinition(ref.name) ? ref.name : instanceClassName(facts, ref.name);
      const found = className ? classAttribute(facts, className, attribute) : undefined;
      return found !== undefined && switchValue(facts, found.value)?.truthy === true;
    }
    return false;
  }

  /** Whether the class `ref.name` of the module `ref.module` turns DEBUG on; `unknown` when it cannot be found. */
  configClassDebugState(ref: ImportedAppRef, importer: string, hops = 0): 'on' | 'off' | 'unknown' {
    if (hops > MAX_IMPORT_HOPS) return 'unknown';
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      if (facts.classDefinition(ref.name)) return classDebugState(facts, ref.name);
      const reexport = facts.importedRef(ref.name);
      return reexport ? this.configClassDebugState(reexport, path, hops + 1) : 'unknown';
    }
    return 'unknown';
  }

  /**
   * What the config named `key` turns DEBUG to, picked from the map `ref.name` (via 'map') or by the
   * factory `ref.name` (via 'factory') of the module `ref.module`; `unknown` when it cannot be followed.
   */
  namedConfigState(
    ref: ImportedAppRef,
    key: string,
    via: 'map' | 'factory',
    importer: string,
    hops = 0,
  ): 'on' | 'off' | 'unknown' {
    if (hops > MAX_IMPORT_HOPS) return 'unknown';
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      // A name the module binds itself (`config = {...}` after `from decouple import config`) is not a re-export.
      const reexport =
        facts.constantNode(ref.name) || facts.isFactory(ref.name) ? undefined : facts.importedRef(ref.name);
      if (reexport) return this.namedConfigState(reexport, key, via, path, hops + 1);
      const nameNode = facts.anchors(new RegExp(`\\b(?<anchor>${ref.name})\\b`))[0];
      const selected =
        via === 'factory'
          ? factorySelection(facts, ref.name, key)
          : nameNode
            ? mapEntry(facts, nameNode, key)
            : undefined;
      if (!selected) return 'unknown';
      if (selected.state !== 'unknown') return selected.state;
      if (selected.elsewhere) return this.configClassDebugState(selected.elsewhere, path, hops + 1);
      if (selected.elsewhereMap)
        return this.namedConfigState(selected.elsewhereMap.ref, selected.elsewhereMap.key, 'map', path, hops + 1);
      return 'unknown';
    }
    return 'unknown';
  }

  /**
   * True when the app `ref.name` of the module `ref.module` (or the app its factory of that name builds when
   * called without arguments) runs with DEBUG on from the config it loads there.
   */
  inheritedDebugState(ref: ImportedAppRef, importer: string, hops = 0): boolean {
    if (hops > MAX_IMPORT_HOPS) return false;
    for (const path of this.modulePaths(ref.module, ref.level, importer)) {
      const facts = this.facts(path);
      if (!facts) continue;
      const factory = facts.isFactory(ref.name);
      const reexport = factory || facts.isAppName(ref.name) ? undefined : facts.importedRef(ref.name);
      if (reexport) return this.inheritedDebugState(reexport, path, hops + 1);
      const selection = factory ? factoryDefaultDebug(facts, ref.name) : inheritedDebug(facts, ref.name);
      const requires = selection?.requires;
      if (!selection || !requires) return selection !== undefined;
      if (requires.kind === 'inherited-debug') return this.inheritedDebugState(requires.ref, path, hops + 1);
      if (requires.kind === 'debug-config-class') return this.configClassDebugState(requires.ref, path) === 'on';
      if (requires.kind === 'imported-setting') return this.importedSettingIsOn(requires.ref, undefined, path);
      return (
        requires.kind === 'named-config' &&
        this.namedConfigState(requires.ref, requires.key, requires.via, path) === 'on'
      );
    }
    return false;
  }

  /** True when running `python <script>` from a deploy file starts Flask's dev server. */
  scriptRunsDevServer(script: string, deployFile: string, file?: string): boolean {
    const server = this.scriptServer(script, deployFile, file);
    return server === 'unread' ? CONVENTIONAL_SERVER_SCRIPTS.has(basename(script)) : server !== undefined;
  }

  /**
   * Which Connexion the app `python <script>` runs is taken to be, in words for the message
   * (`Connexion 2 pinned in requirements.txt`); undefined when the script runs no Connexion app.
   */
  scriptConnexionBasis(script: string, deployFile: string, file?: string): string | undefined {
    const server = this.scriptServer(script, deployFile, file);
    return typeof server === 'object' && server.framework === 'Connexion' ? server.basis : undefined;
  }

  /**
   * The app whose dev server `python <script>` starts: its framework (and for Connexion, which
   * one was assumed), undefined when it starts none, 'unread' when the script is not in the project.
   * Connexion 3's run() starts uvicorn, not Werkzeug: not Flask's dev server.
   */
  private scriptServer(
    script: string,
    deployFile: string,
    file?: string,
  ): { framework: string | undefined; basis?: string } | 'unread' | undefined {
    // A path in the image (`/app/src/app.py` after `COPY . /app/src`) too: the project's one file of that name.
    // The file the deploy model resolved (the image's), else found here the way a host path is.
    const found = file ?? this.scriptPath(script, deployFile);
    if (!found) return 'unread';
    const facts = this.facts(found);
    if (!facts) return undefined;
    // Dash's older run_server() starts the same Flask server.
    for (const call of [...facts.methodCalls('run'), ...facts.methodCalls('run_server')]) {
      const parts = callParts(call);
      // `if os.getenv("DEV_SERVER") == "1": app.run()` with `else: serve(app)`: the dev server is an opt-in.
      if (parts?.callee.type !== 'attribute' || !runsByDefault(facts, call)) continue;
      const receiver = parts.callee.childForFieldName('object');
      const firstArgument = parts.positional[0] ?? parts.keywords.get('app')?.value; // socketio.run(app=app)
      // app.run(), or socketio.run(app): either way Werkzeug's server.
      const evidence =
        (receiver ? facts.appEvidence(receiver) : undefined) ??
        (firstArgument ? facts.appEvidence(firstArgument) : undefined);
      if (!evidence) continue;
      // socketio.run(app) under eventlet or gevent serves through their own WSGI server, not Werkzeug's.
      if (!(receiver && facts.appEvidence(receiver)) && !socketioRunsWerkzeug(facts, call, found)) continue;
      const appClass = evidence.kind === 'app' ? evidence.appClass : undefined;
      if (!isConnexionApp(appClass)) return { framework: appClass?.framework };
      // Connexion's own app, or the Flask app it holds (`app.app`): the pinned Connexion decides.
      const { generation, basis } = connexionGeneration(found);
      if (generation === 2) return { framework: 'Connexion', basis };
      if (appClass?.heldBy) return { framework: 'Flask', basis };
    }
    return undefined;
  }

  /**
   * True when `python <script> run|runserver` starts Flask's dev server: `run` needs a FlaskGroup CLI,
   * `runserver` Flask-Script (a Django manage.py has one too). A script we cannot find is taken as the
   * Flask-Script convention for `runserver` only.
   */
  scriptIsFlaskCli(script: string, subcommand: string, deployFile: string, file?: string): boolean {
    const found = file ?? this.scriptPath(script, deployFile);
    const read = found ? readSourceFile(found, true) : undefined;
    if (!read?.ok) return subcommand === 'runserver' && !found;
    const text = read.source.text;
    if (subcommand === 'run') return /\bFlaskGroup\b|\bflask\.cli\b/.test(text);
    return (
      /\bflask_script\b|\bflask\.ext\.script\b/.test(text) || (/\bflask\b/i.test(text) && !/\bdjango\b/.test(text))
    );
  }

  private scriptPath(script: string, deployFile: string): string | undefined {
    const candidates = [join(dirname(deployFile), script), join(this.root, script)];
    const normalized = script.replace(/^\.\//, '').split('/').join(sep);
    const found = candidates.find((path) => existsSync(path)) ?? this.nearestEndingWith(normalized, deployFile);
    if (found || !script.startsWith('/')) return found;
    // A path in the image (`/code/manage.py` after `COPY . /code`): the only file of that name below the
    // deploy file's folder, else in the project (a run that names a few files still sees the whole project).
    const named = this.pythonFiles.filter((path) => basename(path) === basename(script));
    const below = named.filter((path) => path.startsWith(dirname(deployFile) + sep));
    return below.length === 1 ? below[0] : named.length === 1 ? named[0] : undefined;
  }

  /**
   * The project's file at `relativePath` below some folder, nearest to the deploy file that names it:
   * in a repository of several services, each with its own app.py, a service's Dockerfile runs its own.
   */
  private nearestEndingWith(relativePath: string, deployFile: string): string | undefined {
    const folder = dirname(deployFile) + sep;
    let nearest: string | undefined;
    let shared = -1;
    for (const path of this.pythonFiles) {
      if (!path.endsWith(sep + relativePath)) continue;
      let length = 0;
      while (length < path.length && path[length] === folder[length]) length++;
      if (length > shared) [nearest, shared] = [path, length];
    }
    return nearest;
  }

  /**
   * The files that `loader` loads as config with `from_object`/`from_pyfile`, resolved the way
   * its imports are (see modulePaths), so a `from_object("settings")` in
   * one service never confirms another service's settings.py. `facts` spares a re-parse when the
   * caller already has them; a file that loads no config is only searched as text.
   */
  configFilesLoadedBy(loader: string, moduleNames?: readonly string[]): string[] {
    let names = moduleNames;
    if (!names) {
      if (!this.factsCache.has(loader)) {
        const read = readSourceFile(loader, true);
        if (!read.ok || !CONFIG_LOADING_KEYWORDS.some((keyword) => read.source.text.includes(keyword))) return [];
      }
      names = this.facts(loader)?.configObjectModules ?? [];
    }
    return names.flatMap((name) => {
      if (name === '__name__') return [loader];
      if (!name.startsWith('file:')) return this.modulePaths(name, 0, loader);
      const source = this.facts(loader)?.source ?? '';
      const path = resolve(configFolder(loader, source).folder, name.slice('file:'.length));
      return existsSync(path) ? [path] : [];
    });
  }

  /** Files that could be `module` as imported from `importer` (see module-paths.ts). */
  modulePaths(module: string, level: number, importer: string): string[] {
    return modulePaths(this.root, module, level, importer, (path) => this.facts(path));
  }

  /**
   * False only when no other Python file under `folders` (the code a deploy entrypoint serves) names this
   * module (`manage` for manage.py) as a word: in an import, a `from_object("manage...")` string or anything
   * else; test code aside. A package's `__init__.py` counts as imported; past MAX_SCANNED_FILES, so does every module.
   */
  mayBeImported(file: string, folders: readonly string[]): boolean {
    const name = basename(file, '.py');
    if (name === '__init__' || !/^\w+$/.test(name)) return true;
    const key = `${file}\0${folders.join('\0')}`;
    const cached = this.importedCache.get(key);
    if (cached !== undefined) return cached;
    const within = folders.map((folder) => (folder.endsWith(sep) ? folder : folder + sep));
    // Tests import scripts too (`from manage import app`), and never run in production.
    const candidates = this.pythonFiles.filter(
      (path) =>
        path !== file &&
        within.some((folder) => path.startsWith(folder)) &&
        !isTestPath(relative(this.root, path).split(sep).join('/')),
    );
    const word = new RegExp(`\\b${name}\\b`);
    const found =
      candidates.length > MAX_SCANNED_FILES ||
      candidates.some((path) => {
        const read = readSourceFile(path, true);
        return !read.ok || word.test(read.source.text);
      });
    this.importedCache.set(key, found);
    return found;
  }

  /** Frees the parsed modules' trees (WebAssembly memory); the object must not be asked anything after. */
  dispose(): void {
    for (const facts of this.factsCache.values()) facts?.tree.delete();
    this.factsCache.clear();
  }

  /** The parsed module at `path`, parsed once per run; undefined when it cannot be read. */
  facts(path: string): ModuleFacts | undefined {
    if (!this.factsCache.has(path)) {
      const read = readSourceFile(path, true);
      this.factsCache.set(path, read.ok ? new ModuleFacts(parsePython(read.source.text), read.source.text) : undefined);
    }
    return this.factsCache.get(path);
  }
}
