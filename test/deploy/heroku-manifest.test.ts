import { describe, expect, it } from 'vitest';
import { mayDefineDeployment } from '../../src/deploy/deploy-shape.js';
import { withLazyParsers } from '../../src/deploy/lazy-parsers.js';
import { loadDeployModel } from '../../src/deploy/model-loader.js';
import type { DeployModel } from '../../src/deploy/model.js';

/** The model of an in-memory repository at /repo whose YAML files are deploy files. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const deployFiles = Object.keys(files).map((path) => ({ path, kind: 'yaml' as const }));
  return withLazyParsers(() => loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }));
}

const described = (model: DeployModel) =>
  model.entrypoints.map(
    (entrypoint) => `${entrypoint.name} ${entrypoint.role} \`${entrypoint.command.argv.join(' ')}\``,
  );

describe('heroku.yml in the deploy model', () => {
  it("reads each process type's command under run:, a development-named one as development", async () => {
    const manifest = [
      'build:',
      '  docker:',
      '    web: Dockerfile',
      'run:',
      '  web: python app.py',
      '  worker:',
      '    command:',
      '      - gunicorn --bind 0.0.0.0:$PORT wsgi:app',
      '    image: web',
      '  dev: flask run --debug',
      '',
    ].join('\n');
    expect(mayDefineDeployment('yaml', manifest)).toBe(true);
    expect(described(await modelOf({ '/repo/heroku.yml': manifest }))).toEqual([
      'heroku.yml process web production `python app.py`',
      'heroku.yml process worker production `gunicorn --bind 0.0.0.0:$PORT wsgi:app`',
      'heroku.yml process dev development `flask run --debug`',
    ]);
  });

  it('never throws on a manifest that is not one: no run map, a list, empty or null commands, bad YAML', async () => {
    for (const text of ['run: python app.py\n', 'run:\n  - web\n', 'run:\n  web:\n  worker: ""\n', 'run: [\n', '']) {
      expect(described(await modelOf({ '/repo/heroku.yml': text }))).toEqual([]);
    }
    // The same run: map in a file of another name is no Heroku manifest.
    expect(described(await modelOf({ '/repo/ci.yml': 'run:\n  web: python app.py\n' }))).toEqual([]);
  });
});
