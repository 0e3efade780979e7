/**
 * The deploy model: what a repository runs, from its deploy files. One model is
 * shared by check (severity, deploy findings), migrate (rewrites) and verify
 * (runtime): no rule reads a Dockerfile or Procfile its own way.
 *
 * Paths are absolute; offsets are UTF-16 offsets into the named file's text.
 */

/**
 * What defines an entrypoint. Shell scripts are not entrypoints of their own: they are followed from the
 * deploy file that runs them (Entrypoint.scripts) and take its role; `script` is a script named on its own
 * (verify's `--entrypoint`, or a caller that starts from one).
 */
export type EntrypointKind =
  | 'dockerfile'
  | 'procfile'
  | 'compose'
  | 'systemd'
  | 'supervisord'
  | 'kubernetes'
  | 'script'
  | 'makefile'
  /** A service of a Render Blueprint (render.yaml): its startCommand, or the Dockerfile it builds. */
  | 'render'
  /** A Google App Engine app.yaml (Python 3): its entrypoint, or the runtime's default `gunicorn main:app`. */
  | 'app-engine'
  /** A script of an npm package.json (`npm start`, `npm run dev`) that runs the Python app. */
  | 'npm-script'
  /** A uWSGI config (an ini's `[uwsgi]` section, a YAML's `uwsgi:` map): uWSGI serves the app it names. */
  | 'uwsgi-config'
  /** A gunicorn config file (gunicorn.conf.py): the app its `wsgi_app` names, or a WSGI server serving some app. */
  | 'gunicorn-config'
  /** A vercel.json `@vercel/python` build or `api/` function: Vercel serves the module's WSGI `app`. */
  | 'vercel'
  /** A stage of zappa_settings.json: AWS Lambda imports its `app_function` (`app.app`) and serves it. */
  | 'zappa'
  /** A function of a serverless.yml with the serverless-wsgi plugin (`custom.wsgi.app`): Lambda serves the app. */
  | 'serverless-wsgi'
  /** A Python Lambda handler that hands the app to serverless_wsgi, awsgi or apig_wsgi: Lambda imports it. */
  | 'lambda-handler';

/** The deploy files the model reads itself (scripts and env files are reached through them). */
export type ModelFileKind =
  | 'dockerfile'
  | 'procfile'
  | 'yaml'
  | 'systemd'
  | 'supervisord'
  | 'makefile'
  | 'package-json'
  /** A gunicorn config file (a Python file by its kind of source). */
  | 'gunicorn-config'
  | 'vercel'
  /** zappa_settings.json (or .yml/.yaml): its stages' `app_function`. */
  | 'zappa'
  /** `.replit`, nixpacks.toml, railway.toml/json: the platform's start command. */
  | 'platform-start'
  /** A Python module that hands the app to a Lambda WSGI adapter (a Python file by its kind of source). */
  | 'lambda-handler';

/**
 * Production: what a server runs. Development: dev stages,
 * Procfile.dev, override/dev compose files, Makefile targets.
 */
export type DeployRole = 'production' | 'development';

/** A place in a file: the whole instruction, line or YAML node. */
export interface SourceSpan {
  path: string;
  start: number;
  end: number;
  /** 1-based line of `start`. */
  line: number;
}

export type EnvOrigin =
  | 'dockerfile-env'
  | 'compose-environment'
  | 'compose-env-file'
  | 'systemd-environment'
  | 'systemd-environment-file'
  | 'supervisord-environment'
  | 'kubernetes-env'
  /** A Render Blueprint's `envVars:` item (`- key: FLASK_DEBUG` / `value: "1"`), or its `envVarGroups` entry. */
  | 'render-env-var'
  /** An App Engine app.yaml's `env_variables:` entry (`FLASK_DEBUG: "1"`). */
  | 'app-engine-env-variable'
  /** A zappa stage's `environment_variables` entry (its own or one of the stage it `extends`). */
  | 'zappa-environment-variable'
  /** A serverless.yml `provider.environment` or function `environment` entry. */
  | 'serverless-environment'
  | 'script-export'
  | 'command-prefix'
  /** `.env`/`.flaskenv` beside the app, which `flask run` and `app.run()` load (python-dotenv). */
  | 'flask-dotenv'
  /** gunicorn's `-e K=V` / `--env K=V` on its command line. */
  | 'gunicorn-env'
  /** gunicorn's `-e K=V` in the GUNICORN_CMD_ARGS it inherits (`at` is that variable's setting). */
  | 'gunicorn-cmd-args'
  /** An item of `raw_env` in the gunicorn config file the command loads (`via` is the command). */
  | 'gunicorn-raw-env';

