import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { withLazyParsers } from '../../src/deploy/lazy-parsers.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { modelFileKind } from '../../src/deploy/project-model.js';
import { fileKindOf } from '../../src/files/file-kinds.js';
import { planLaunch } from '../../src/runtime/launch-plan.js';
import { must } from '../support/must.js';
import { serverlessEnvironmentFix } from '../../src/deploy/app-engine-edits.js';
import { parseYamlDocuments } from '../../src/deploy/yaml-nodes.js';
import { loadYaml } from '../../src/files/yaml-library.js';

// AWS Lambda's WSGI platforms (zappa, serverless-wsgi, awsgi, apig-wsgi): production entrypoints that import
// the app's module and never run its `__main__` block.

/** The model of an in-memory repository at /repo, each file read as the kind discovery gives it. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const refs: DeployFileRef[] = Object.keys(files).flatMap((path) => {
    const kind = fileKindOf(path.slice(path.lastIndexOf('/') + 1));
    const modelKind = kind ? modelFileKind({ path, kind }) : undefined;
    return modelKind ? [{ path, kind: modelKind }] : [];
  });
  return withLazyParsers(() => loadDeployModel({ root: '/repo', files: refs, readText: (path) => files[path] }));
}

const summary = (model: DeployModel) =>
  model.entrypoints.map((entrypoint) => ({
    kind: entrypoint.kind,
    name: entrypoint.name,
    role: entrypoint.role,
    target: entrypoint.serves.target,
    environment: entrypoint.environment.map((setting) => `${setting.name}=${setting.value}@${setting.at.line}`),
  }));

describe('zappa_settings.json', () => {
  it('each stage with an app_function serves it; a stage takes the settings of the one it extends', async () => {
    const settings = [
      '{',
      '  "base": {"environment_variables": {"LOG_LEVEL": "info", "FLASK_DEBUG": "0"}},',
      '  "dev": {',
      '    "extends": "base",',
      '    "app_function": "notes.app",',
      '    "environment_variables": {"FLASK_DEBUG": "1"}',
      '  },',
      '  "prod": {"extends": "dev", "environment_variables": {}}',
      '}',
    ].join('\n');
    expect(summary(await modelOf({ '/repo/zappa_settings.json': settings }))).toEqual([
      {
        kind: 'zappa',
        name: 'zappa_settings.json stage dev',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'zappa', app: 'notes:app' },
        environment: ['LOG_LEVEL=info@2', 'FLASK_DEBUG=0@2', 'FLASK_DEBUG=1@6'],
      },
      {
        kind: 'zappa',
        name: 'zappa_settings.json stage prod',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'zappa', app: 'notes:app' },
        environment: ['LOG_LEVEL=info@2', 'FLASK_DEBUG=0@2', 'FLASK_DEBUG=1@6'],
      },
    ]);
  });

  it('reads the YAML form, and a package path app_function', async () => {
    const model = await modelOf({
      '/repo/zappa_settings.yml': 'live:\n  app_function: svc.web.app\n  environment_variables:\n    A: 1\n',
    });
    expect(summary(model)).toMatchObject([
      { name: 'zappa_settings.yml stage live', target: { app: 'svc.web:app' }, environment: ['A=1@4'] },
    ]);
  });

  it.each([
    ['invalid JSON', '{ "dev": { "app_function": '],
    ['not an object', '["dev"]'],
    ['a scalar', '"dev"'],
    ['no app_function', '{"dev": {"s3_bucket": "b"}}'],
    ['a number', '{"dev": {"app_function": 42}}'],
    ['a list', '{"dev": {"app_function": ["app.app"]}}'],
    ['no dotted name', '{"dev": {"app_function": "app"}}'],
    ['a Django project', '{"dev": {"django_settings": "site.settings"}}'],
    ['a loop of extends', '{"a": {"extends": "b"}, "b": {"extends": "a"}}'],
    ['an extends of a missing stage', '{"a": {"extends": "nowhere"}}'],
    ['an empty file', ''],
  ])('%s: no entrypoint, nothing thrown', async (_name, text) => {
    expect((await modelOf({ '/repo/zappa_settings.json': text })).entrypoints).toEqual([]);
  });

  it('environment values that are no scalar are left out, the others kept', async () => {
    const settings =
      '{"dev": {"app_function": "a.app", "environment_variables": {"L": ["1"], "M": {"x": 1}, "N": null, "O": true}}}';
    expect(summary(await modelOf({ '/repo/zappa_settings.json': settings }))[0]?.environment).toEqual(['O=true@1']);
    const listed = '{"dev": {"app_function": "a.app", "environment_variables": ["FLASK_DEBUG=1"]}}';
    expect(summary(await modelOf({ '/repo/zappa_settings.json': listed }))[0]?.environment).toEqual([]);
  });
});

describe('serverless.yml with serverless-wsgi', () => {
  const serverless = [
    'service: api',
    'provider:',
    '  name: aws',
    '  environment:',
    '    TABLE: items',
    '    SECRET: ${ssm:/api/secret}',
    'functions:',
    '  web:',
    '    handler: wsgi_handler.handler',
    '    environment:',
    '      FLASK_DEBUG: "1"',
    '  worker:',
    '    handler: jobs.run',
    'plugins:',
    '  - serverless-wsgi',
    'custom:',
    '  wsgi:',
    '    app: svc.app.app',
  ].join('\n');

  it("the plugin's handler serves custom.wsgi.app, with the provider environment and its own", async () => {
    expect(summary(await modelOf({ '/repo/serverless.yml': serverless }))).toEqual([
      {
        kind: 'serverless-wsgi',
        name: 'serverless.yml function web',
        role: 'production',
        target: { kind: 'wsgi-server', server: 'serverless-wsgi', app: 'svc.app:app' },
        // `${ssm:...}` is resolved at deploy time: not a value the model knows.
        environment: ['TABLE=items@5', 'FLASK_DEBUG=1@11'],
      },
    ]);
  });

  it("without the plugin's handler, every function may serve the app through a handler of the project's", async () => {
    const own = serverless.replace('wsgi_handler.handler', 'handler.handler');
    expect(summary(await modelOf({ '/repo/serverless.yml': own })).map((entry) => entry.name)).toEqual([
      'serverless.yml function web',
      'serverless.yml function worker',
    ]);
  });

  it('a file with no functions still serves its app', async () => {
    const model = await modelOf({ '/repo/serverless.yaml': 'custom:\n  wsgi:\n    app: api.app\n' });
    expect(summary(model)).toMatchObject([{ name: 'serverless.yaml', target: { app: 'api:app' } }]);
  });

  it.each([
    ['invalid YAML', 'custom:\n  wsgi:\n    app: [api.app\n'],
    ['no custom.wsgi', 'service: api\nfunctions:\n  web:\n    handler: app.handler\n'],
    ['wsgi without app', 'custom:\n  wsgi:\n    packRequirements: false\n'],
    ['a number', 'custom:\n  wsgi:\n    app: 42\n'],
    ['a map', 'custom:\n  wsgi:\n    app:\n      name: api.app\n'],
    ['a scalar custom', 'custom: wsgi\n'],
  ])('%s: no entrypoint, nothing thrown', async (_name, text) => {
    expect((await modelOf({ '/repo/serverless.yml': text })).entrypoints).toEqual([]);
  });
});

describe('Lambda handler modules', () => {
  it.each([
    [
      'lambda.py',
      'import serverless_wsgi\nfrom svc.app import app\n\n' +
        'def handler(event, context):\n    return serverless_wsgi.handle_request(app, event, context)\n',
      'serverless-wsgi',
    ],
    [
      'lambda_function.py',
      'import awsgi\nfrom app import app\n\n' +
        'def lambda_handler(event, context):\n    return awsgi.response(app, event, context)\n',
      'aws-wsgi',
    ],
    [
      'handler.py',
      'from apig_wsgi import make_lambda_handler\nfrom app import app\n\n' +
        'lambda_handler = make_lambda_handler(app)\n',
      'apig-wsgi',
    ],
  ])('%s hands the app to its adapter: Lambda imports it', async (name, text, adapter) => {
    const [entrypoint] = summary(await modelOf({ [`/repo/${name}`]: text }));
    expect(entrypoint).toMatchObject({
      kind: 'lambda-handler',
      name: `Lambda handler ${name}`,
      role: 'production',
      target: { kind: 'wsgi-server', server: 'aws-lambda', app: `${name.replace('.py', '')}:app` },
    });
    const model = await modelOf({ [`/repo/${name}`]: text });
    expect(must(model.entrypoints[0]).serves.argv).toEqual([adapter, name]);
  });

  it.each([
    ['an import without a call', 'lambda.py', 'import serverless_wsgi\nfrom app import app\n'],
    ['a call without the import', 'handler.py', 'def handler(e, c):\n    return handle_request(app, e, c)\n'],
    [
      'a module not named like a handler',
      'views.py',
      'import serverless_wsgi\ndef h(e, c):\n    return serverless_wsgi.handle_request(app, e, c)\n',
    ],
    ['an empty file', 'lambda.py', ''],
  ])('%s: no entrypoint', async (_name, file, text) => {
    expect((await modelOf({ [`/repo/${file}`]: text })).entrypoints).toEqual([]);
  });
});

describe('verify', () => {
  it.each([
    [['zappa', 'notes.app']],
    [['serverless-wsgi', 'svc.app.app']],
    [['aws-wsgi', 'lambda_function.py']],
    [['@vercel/python', 'api/index.py']],
  ])('does not try to start %j: a serverless platform imports the app', (argv) => {
    const decision = planLaunch(argv, {}, 8000, 'harness.py');
    expect(decision).toMatchObject({
      ok: false,
      reason: expect.stringContaining('a serverless platform importing the app'),
    });
  });
});

describe("migrate's serverless.yml edit", () => {
  it('removes a function environment entry, and the environment key with its only entry', async () => {
    await loadYaml();
    const source = [
      'provider:',
      '  environment:',
      '    FLASK_DEBUG: "1"',
      'functions:',
      '  web:',
      '    environment:',
      '      TABLE: items',
      '      FLASK_ENV: development',
      'custom:',
      '  wsgi:',
      '    app: api.app',
      '',
    ].join('\n');
    const documents = parseYamlDocuments(source);
    const apply = (start: number) => {
      const fix = must(serverlessEnvironmentFix(source, documents, start));
      const [edit] = fix.edits;
      return source.slice(0, must(edit).start) + must(edit).replacement + source.slice(must(edit).end);
    };
    expect(apply(source.indexOf('FLASK_ENV'))).not.toContain('FLASK_ENV');
    expect(apply(source.indexOf('FLASK_ENV'))).toContain('    environment:\n      TABLE: items\n');
    expect(apply(source.indexOf('FLASK_DEBUG'))).toBe(source.replace('  environment:\n    FLASK_DEBUG: "1"\n', ''));
    expect(serverlessEnvironmentFix(source, documents, source.indexOf('app: api'))).toBeUndefined();
  });
});
