import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_CAPABILITIES, LspClient, type Diagnostic, type RpcMessage } from '../support/lsp-client.js';
import { applyTextEdits, type LspTextEdit } from '../support/lsp-edits.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

const APP =
  'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080, debug=True)\n';
const DOCKERFILE_DEV_SERVER =
  'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
const DOCKERFILE_GUNICORN =
  'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n';
const ERROR = 1;
const WARNING = 2;

interface CodeAction {
  title: string;
  kind: string;
  isPreferred?: boolean;
  edit: {
    changes?: Record<string, LspTextEdit[]>;
    documentChanges?: (
      | { kind: 'create'; uri: string }
      | { textDocument: { uri: string; version: number | null }; edits: LspTextEdit[] }
    )[];
  };
}

let project: TempProject | undefined;
let client: LspClient | undefined;
afterEach(() => {
  client?.kill();
  project?.remove();
  client = project = undefined;
});

async function start(
  files: Record<string, string>,
  capabilities: object = CLIENT_CAPABILITIES,
): Promise<{ project: TempProject; client: LspClient; initialize: RpcMessage }> {
  project = tempProject('secure-flask-lsp-');
  for (const [path, contents] of Object.entries(files)) project.write(path, contents);
  await project.git('init', '-q');
  client = new LspClient(project.root);
  const initialize = await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(project.root).href,
    capabilities,
    workspaceFolders: null,
  });
  client.notify('initialized', {});
  return { project, client, initialize };
}

const uriOf = (root: string, path: string) => pathToFileURL(join(root, path)).href;

function open(lsp: LspClient, uri: string, text: string, languageId = 'python', version = 1): void {
  lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
}

async function codeActions(
  lsp: LspClient,
  uri: string,
  diagnostics: Diagnostic[],
  only?: string[],
): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const reply = await lsp.request('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
  expect(reply.error).toBeUndefined();
  return reply.result as CodeAction[];
}

/** The edits a workspace edit makes to one document, in either of its two forms. */
function editsFor(action: CodeAction, uri: string): LspTextEdit[] {
  if (action.edit.changes) return action.edit.changes[uri] ?? [];
  return (action.edit.documentChanges ?? []).flatMap((change) =>
    'textDocument' in change && change.textDocument.uri === uri ? change.edits : [],
  );
}

