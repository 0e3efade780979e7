import type { Requirement } from '../core/findings.js';
import { flaskReleaseOfFile, type FlaskRelease } from './flask-release.js';

/** What runs a process that gets a debug variable, as far as the deploy model tells. */
export interface RunsWith {
  /**
   * The production servers that serve every process getting the variable (gunicorn, waitress): none of them
   * serves Werkzeug's console. Empty or unset when a development server may, or when nothing known runs it.
   */
  productionServers?: readonly string[];
  /** The oldest Flask among the processes that get it (FLASK_ENV matters before 2.3 only). */
  flask?: FlaskRelease;
}

const SERVER_NAMES: Readonly<Record<string, string>> = { uwsgi: 'uWSGI', hypercorn: 'Hypercorn' };

/**
 * Environment variables that turn Flask's debug mode on. FLASK_DEBUG follows
 * flask.helpers.get_debug_flag(): any non-empty value except 0/false/no is on
 * ("off" is on!). FLASK_ENV=development did the same before Flask 2.3 and is
 * still read by many apps and extensions.
 */
export function debugVariableEffect(name: string, rawValue: string, runsWith: RunsWith = {}): string | undefined {
  const value = unquote(rawValue.trim());
  if (name === 'FLASK_DEBUG' && value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase())) {
    const servers = runsWith.productionServers ?? [];
    if (servers.length === 0) return `FLASK_DEBUG=${value} turns Flask's debug mode and the interactive debugger on`;
    // Flask reads FLASK_DEBUG when the app is created (make_config), whatever serves it; only Werkzeug's
    // development server wraps the app in the debugger.
    const named = servers.map((server) => SERVER_NAMES[server] ?? server).join(' and ');
    return (
      `FLASK_DEBUG=${value} turns Flask's debug mode on under ${named} (no interactive debugger there, but ` +
      "unhandled errors bypass the app's 500 handler, templates reload and code gated on app.debug runs)"
    );
  }
  if (name === 'FLASK_ENV' && value.toLowerCase() === 'development') {
    return 'FLASK_ENV=development turns debug mode on (Flask < 2.3 and many extensions still read it)';
  }
  // Dash.run(debug=None) reads DASH_DEBUG with the same truthy words and passes it to Flask's run().
  if (name === 'DASH_DEBUG' && /^(?:1|true|yes|on|t|y)$/i.test(value)) {
    return `DASH_DEBUG=${value} turns on the debugger of a Dash app started with app.run()`;
  }
  if (name === 'QUART_DEBUG' && value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase())) {
    return (
      `QUART_DEBUG=${value} puts a Quart app in debug mode: ` +
      'tracebacks with source and frame locals (disclosure, no console)'
    );
  }
  return undefined;
}

/**
 * Whether a FLASK_SKIP_DOTENV value stops the flask command and app.run() from loading .env and .flaskenv:
 * flask.helpers.get_load_dotenv() loads them when it is unset, empty, or 0/false/no (any case).
 */
export function skipsDotenv(rawValue: string): boolean {
  const value = unquote(rawValue.trim());
  return value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase());
}

/**
 * FLASK_ENV stopped turning debug mode on in Flask 2.3: with an older Flask pinned it does (an error
 * like FLASK_DEBUG); unpinned or newer, it does nothing today but would on a downgrade (a warning).
 * QUART_DEBUG is disclosure without a console (a warning too).
 */
export function debugVariableIsWarningOnly(name: string, flaskPin: { major?: number; minor?: number }): boolean {
  if (name === 'QUART_DEBUG') return true;
  if (name !== 'FLASK_ENV') return false;
  const { major, minor } = flaskPin;
  const olderThan23 = major !== undefined && (major < 2 || (major === 2 && minor !== undefined && minor < 3));
  return !olderThan23;
}

/** DASH_DEBUG matters only where a Dash app is started with run() and debug unset: the engine confirms one. */
const DASH_RUN: Requirement = { kind: 'dash-run-reads-env' };

/**
 * A debug variable set in a deploy file at `path`: what it does, whether it is only a warning
 * there, and what the project must hold for it to matter (DASH_DEBUG: a Dash app that reads it).
 */
