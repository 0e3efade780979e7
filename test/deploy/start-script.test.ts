import { describe, expect, it } from 'vitest';
import { loadDeployModel } from '../../src/deploy/model-loader.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import type { DeployModel } from '../../src/deploy/model.js';

/** The model of an in-memory repository at /repo whose files are `files`, with `startScripts` offered as such. */
function modelOf(files: Record<string, string>, startScripts: string[]): Promise<DeployModel> {
  const deployFiles = Object.keys(files)
    .filter((path) => path.endsWith('Procfile'))
    .map((path) => ({ path, kind: 'procfile' as const }));
  return withShellGrammar(() =>
    loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path], startScripts }),
  );
}

const START = '#!/bin/sh\nexport FLASK_DEBUG=1\nexec gunicorn --bind 0.0.0.0:8000 wsgi:app\n';

describe('a start script no deploy file runs', () => {
  it('is a production entrypoint of its own when it starts a server; one named for development is no deployment', async () => {
    const model = await modelOf({ '/repo/start.sh': START, '/repo/start_dev.sh': START }, [
      '/repo/start.sh',
      '/repo/start_dev.sh',
    ]);
    expect(
      model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role, entrypoint.serves.target.kind]),
    ).toEqual([['start.sh (a start script no deploy file runs)', 'production', 'wsgi-server']]);
    expect(model.entrypoints[0]?.scripts.map((script) => script.exports.map((setting) => setting.name))).toEqual([
      ['FLASK_DEBUG'],
    ]);
  });

  it('is not one when a deploy file runs it, or when it starts no server', async () => {
    const model = await modelOf(
      { '/repo/Procfile': 'web: sh start.sh\n', '/repo/start.sh': START, '/repo/lint.sh': 'ruff check .\n' },
      ['/repo/start.sh', '/repo/lint.sh'],
    );
    expect(model.entrypoints.map((entrypoint) => entrypoint.name)).toEqual(['Procfile process web']);
  });

  it("is a developer's setup when it makes its own virtualenv and starts the development server", async () => {
    const setup = 'python3 -m venv .venv\n. .venv/bin/activate\nexport FLASK_ENV=development\nflask run\n';
    const provision = 'python3 -m venv /srv/venv\nexec /srv/venv/bin/gunicorn wsgi:app\n';
    const model = await modelOf({ '/repo/notes.sh': setup, '/repo/provision.sh': provision }, [
      '/repo/notes.sh',
      '/repo/provision.sh',
    ]);
    expect(model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role])).toEqual([
      ['notes.sh (a start script no deploy file runs)', 'development'],
      ['provision.sh (a start script no deploy file runs)', 'production'],
    ]);
  });
});
