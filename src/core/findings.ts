/**
 * The vocabulary every layer shares: what a rule reports and what a fix changes.
 * It sits below src/python, src/deploy and src/rules so none of them points up.
 */

export type Severity = 'error' | 'warning';

/** A cheap test of a file's text: a RegExp, or an object with the same `test`. */
export interface TextTest {
  test(text: string): boolean;
}

/** `from <module> import <name>` as seen by the importing file (level: leading dots). */
export interface ImportedAppRef {
  module: string;
  name: string;
  level: number;
}

/**
 * Some findings depend on other files: an app imported from another module, a
 * module-level DEBUG that only matters when `from_object` loads it, a Procfile
 * that runs a script. The engine confirms these once every file has been read.
 */
export type Requirement =
  | {
      kind: 'imported-app';
      ref: ImportedAppRef;
      /**
       * Also holds when `ref.module` is a package outside the project whose name says Flask (`flash_flask.App`):
       * its app class is taken to pass run()'s debug on to Flask's, as the wrappers such packages ship do.
       */
      packagedWrapper?: true;
    }
  /** A Quart app imported from another module (`app = create_app()`): that module must build a Quart app. */
  | { kind: 'imported-quart-app'; ref: ImportedAppRef }
  | { kind: 'config-module' }
  /**
   * A config class named in another module
   * (`from_object("config.DevelopmentConfig")`): a finding only if it turns DEBUG on.
   */
  | {
      kind: 'debug-config-class';
      ref: ImportedAppRef;
      /** Set for a class whose name says nothing of development: only a DEBUG = True found there confirms it. */
      strict?: true;
    }
  /**
   * A config picked by name from a map or a factory in another module (`config_by_name["development"]`
   * with the map imported, `create_app("development")` with the factory imported): a finding only if
   * the class that name selects turns DEBUG on.
   */
  | { kind: 'named-config'; ref: ImportedAppRef; key: string; via: 'map' | 'factory' }
  /**
   * A config map's `"default"` entry, or a config class its own module never uses: a finding only if another
   * module of the project imports `name` from this file and reads it (or names it in a `from_object` path),
   * and `then` holds too.
   */
  | { kind: 'read-elsewhere'; name: string; then?: Requirement }
  /**
   * A factory parameter's default that loads the development config (`def create_app(config_name="development")`):
   * a finding only where something calls `name` without arguments (a module, a server's `app:create_app()`, or
   * Flask's CLI, which calls create_app/make_app bare when no call passes one), and `then` holds too.
   */
  | { kind: 'factory-called-bare'; name: string; then?: Requirement }
  /** A config map's `key` entry: a finding only if some module of the project selects that key (and `then`). */
  | { kind: 'config-key-selected'; key: string; then?: Requirement }
  | { kind: 'dev-server-script'; script: string }
  /**
   * A bare `app.run()` on an app imported from another module (`from app import app`), or built by an
   * imported factory called without arguments: a finding only if that module's config turns DEBUG on.
   */
  | { kind: 'inherited-debug'; ref: ImportedAppRef }
  /**
   * A debug switch read from another module: `Settings.DEBUG_MODE` after `from settings import
   * Settings` (a class or an instance), `settings.DEBUG` after `import settings`, or an imported
   * `DEBUG`. A finding only if that value is on; `app` is set when the app is imported too.
   */
  | {
      kind: 'imported-setting';
      ref: ImportedAppRef;
      attribute?: string;
      app?: ImportedAppRef;
      equals?: readonly string[];
    }
  /**
   * `python manage.py run` serves Flask's dev server only when manage.py is a FlaskGroup CLI, and
   * `runserver` only when it is Flask-Script's (Django has a manage.py runserver too).
   */
  | { kind: 'flask-cli-script'; script: string; subcommand: string }
  /**
   * A deploy file sets an app-specific variable (`ENV DEBUG True`):
   * a finding only if the app picks a debug config class by it.
   */
  | { kind: 'selects-debug-config'; variable: string; value: string }
  /**
   * `config.from_envvar(variable)`: a finding only if a deploy file (or a committed env file) gives the
   * variable a file of the project that sets DEBUG on. `folder` is where Flask resolves a relative name.
   */
  | { kind: 'config-file-from-env'; variable: string; folder: string; assumed: string }
  /**
   * FLASK_ENV=development where Flask itself no longer reads it: never a gate. When the project's own code
   * decides by the variable (`if os.getenv("FLASK_ENV") == "development":`), the message names that line and
   * the finding's severity follows the deploy files, as FLASK_DEBUG's does.
   */
  | { kind: 'app-reads-variable'; variable: string }
  /** DASH_DEBUG in a deploy file: a finding only if the project starts a Dash app with run() and debug unset. */
  | { kind: 'dash-run-reads-env' }
  /**
   * Code under an environment opt-in (`if os.getenv("DEBUG") == "1":`): a finding only if a deploy
   * entrypoint that runs the file as a script gives the variable a value the guard accepts.
   */
  | { kind: 'opt-in-set-by-deploy'; variable: string; equals?: readonly string[]; transforms: readonly string[] }
  /**
   * A finding in a shell script counts only when a deploy file runs the script (and `then` holds too). A start
   * script nothing runs counts as run by itself, except for `deployFileOnly` findings (a development server
   * without debug in a local convenience script is no deployment).
   */
  | { kind: 'run-by-deploy-file'; then?: Requirement; deployFileOnly?: true };

/** Replace `start..end` (UTF-16 offsets into the decoded text) with `replacement`. */
export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
}

/**
 * A rewrite for one finding, as data: the edit engine applies it (or not), so
 * diffs, patches, review and --write all show the same change.
 */
export interface Fix {
  /** Set when the edits are only the minimal safe change: why the rest is left for a person (listed as manual). */
  manual?: string;
  /** What the change does, in a reviewer's words. */
  title: string;
  edits: TextEdit[];
  /** Modules the rewritten code needs; `import os` is added once per file, only when missing. */
  imports?: 'os'[];
  /** Files to create when missing (absolute paths), e.g. wsgi.py for a new WSGI entrypoint. */
  newFiles?: { path: string; contents: string }[];
  /**
   * Lines to add to existing files unless a line already matches, e.g. gunicorn in requirements.txt;
   * `pinnedLine` instead in a file that pins every requirement with `==` (its style).
   */
  appendLines?: { path: string; line: string; pinnedLine?: string; unlessMatches: string }[];
  /**
   * Edits in another file the finding's setting lives in (the raw_env item of the gunicorn config file a
   * command loads): migrate plans them with that file, which must parse after them as before.
   */
  otherFiles?: { path: string; edits: TextEdit[] }[];
  /** A change beyond removing debug, in a developer's words: what they must now do (summary, --json, --pr-body). */
  notice?: string;
}

/** What a rule reports: a range of the file's text (UTF-16 offsets) and a message. */
export interface Detection {
  start: number;
  end: number;
  message: string;
  requires?: Requirement;
  /**
   * A warning whatever reaches it: the shape is only harmful on
   * versions the project does not pin (FLASK_ENV on Flask >= 2.3).
   */
  warningOnly?: boolean;
  /** What to do instead, when this shape needs other words than the rule's hint. */
  hint?: string;
  /**
   * The environment variable a fallback selects the config by, and its unset value: a deploy entrypoint that
   * sets it to another, non-development value does not get this config (the reach leaves it out).
   */
  selector?: { variable: string; unset: string };
}