/** Settings a server applies itself, over everything its process inherited (gunicorn's -e and raw_env). */
export const SERVER_ENV_ORIGINS: ReadonlySet<EnvOrigin> = new Set<EnvOrigin>([
  'gunicorn-env',
  'gunicorn-cmd-args',
  'gunicorn-raw-env',
]);

/** One variable an entrypoint's process gets. */
export interface EnvSetting {
  name: string;
  /** The value as the process sees it: quotes removed, Dockerfile `${ARG}` references resolved. */
  value: string;
  origin: EnvOrigin;
  /** Where the value is written (the `ENV` pair, the env file's line, the `export`). */
  at: SourceSpan;
  /** The deploy line that brought the value in, when it is not `at` itself: `env_file:`, `EnvironmentFile=`. */
  via?: SourceSpan;
  /** The `ARG` whose default gave the value (`ENV FLASK_DEBUG=${FLASK_DEBUG}`), when one did. */
  argDefault?: SourceSpan;
  /** The conditional branch of a script that sets it (`export` under `if [ "$APP_ENV" = development ]`). */
  branch?: CommandBranch;
  /**
   * The words that set it, where their file writes them: gunicorn's `-e` and its value (in `at.path`), or a
   * raw_env item of the config file (`at.path` too, with what removing it from its list takes).
   */
  words?: CommandWord[];
  /**
   * A compose value written with variables (`FLASK_DEBUG=${DEBUG:-1}`): `value` is what compose substitutes
   * from the committed `.env` beside the compose file (`envFile`, when it gave one) and the defaults, with
   * the variables nothing in the repository sets (`unresolved`) unset.
   */
  interpolation?: {
    written: string;
    /** Written as a bare name (`- FLASK_DEBUG`): the value compose runs with, as if `${FLASK_DEBUG}`. */
    passThrough?: true;
    unresolved: string[];
    /** The unresolved variables the file gives no default (`${DEBUG}`, not `${DEBUG:-0}`). */
    undefaulted: string[];
    envFile?: string;
    /** What a git-ignored `.env` beside the compose file sets for them: a developer's own, for messages. */
    ignoredValues?: { name: string; value: string }[];
  };
}

/**
 * A word of a command where the deploy file writes it (quotes
 * included): fixes edit there, never by re-scanning text.
 */
export interface CommandWord {
  /** The word as the program receives it: quotes removed, expansions as written. */
  text: string;
  start: number;
  end: number;
  /**
   * What removing the word from its list takes, for an element of an exec-form array or a YAML list
   * (`, "--debug"`, or the `- --debug` line): the list still parses without it. Shell words have none
   * (their blanks go with them).
   */
  removal?: { start: number; end: number; replacement?: string };
}

/**
 * The branch of a script a command runs in (`then`/`else` of an `if`, a `case` item), with its condition.
 * `development`: the condition selects development (`"$APP_ENV" = development`), so production takes another branch.
 */
export interface CommandBranch {
  condition: string;
  /** The branch's commands. */
  at: SourceSpan;
  development: boolean;
  /**
   * The debug opt-in variable its condition tests (`DEBUG` in `"$DEBUG" = true`): development-only unless
   * the deploy file that runs the script turns it on (then `development` is false and `turnedOnBy` says where).
   */
  optIn?: string;
  /** The value test under which the opt-in branch runs (`= true`: the value is exactly `true`; `-n`: any). */
  optInRunsWhen?: { value: string; equals: boolean };
  turnedOnBy?: EnvSetting;
}

/**
 * A server or platform that imports the app and serves it (Vercel's Python runtime serves a module's `app`;
 * AWS Lambda, through zappa, serverless-wsgi, awsgi or apig-wsgi, imports a module and serves its WSGI app).
 */
export type WsgiServerName =
  | 'gunicorn'
  | 'waitress'
  | 'uwsgi'
  | 'uvicorn'
  | 'hypercorn'
  | 'vercel'
  | 'zappa'
  | 'serverless-wsgi'
  | 'aws-lambda';

