import type { ModelFileKind } from './model.js';

/**
 * What a deploy file must contain, as text, before the model reads anything from it: a file
 * without it defines no entrypoint, environment or service, so it is never parsed. Most YAML
 * in a repository (CI workflows, vendored icon metadata, lock files, docs) is neither compose
 * nor Kubernetes; most `.ini`/`.conf` files are not supervisord's.
 *
 * Each test errs towards a parse: YAML's top-level `services:` (compose) or `kind:` (a
 * Kubernetes object) is looked for at any indentation and in flow or JSON style, so a nested
 * key, a quoted key or an anchor that holds one still lets the file through.
 */
// A `services:` or `kind:` key, or an environment entry naming a config class (`APP_CONFIG: config.DevelopmentConfig`),
// as Helm values hold.
const YAML_SHAPE =
  /(?:^|[{,])[ \t]*["']?(?:services|kind)["']?[ \t]*:|^[ \t]*[A-Z][A-Z0-9_]*[ \t]*:[ \t]*["']?\w+(?:\.\w+)*\.[A-Z]\w*["']?[ \t]*(?:#.*)?$/m;

// A debug variable as a YAML key (`FLASK_DEBUG: true` in a Helm chart's values-dev.yaml), quoted or not.
const YAML_DEBUG_KEY = /^[ \t]*["']?(?:FLASK_DEBUG|FLASK_ENV|DASH_DEBUG|QUART_DEBUG)["']?[ \t]*:/m;

// An App Engine app.yaml's top-level `runtime: python39` (or the flexible environment's `runtime: python`).
const APP_ENGINE_RUNTIME = /^["']?runtime["']?[ \t]*:[ \t]*["']?python/m;

// A uWSGI YAML config's top-level `uwsgi:` map, or heroku.yml's `run:` map.
const UWSGI_YAML_KEY = /^(?:uwsgi|run)[ \t]*:/m;

// A serverless.yml's `custom.wsgi` map (the serverless-wsgi plugin), at any indentation.
const SERVERLESS_WSGI_KEY = /^[ \t]*["']?wsgi["']?[ \t]*:/m;

const SHAPES: Partial<Record<ModelFileKind, RegExp>> = {
  yaml: new RegExp(
    [YAML_SHAPE, YAML_DEBUG_KEY, APP_ENGINE_RUNTIME, UWSGI_YAML_KEY, SERVERLESS_WSGI_KEY]
      .map((shape) => shape.source)
      .join('|'),
    'm',
  ),
  // supervisord's `[program:x]`, a uWSGI config's `[uwsgi]` or a systemd unit's `[Service]` (`.ini`/`.conf` files
  // share the kind: a unit is recognised by its content, whatever its name).
  supervisord: /^[ \t]*\[[ \t]*(?:program:|uwsgi[ \t]*\]|Service[ \t]*\])/m,
  vercel: /@vercel\/python|@now\/(?:python|wsgi)|"(?:rewrites|routes)"/,
  zappa: /app_function/,
  'platform-start': /\b(?:run|cmd|startCommand)\b/,
  systemd: /^[ \t]*\[[ \t]*Service[ \t]*\]/m,
  // A package.json's scripts that may run Python: most package.json files (a frontend's) run none.
  'package-json': /"(?:[^"\\]|\\.)*\b(?:flask|python[\d.]*|py|gunicorn3?|waitress-serve|uwsgi|uvicorn|hypercorn)\b/,
};

/** True when a deploy file of this kind may define something the deploy model reads. */
export function mayDefineDeployment(kind: string, text: string): boolean {
  const shape = SHAPES[kind as ModelFileKind];
  return shape === undefined || shape.test(text);
}