describe('secure-flask server: the protocol', () => {
  it('answers initialize with its code action kinds, publishes a finding on open with its rule, page and deploy-aware severity, and exits 0 after shutdown', async () => {
    const { project, client, initialize } = await start({
      'app.py': APP,
      Dockerfile: DOCKERFILE_DEV_SERVER,
      'requirements.txt': 'flask==3.1.3\n',
    });
    const result = initialize.result as {
      capabilities: { codeActionProvider: { codeActionKinds: string[] }; textDocumentSync: number };
      serverInfo: { name: string };
    };
    expect(result.serverInfo.name).toBe('secure-flask');
    expect(result.capabilities.codeActionProvider.codeActionKinds).toEqual(['quickfix', 'source.fixAll.secure-flask']);
    const uri = uriOf(project.root, 'app.py');
    open(client, uri, APP);
    const [diagnostic, ...others] = await client.diagnostics(uri, 1);
    expect(others).toEqual([]);
    expect(diagnostic).toMatchObject({
      code: 'run-debug',
      source: 'secure-flask',
      severity: ERROR,
      codeDescription: {
        href: 'https://github.com/create-secure-flask/create-secure-flask/blob/main/docs/rules/run-debug.md',
      },
      range: { start: { line: 5, character: 39 }, end: { line: 5, character: 49 } },
    });
    // The message names the production entrypoint that runs this block: the Dockerfile on disk.
    expect(diagnostic?.message).toMatch(/production runs this file as a script: Dockerfile \(`python app\.py`\)/);
    expect(await client.shutdown()).toBe(0);
  });

  it('takes the severity from the open buffers: a Dockerfile edited (unsaved) to run Gunicorn makes the same finding a warning', async () => {
    const { project, client } = await start({
      'app.py': APP,
      Dockerfile: DOCKERFILE_DEV_SERVER,
      'requirements.txt': 'flask==3.1.3\n',
    });
    const appUri = uriOf(project.root, 'app.py');
    const dockerUri = uriOf(project.root, 'Dockerfile');
    open(client, appUri, APP);
    expect((await client.diagnostics(appUri, 1)).map((diagnostic) => diagnostic.severity)).toEqual([ERROR]);
    open(client, dockerUri, DOCKERFILE_DEV_SERVER, 'dockerfile');
    expect((await client.diagnostics(dockerUri, 1)).map((diagnostic) => diagnostic.code)).toEqual([
      'dockerfile-dev-server',
    ]);
    const from = client.messages.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri: dockerUri, version: 2 },
      contentChanges: [{ text: DOCKERFILE_GUNICORN }],
    });
    expect(await client.diagnostics(dockerUri, 2)).toEqual([]);
    const republished = await client.waitFor(
      (message) =>
        message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === appUri,
      'app.py diagnostics after the Dockerfile change',
      from,
    );
    const [warning] = (republished.params as { diagnostics: Diagnostic[] }).diagnostics;
    expect(warning).toMatchObject({ code: 'run-debug', severity: WARNING });
    expect(readFileSync(join(project.root, 'Dockerfile'), 'utf8')).toBe(DOCKERFILE_DEV_SERVER);
  });

  it("offers migrate's rewrite as the preferred quick fix, a suppression comment that silences the finding, and fix-all", async () => {
    const { project, client } = await start({ 'app.py': APP });
    const uri = uriOf(project.root, 'app.py');
    open(client, uri, APP);
    const diagnostics = await client.diagnostics(uri, 1);
    const actions = await codeActions(client, uri, diagnostics);
    expect(actions.map((action) => [action.kind, action.title])).toEqual([
      ['quickfix', expect.stringMatching(/debug/)],
      ['quickfix', 'Suppress run-debug here with a comment'],
      ['source.fixAll.secure-flask', 'Fix all secure-flask findings in this file'],
    ]);
    const [fix, suppress, fixAll] = actions as [CodeAction, CodeAction, CodeAction];
    expect(fix.isPreferred).toBe(true);
    const fixed = applyTextEdits(APP, editsFor(fix, uri));
    expect(fixed).toBe(APP.replace(', debug=True', ''));
    expect(applyTextEdits(APP, editsFor(fixAll, uri))).toBe(fixed);
    // Asked only for fix-all (what an editor asks on save), only fix-all comes back.
    expect((await codeActions(client, uri, diagnostics, ['source.fixAll'])).map((action) => action.kind)).toEqual([
      'source.fixAll.secure-flask',
    ]);

    const suppressed = applyTextEdits(APP, editsFor(suppress, uri));
    expect(suppressed).toBe(APP.replace('    app.run(', '    # secure-flask: ignore[run-debug]\n    app.run('));
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: suppressed }],
    });
    expect(await client.diagnostics(uri, 2)).toEqual([]);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: fixed }] });
    expect(await client.diagnostics(uri, 3)).toEqual([]);
    // The server never writes: the file on disk is as it was.
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
  });

  it("a Dockerfile's quick fix creates gunicorn.conf.py and adds gunicorn to requirements.txt in the same workspace edit", async () => {
    const { project, client } = await start({
      'app.py': APP.replace(', debug=True', ''),
      Dockerfile: DOCKERFILE_DEV_SERVER,
      'requirements.txt': 'flask==3.1.3\n',
    });
    const uri = uriOf(project.root, 'Dockerfile');
    open(client, uri, DOCKERFILE_DEV_SERVER, 'dockerfile');
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['dockerfile-dev-server']);
    const [fix] = await codeActions(client, uri, diagnostics, ['quickfix']);
    if (!fix) throw new Error('no quick fix for the Dockerfile');
    expect(fix.title).toMatch(/gunicorn/i);
    expect(applyTextEdits(DOCKERFILE_DEV_SERVER, editsFor(fix, uri))).toBe(
      DOCKERFILE_DEV_SERVER.replace(
        'CMD ["python", "app.py"]',
        'CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]',
      ),
    );
    const configUri = uriOf(project.root, 'gunicorn.conf.py');
    expect(fix.edit.documentChanges).toContainEqual({ kind: 'create', uri: configUri });
    expect(applyTextEdits('', editsFor(fix, configUri))).toMatch(/^_port = "8080"$/m);
    expect(applyTextEdits('flask==3.1.3\n', editsFor(fix, uriOf(project.root, 'requirements.txt')))).toBe(
      'flask==3.1.3\ngunicorn>=23\n',
    );

    // A client that cannot create files is not offered a fix that needs one; suppression still works.
    const limited = new LspClient(project.root);
    try {
      await limited.request('initialize', {
        processId: null,
        rootUri: pathToFileURL(project.root).href,
        capabilities: {},
      });
      open(limited, uri, DOCKERFILE_DEV_SERVER, 'dockerfile');
      const actions = await codeActions(limited, uri, await limited.diagnostics(uri, 1));
      expect(actions.map((action) => action.title)).toEqual(['Suppress dockerfile-dev-server here with a comment']);
      expect(actions[0]?.edit.changes?.[uri]).toEqual([
        {
          range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
          newText: '# secure-flask: ignore[dockerfile-dev-server]\n',
        },
      ]);
    } finally {
      limited.kill();
    }
  });

  it.each([
    ['.flaskenv', 'FLASK_APP=app\nFLASK_DEBUG=1\n', 'env-file-debug', 'FLASK_APP=app\n'],
    [
      'docker-compose.yml',
      'services:\n  web:\n    build: .\n    environment:\n      - FLASK_DEBUG=1\n      - PORT=8000\n',
      'compose-debug-env',
      'services:\n  web:\n    build: .\n    environment:\n      - PORT=8000\n',
    ],
    [
      'k8s/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          env:\n            - name: FLASK_DEBUG\n              value: "1"\n',
      'kubernetes-debug-env',
      undefined,
    ],
    ['Procfile', 'web: python app.py\n', 'process-dev-server', undefined],
    [
      'deploy/web.service',
      '[Service]\nExecStart=/usr/bin/gunicorn app:app\nEnvironment=FLASK_DEBUG=1\n',
      'process-debug-env',
      undefined,
    ],
    ['deploy/supervisord.conf', '[program:web]\ncommand=python app.py\n', 'process-dev-server', undefined],
  ])('%s: a diagnostic on open, and the suppression comment silences it', async (path, text, ruleId, fixedText) => {
    const { project, client } = await start({
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n',
      'requirements.txt': 'flask\n',
      [path]: text,
    });
    const uri = uriOf(project.root, path);
    open(client, uri, text, 'plaintext');
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual([ruleId]);
    const actions = await codeActions(client, uri, diagnostics, ['quickfix']);
    const [first] = actions;
    const suppress = actions.find((action) => action.title.startsWith('Suppress'));
    if (!first || !suppress) throw new Error(`missing actions: ${JSON.stringify(actions)}`);
    if (fixedText !== undefined) expect(applyTextEdits(text, editsFor(first, uri))).toBe(fixedText);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: applyTextEdits(text, editsFor(suppress, uri)) }],
    });
    expect(await client.diagnostics(uri, 2)).toEqual([]);
  });

  it('a shell script that the Dockerfile runs: the finding, its fix, and a comment line that keeps the script valid', async () => {
    const script = '#!/bin/sh\nexport FLASK_DEBUG=1\nexec gunicorn app:app\n';
    const { project, client } = await start({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'entrypoint.sh': script,
      Dockerfile: 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nCMD ["./entrypoint.sh"]\n',
    });
    const uri = uriOf(project.root, 'entrypoint.sh');
    open(client, uri, script, 'sh');
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity])).toEqual([['script-debug', ERROR]]);
    const [fix, suppress] = await codeActions(client, uri, diagnostics);
    if (!fix || !suppress) throw new Error('missing actions for the script');
    expect(applyTextEdits(script, editsFor(fix, uri))).toBe('#!/bin/sh\nexec gunicorn app:app\n');
    expect(applyTextEdits(script, editsFor(suppress, uri))).toBe(
      '#!/bin/sh\n# secure-flask: ignore[script-debug]\nexport FLASK_DEBUG=1\nexec gunicorn app:app\n',
    );
  });

  it('re-checks on change: a finding typed into a clean buffer appears at the new version, with the edit applied incrementally', async () => {
    const clean = 'from flask import Flask\n\napp = Flask(__name__)\n';
    const { project, client } = await start({ 'app.py': clean });
    const uri = uriOf(project.root, 'app.py');
    open(client, uri, clean);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'app.debug = True\n' },
      ],
    });
    expect(
      (await client.diagnostics(uri, 2)).map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
    ).toEqual([['app-debug-attribute', 3]]);
  });
});