/** What a command line starts, as far as the deploy files alone can tell. */
export type CommandTarget =
  /** `flask run`, `flask --debug run`, `python -m flask run`; `debugFlag` is the flag that turned the debugger on. */
  | { kind: 'flask-run'; debug: boolean; debugFlag?: '--debug' | '--debugger'; app?: string }
  /** `python manage.py runserver` (Flask-Script) or `python manage.py run` (a FlaskGroup: confirm in Python). */
  | { kind: 'manage-run'; script: string; subcommand: string; file?: string }
  /**
   * `python app.py`: Flask's dev server only if the script calls `app.run()` (confirm in Python). `python -m pkg`
   * is one too once the model finds the file Python runs as __main__ (pkg/__main__.py): `module` names it.
   */
  | {
      kind: 'python-script';
      script: string;
      module?: string;
      /** The repository file it runs, when the model found it (script-file.ts); absolute. */
      file?: string;
      /** False when the repository's script starts no server (a compose generator): it is no run of the app. */
      servesApp?: false;
    }
  /** A production server and the app it serves: `gunicorn app:app`, `waitress-serve wsgi:app`, `uwsgi --module`. */
  | { kind: 'wsgi-server'; server: WsgiServerName; app?: string }
  /** A shell script; the model follows it (see Entrypoint.scripts). */
  | { kind: 'shell-script'; script: string }
  /** Anything else; `module` for `python -m <module>` (the model looks for the module's file in the repository). */
  | { kind: 'other'; program: string; module?: string };

export interface DeployCommand {
  argv: string[];
  /** Where the command is named: the CMD that gives ENTRYPOINT its script, the Procfile line, the `exec` line. */
  at: SourceSpan;
  /** Every instruction it is made of (a Dockerfile's ENTRYPOINT and CMD), for rewrites. */
  parts: SourceSpan[];
  target: CommandTarget;
  /** Variables set on the command line itself: `FLASK_DEBUG=1 flask run`. */
  prefixEnv: EnvSetting[];
  /** The words of argv where the file writes them: shell words, or the elements of an exec-form array or YAML list. */
  words?: CommandWord[];
  /** The simple command itself (`at` may be its whole line): what a rewrite of this command replaces. */
  span?: SourceSpan;
  /** The conditional branch it runs in, when a script runs it under one. */
  branch?: CommandBranch;
  /**
   * The role of the start script the command is in, when that script decides one from what it does as a whole
   * (see script-role.ts): a command of a venv-making development script is development wherever it is followed
   * from. Absent: the entrypoint's role.
   */
  role?: ScriptRole;
}

/** A role a script decides for itself, and why, in a reader's words. */
export interface ScriptRole {
  role: DeployRole;
  reason: string;
}

/** A shell script an entrypoint runs, followed: its exports and the commands it runs (the last `exec` last). */
export interface ScriptRun {
  path: string;
  /** The command that runs it (in the deploy file or the calling script). */
  calledFrom: SourceSpan;
  exports: EnvSetting[];
  commands: DeployCommand[];
  /** The role the script decides for itself (its commands carry it too); absent: its caller's. */
  role?: ScriptRole;
}

export interface Entrypoint {
  kind: EntrypointKind;
  /** Who names it, for messages: "Dockerfile (final stage)", "Procfile process web", "compose service api". */
  name: string;
  role: DeployRole;
  /** Why that role, in a reader's words: "final stage", "Procfile.dev is for development". */
  roleReason: string;
  /** The deploy file that defines it. */
  file: string;
  /** The Dockerfile stage it runs ('' when unnamed): Dockerfile entrypoints and compose services that build one. */
  stage?: { name: string; index: number; final: boolean };
  /** The command as the deploy file writes it (exec form, ENTRYPOINT + CMD, shell words). */
  command: DeployCommand;
  /** The image a compose service runs when it builds none (`image: mongo:7`). */
  image?: string;
  /** The Dockerfile whose image a compose service builds, absolute (a Dockerfile entrypoint's is its `file`). */
  dockerfile?: string;
  /** The folder a compose service builds its image from (`build: ./api`), absolute: where its project's files are. */
  buildContext?: string;
  /** The Python of the image it runs, when the base image's tag names it (`FROM python:3.7-slim`). */
  imagePython?: ImagePython;
  /** The working directory it starts in, as the deploy file gives it (a container or host path). */
  workingDirectory?: string;
  /**
   * The repository folder whose code it runs, when the deploy file names one (a Render service's `rootDir`);
   * otherwise the deploy file's own folder, above folders that only hold deploy files.
   */
  scope?: string;
  /** What the deploy file sets for it, in order (later settings win). */
  environment: EnvSetting[];
  /** Shell scripts it runs, in call order (nested scripts after their caller). */
  scripts: ScriptRun[];
  /** What it finally serves: the deploy command's target, or the last server a followed script starts. */
  serves: DeployCommand;
  /** `FLASK_SKIP_DOTENV=1` where it runs: the flask command and app.run() never load .env and .flaskenv. */
  dotenvSkipped?: EnvSetting;
}

