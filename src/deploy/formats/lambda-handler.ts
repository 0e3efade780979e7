import { basename } from '../model-command.js';
import { spanAt, serverCommand, type FileEntrypoint } from './common.js';

/**
 * A Python AWS Lambda handler that hands a WSGI app to an adapter: `serverless_wsgi.handle_request(app, event,
 * context)`, `awsgi.response(app, event, context)`, `make_lambda_handler(app)` (apig-wsgi). Lambda imports the
 * module (and through it the app's) and calls the handler: no module's `if __name__ == "__main__":` block runs.
 * Like a gunicorn config, it is known by its name (lambda.py, lambda_function.py, handler.py, app.py...) and
 * then its text, so a check of the whole project and one of named paths read the same handlers.
 */

/** The names a handler module is looked for under (its text decides). */
const HANDLER_NAME =
  /^(?:app|application|main|api|index|wsgi|server|lambda|handlers?)\.py$|(?:^|[_-])(?:lambda|handler)(?:[_-]|\.py$)/i;

// The adapter's import, then its call with the app (serverless_wsgi's own name for it, or awsgi/apig-wsgi's).
const ADAPTER_IMPORT = /^[ \t]*(?:import|from)[ \t]+(serverless_wsgi|awsgi|apig_wsgi)\b/m;
const ADAPTER_CALL = new RegExp(
  String.raw`\b(?:serverless_wsgi\.handle_request|handle_request|awsgi\.response|make_lambda_handler)\s*\(` +
    String.raw`|(?<![\w.])response\s*\(`,
);

const ADAPTERS: Readonly<Record<string, string>> = {
  serverless_wsgi: 'serverless-wsgi',
  awsgi: 'aws-wsgi',
  apig_wsgi: 'apig-wsgi',
};

/** True when the file's name and (when given) text are a Lambda WSGI handler's. */
export function isLambdaHandlerFile(path: string, source?: string): boolean {
  if (!HANDLER_NAME.test(basename(path))) return false;
  return source === undefined || (ADAPTER_IMPORT.test(source) && ADAPTER_CALL.test(source));
}

export function lambdaHandlerEntrypoints(path: string, source: string): FileEntrypoint[] {
  if (!isLambdaHandlerFile(path, source)) return [];
  const adapter = ADAPTERS[ADAPTER_IMPORT.exec(source)?.[1] ?? ''] ?? 'serverless-wsgi';
  const call = ADAPTER_CALL.exec(source);
  const start = call?.index ?? 0;
  const at = spanAt(path, source, start, start + (call?.[0].length ?? 0));
  const module = basename(path).replace(/\.py$/i, '');
  // The handler module is what Lambda imports: the app it hands on is imported from there.
  const command = serverCommand([adapter, basename(path)], at, 'aws-lambda', `${module}:app`);
  return [
    {
      kind: 'lambda-handler',
      name: `Lambda handler ${basename(path)}`,
      role: 'production',
      roleReason: `AWS Lambda imports ${basename(path)}, which serves the app through ${adapter}`,
      file: path,
      command,
      environment: [],
      envFiles: [],
    },
  ];
}