export function debugVariableFinding(
  name: string,
  rawValue: string,
  path: string,
  runsWith: RunsWith = {},
): { effect: string; warningOnly: boolean; requires?: Requirement } | undefined {
  const effect = debugVariableEffect(name, rawValue, runsWith);
  if (!effect) return undefined;
  if (name === 'DASH_DEBUG') return { effect, warningOnly: false, requires: DASH_RUN };
  if (name !== 'FLASK_ENV') return { effect, warningOnly: debugVariableIsWarningOnly(name, {}) };
  const flask = runsWith.flask ?? flaskReleaseOfFile(path);
  if (!debugVariableIsWarningOnly(name, flask))
    return { effect: `FLASK_ENV=development turns debug mode on: ${flask.basis}`, warningOnly: false };
  return {
    effect: `${VERSION_BOUND_EFFECT} (${flask.basis}), but turns debug mode on if an older Flask is installed`,
    warningOnly: true,
    requires: { kind: 'app-reads-variable', variable: name },
  };
}

const VERSION_BOUND_EFFECT = 'FLASK_ENV=development has no effect on Flask 2.3 and later';

/**
 * A FLASK_ENV finding's message when the project's own code decides by the variable (`read`, where and
 * what): its words about Flask's version give way to that code, which reads it on any Flask.
 */
export function appDecidingMessage(message: string, read: { at: string; text: string }): string {
  const start = message.indexOf(VERSION_BOUND_EFFECT);
  const end = message.indexOf('installed', start);
  if (start < 0 || end < 0) return message;
  return (
    `${message.slice(0, start)}FLASK_ENV=development matters whatever Flask's version: ` +
    `the app reads FLASK_ENV itself and decides by it (${read.at}: \`${read.text}\`)` +
    message.slice(end + 'installed'.length)
  );
}

/** What the rules that read debug variables say of the Flask family's own (their pages end with it). */
export const FAMILY_VARIABLES_DOC =
  ' Under a production server (gunicorn, waitress, uWSGI) `FLASK_DEBUG` still turns debug mode on, but no ' +
  "console is served: unhandled errors bypass the app's 500 handler and code gated on `app.debug` runs (the " +
  'message names the server).' +
  ' `DASH_DEBUG=true` does the same for a Plotly Dash app started with `app.run()` and no `debug` argument ' +
  '(Dash reads the variable only then: it is reported when the project has such a run); `QUART_DEBUG=1` is a ' +
  "warning: Quart's debug mode shows tracebacks with source and frame locals, but no console. " +
  '`FLASK_ENV=development` turned debug mode on before Flask 2.3: an error when the project that runs with it ' +
  "pins an older Flask (a compose service's build context, else the deploy file's project), or when nothing " +
  "pins Flask and the image's Python is 3.7 or older (pip installs Flask 2.2 at most there), else a warning " +
  "that it would on a downgrade. When the project's own code reads `FLASK_ENV` and decides by it (compares it, " +
  "picks a config by it), Flask's version does not matter: the message names that line and the severity follows " +
  'what the deploy files run, as for `FLASK_DEBUG`.';

/** What the rules that read commands say of gunicorn's own environment (their pages end with it). */
export const GUNICORN_ENV_DOC =
  ' gunicorn sets variables itself, over what its process inherits: `-e FLASK_DEBUG=1` (`--env`, `--env=`, ' +
  '`-eFLASK_DEBUG=1`) on its command line or in `GUNICORN_CMD_ARGS`, and the `raw_env` list of the config file it ' +
  'loads (the one `-c`/`--config` names, `python:module` too, else `./gunicorn.conf.py`). The command line ' +
  'replaces `raw_env` whole, as gunicorn does. Migrate removes `-e` with its value, and the `raw_env` item from ' +
  'the config file (`raw_env = []` when it was the only one); a value in `GUNICORN_CMD_ARGS` is left for a person.';

export const DEBUG_VARIABLE_PREFILTER = /FLASK_DEBUG|FLASK_ENV|DASH_DEBUG|QUART_DEBUG/;
/**
 * A command that runs gunicorn may get debug variables from gunicorn's config file (raw_env) with no variable
 * written in the deploy file itself: the rules that read commands let such files through too.
 */
export const GUNICORN_KEYWORD = 'gunicorn';
export const GUNICORN_PREFILTER = /gunicorn/;
/** Words one of which a file that sets a debug variable contains (the rules' screening keywords). */
export const DEBUG_VARIABLE_KEYWORDS: readonly string[] = ['FLASK_', 'DASH_DEBUG', 'QUART_DEBUG'];

export function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.endsWith(first) && value.length >= 2) return value.slice(1, -1);
  return value;
}

/** `.env.development`, `compose.dev.yml`, a `FROM python AS dev` stage: meant for development only. */
export const DEVELOPMENT_ONLY_NAME = /(?:^|[._-])(?:dev|development|local|test|testing|override)(?:[._-]|$)/i;