/** The Python version a base image's tag names, and the FROM that names it. */
export interface ImagePython {
  major: number;
  minor: number;
  image: string;
  at: SourceSpan;
}

/** A Dockerfile `COPY`/`ADD` from the build context. */
export interface DeployCopy {
  /** The repository files it copies (that exist), absolute. */
  sources: string[];
  /** The destination as written (a container path). */
  destination: string;
  at: SourceSpan;
  /** The role of the entrypoints of the stage it is in (production unless only development stages use it). */
  role: DeployRole;
  /** False when the files land in a build stage that no image that runs holds (not built on, never `COPY --from`). */
  inImage: boolean;
  /**
   * What each copied file sets, when the copy lands as a `.env` or `.flaskenv` (which `flask run` and
   * python-dotenv load): rules read it here, never from disk.
   */
  dotenv?: { path: string; settings: EnvSetting[] }[];
}

export interface DeployModel {
  root: string;
  entrypoints: Entrypoint[];
  copies: DeployCopy[];
  /** Deploy files read (whether or not they define an entrypoint). */
  files: string[];
}

/** Each variable's effective setting for an entrypoint: later settings win, script exports last. */
export function effectiveEnvironment(entrypoint: Entrypoint): Map<string, EnvSetting> {
  const effective = new Map<string, EnvSetting>();
  const all = [
    ...entrypoint.environment,
    ...entrypoint.command.prefixEnv,
    ...entrypoint.scripts.flatMap((script) => [
      ...script.exports,
      ...script.commands.flatMap((command) => command.prefixEnv),
    ]),
  ];
  // A script's development-only branch (`if [ "$APP_ENV" = development ]`) is not what production gets.
  for (const setting of all) if (!setting.branch?.development) effective.set(setting.name, setting);
  if (entrypoint.serves !== entrypoint.command)
    for (const setting of entrypoint.serves.prefixEnv) effective.set(setting.name, setting);
  // gunicorn sets -e/raw_env in os.environ itself, over whatever the process inherited.
  for (const setting of entrypoint.environment)
    if (SERVER_ENV_ORIGINS.has(setting.origin)) effective.set(setting.name, setting);
  return effective;
}

/**
 * True when the command can serve the app: a WSGI server, `flask run`, `manage.py run`, or a Python script that
 * may start a server (not one the model read and found to start none, like a compose generator).
 */
export function servesApp(target: CommandTarget): boolean {
  if (target.kind === 'python-script') return target.servesApp !== false;
  return target.kind === 'wsgi-server' || target.kind === 'flask-run' || target.kind === 'manage-run';
}

/** The role a command runs in: its script's own, else its entrypoint's. */
export function commandRole(entrypoint: Entrypoint, command: DeployCommand): DeployRole {
  return command.role?.role ?? entrypoint.role;
}

/** True when the command starts Flask's development server (or may: `python app.py` is confirmed in Python). */
export function isDevServerTarget(target: CommandTarget): boolean {
  return target.kind === 'flask-run' || target.kind === 'manage-run' || target.kind === 'python-script';
}

/** The discovered kinds the model reads as deploy files (scripts and env files are reached through them). */
export const MODEL_KINDS: ReadonlySet<string> = new Set<string>([
  'dockerfile',
  'procfile',
  'yaml',
  'systemd',
  'supervisord',
  'package-json',
  'vercel',
  'zappa',
  'platform-start',
]);
