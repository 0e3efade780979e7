import type { Document, Node } from 'yaml';
import { basename } from '../model-command.js';
import type { EnvSetting } from '../model.js';
import { isMap, isScalar, mapValue } from '../yaml-nodes.js';
import { spanAt, serverCommand, type FileEntrypoint } from './common.js';
import { DOTTED_APP, dottedToSpec, scalarEntries } from './zappa.js';

/**
 * A Serverless Framework serverless.yml with the serverless-wsgi plugin: `custom.wsgi.app: api.app` names the
 * WSGI app that each function (its `wsgi_handler.handler`, or a handler of the project's that calls
 * serverless_wsgi) serves on AWS Lambda. Lambda imports the module and never runs its `__main__` block.
 * Each function gets `provider.environment`, then its own `environment` (values with `${...}` variables,
 * which the framework resolves at deploy time, are left out).
 */

/** serverless-wsgi's handler, which it writes beside the function's code at package time. */
const WSGI_HANDLER = /^(?:wsgi_handler|wsgi)\.handler$/;

function scalarString(node: unknown): string {
  return isScalar(node) && typeof node.value === 'string' ? node.value.trim() : '';
}

/** The `custom.wsgi.app` scalar of a serverless.yml's document, when it names a dotted app. */
function wsgiApp(document: Document): { value: string; node: Node } | undefined {
  const app = mapValue(mapValue(mapValue(document.contents, 'custom'), 'wsgi'), 'app');
  if (!isScalar(app) || typeof app.value !== 'string') return undefined;
  const value = app.value.trim();
  return DOTTED_APP.test(value) ? { value, node: app } : undefined;
}

/** True when one of the documents is a serverless.yml that serves a WSGI app with serverless-wsgi. */
export function isServerlessWsgi(documents: readonly Document[]): boolean {
  return documents.some((document) => wsgiApp(document) !== undefined);
}

export function serverlessWsgiEntrypoints(
  path: string,
  source: string,
  documents: readonly Document[],
): FileEntrypoint[] {
  const document = documents.find((candidate) => wsgiApp(candidate) !== undefined);
  const app = document && wsgiApp(document);
  const range = app?.node.range;
  if (!document || !app || !range) return [];
  const at = spanAt(path, source, range[0], range[1]);
  const settings = (node: unknown): EnvSetting[] =>
    scalarEntries(node)
      .filter((entry) => !entry.value.includes('${'))
      .map((entry) => ({
        name: entry.name,
        value: entry.value,
        origin: 'serverless-environment',
        at: spanAt(path, source, entry.start, entry.end),
      }));
  const provider = settings(mapValue(mapValue(document.contents, 'provider'), 'environment'));
  const functions = mapValue(document.contents, 'functions');
  const named = isMap(functions)
    ? functions.items.flatMap((pair) =>
        isScalar(pair.key) ? [{ name: String(pair.key.value), node: pair.value }] : [],
      )
    : [];
  // The plugin's own handler (`wsgi_handler.handler`) marks the functions that serve the app; without one, a
  // handler of the project's may call serverless_wsgi, so each function counts. With none listed (they may come
  // from another file), the file's app is still what Lambda serves.
  const wsgiFunctions = named.filter((function_) =>
    WSGI_HANDLER.test(scalarString(mapValue(function_.node, 'handler'))),
  );
  const candidates = wsgiFunctions.length > 0 ? wsgiFunctions : named;
  const served = candidates.length > 0 ? candidates : [{ name: undefined, node: undefined }];
  const file = basename(path);
  return served.map((function_) => {
    const command = serverCommand(['serverless-wsgi', app.value], at, 'serverless-wsgi', dottedToSpec(app.value));
    return {
      kind: 'serverless-wsgi' as const,
      name: function_.name ? `${file} function ${function_.name}` : file,
      role: 'production' as const,
      roleReason: `serverless-wsgi serves ${app.value} on AWS Lambda, which imports the module`,
      file: path,
      command,
      environment: [...provider, ...settings(mapValue(function_.node, 'environment'))],
      envFiles: [],
    };
  });
}
