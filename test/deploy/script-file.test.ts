import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { reachOfPythonFinding } from '../../src/deploy/model-reach.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import { fileKindOf } from '../../src/files/file-kinds.js';

// The file a `python <script>` runs is what the image holds at that path: found once in the model, through the
// WORKDIR and COPY destinations, then the Dockerfile's folder, then the build context or the folders above it.

const KINDS: [RegExp, DeployFileRef['kind']][] = [
  [/(?:^|\/)Dockerfile[^/]*$/, 'dockerfile'],
  [/\.ya?ml$/, 'yaml'],
];

function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const refs: DeployFileRef[] = Object.keys(files).flatMap((path) => {
    const kind = KINDS.find(([name]) => name.test(path))?.[1];
    return kind ? [{ path, kind }] : [];
  });
  return withShellGrammar(() => loadDeployModel({ root: '/repo', files: refs, readText: (path) => files[path] }));
}

const APP = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run()\n';

/** The files each entrypoint's served script resolves to. */
function scriptFiles(model: DeployModel): (string | undefined)[] {
  return model.entrypoints.map((entrypoint) => {
    const { target } = entrypoint.serves;
    return target.kind === 'python-script' ? target.file : undefined;
  });
}

describe('the file a deploy command runs as a script', () => {
  it('is what the COPY put at WORKDIR/app.py, not the Dockerfile folder file of that name', async () => {
    const model = await modelOf({
      '/repo/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY src/ /app/\nCMD ["python", "app.py"]\n',
      '/repo/app.py': APP,
      '/repo/src/app.py': APP,
    });
    expect(scriptFiles(model)).toEqual(['/repo/src/app.py']);
    expect(reachOfPythonFinding(model, '/repo/src/app.py', true).reach).toBe('production');
    expect(reachOfPythonFinding(model, '/repo/app.py', true).reach).toBe('not-run');
  });

  it('a later COPY to the same path wins, and a file copied by name lands where it is named', async () => {
    const model = await modelOf({
      '/repo/Dockerfile':
        'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCOPY deploy/serve.py /srv/main.py\nCMD ["python", "main.py"]\n',
      '/repo/main.py': APP,
      '/repo/deploy/serve.py': APP,
    });
    expect(scriptFiles(model)).toEqual(['/repo/deploy/serve.py']);
  });

  it('a compose service runs the script of its own build folder, not another service’s', async () => {
    const model = await modelOf({
      '/repo/docker-compose.yml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n',
      '/repo/a/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
      '/repo/b/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
      '/repo/a/app.py': APP,
      '/repo/b/app.py': APP,
    });
    const runners = (file: string) =>
      reachOfPythonFinding(model, file, true).entrypoints.filter(
        (entrypoint) => entrypoint.command === 'python app.py',
      );
    expect(reachOfPythonFinding(model, '/repo/a/app.py', true).reach).toBe('production');
    expect(reachOfPythonFinding(model, '/repo/b/app.py', true).reach).toBe('not-run');
    expect(runners('/repo/a/app.py').map((entrypoint) => entrypoint.name)).toEqual([
      'Dockerfile',
      'docker-compose.yml service a',
    ]);
  });

  it('a Dockerfile built from the folder above it (`docker build -f docker/Dockerfile .`) runs that folder’s file', async () => {
    const model = await modelOf({
      '/repo/build/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD python app.py\n',
      '/repo/app.py': APP,
    });
    expect(scriptFiles(model)).toEqual(['/repo/app.py']);
    expect(reachOfPythonFinding(model, '/repo/app.py', true).reach).toBe('production');
  });
});

describe('host process configs, recognised by content', () => {
  it('reads a systemd unit kept as a .conf (or a template of one) and a supervisord program under any folder', async () => {
    expect(['vss.service.j2', 'vss.conf.tmpl', 'vss.ini'].map(fileKindOf)).toEqual([
      'systemd',
      'supervisord',
      'supervisord',
    ]);
    const files: Record<string, string> = {
      '/repo/ops/roles/api/templates/api.conf':
        '[Unit]\nDescription=api\n\n[Service]\nExecStart=/usr/bin/gunicorn wsgi:app\n',
    };
    const model = await withShellGrammar(() =>
      loadDeployModel({
        root: '/repo',
        files: [{ path: '/repo/ops/roles/api/templates/api.conf', kind: 'supervisord' }],
        readText: (path) => files[path],
      }),
    );
    expect(model.entrypoints.map((entrypoint) => [entrypoint.kind, entrypoint.serves.argv.join(' ')])).toEqual([
      ['systemd', '/usr/bin/gunicorn wsgi:app'],
    ]);
  });
});

describe('a command after a `cd`', () => {
  it('is not tied to the WORKDIR file of that name: the folder it runs in is not followed', async () => {
    const model = await modelOf({
      '/repo/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD cd backend && python app.py\n',
      '/repo/app.py': APP,
      '/repo/backend/app.py': APP,
    });
    expect(scriptFiles(model)).toEqual([undefined]);
    expect(reachOfPythonFinding(model, '/repo/backend/app.py', true).reach).toBe('production');
  });
});