describe('secure-flask server: bad input', () => {
  it('a document that is not a file, a huge document, malformed JSON and unknown methods get no diagnostics or an error reply, and the server goes on', async () => {
    const { project, client } = await start({ 'app.py': APP });
    // A buffer never saved: nothing to check it against, no diagnostics, no actions.
    open(client, 'untitled:Untitled-1', APP);
    expect(await codeActions(client, 'untitled:Untitled-1', [])).toEqual([]);
    // Past check's size limit (5 MiB), a file is not checked: an empty list, not a crash.
    const hugeUri = uriOf(project.root, 'huge.py');
    project.write('huge.py', '');
    open(client, hugeUri, `${APP}${'# padding\n'.repeat(600_000)}`);
    expect(await client.diagnostics(hugeUri, 1)).toEqual([]);
    client.sendRaw('Content-Length: 9\r\n\r\n{not json');
    const unknown = await client.request('secure-flask/noSuchMethod', {});
    expect(unknown.error?.code).toBe(-32601);
    const badParams = await client.request('textDocument/codeAction', {
      textDocument: { uri: 'file:///no/such/file.py' },
      range: null,
      context: null,
    });
    expect(badParams.result ?? []).toEqual([]);
    // Still serving: the real file gets its finding.
    const uri = uriOf(project.root, 'app.py');
    open(client, uri, APP);
    expect((await client.diagnostics(uri, 1)).map((diagnostic) => diagnostic.code)).toEqual(['run-debug']);
    expect(await client.shutdown()).toBe(0);
  });

  it('exit without shutdown ends the process with 1, as the protocol says', async () => {
    const { client } = await start({ 'app.py': APP });
    client.notify('exit', null);
    expect(await client.exited).toBe(1);
  });
});
