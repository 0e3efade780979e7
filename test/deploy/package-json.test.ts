import { describe, expect, it } from 'vitest';
import { loadDeployModel } from '../../src/deploy/model-loader.js';
import { withLazyParsers } from '../../src/deploy/lazy-parsers.js';
import { fileKindOf } from '../../src/files/file-kinds.js';
import { mayDefineDeployment } from '../../src/deploy/deploy-shape.js';
import type { DeployModel } from '../../src/deploy/model.js';

/** The model of an in-memory repository at /repo whose package.json files are deploy files. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const deployFiles = Object.keys(files)
    .filter((path) => path.endsWith('package.json'))
    .map((path) => ({ path, kind: 'package-json' as const }));
  return withLazyParsers(() => loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }));
}

/** `name role argv line` for each entrypoint. */
function described(model: DeployModel): string[] {
  return model.entrypoints.map(
    (entrypoint) =>
      `${entrypoint.name} ${entrypoint.role} \`${entrypoint.command.argv.join(' ')}\` :${entrypoint.command.at.line}`,
  );
}

const SHOP = `{
  "name": "shop",
  "scripts": {
    "start": "npm run serve",
    "serve": "FLASK_APP=app.py flask run --debug",
    "start:prod": "gunicorn3 -w 2 wsgi:app",
    "dev": "concurrently -n WEB,API \\"vite\\" \\"npm run api\\"",
    "api": "python app.py",
    "local-start": "start /b npm run serve",
    "build": "vite build && python3 collect.py",
    "lint": "eslint src"
  }
}
`;

describe('npm package.json scripts in the deploy model', () => {
  it('is a deploy file by its name, read only when a script may run Python', () => {
    expect(fileKindOf('package.json')).toBe('package-json');
    expect(mayDefineDeployment('package-json', SHOP)).toBe(true);
    expect(mayDefineDeployment('package-json', '{"scripts": {"start": "react-scripts start"}}')).toBe(false);
  });

  it('each script that runs the app is an entrypoint; npm run and concurrently are followed into the scripts they run', async () => {
    const model = await modelOf({ '/repo/package.json': SHOP, '/repo/app.py': 'app.run()\n' });
    expect(described(model)).toEqual([
      // `start` runs `serve`: reached through it, with its role (production unless plainly a developer's).
      'package.json script start production `flask run --debug` :5',
      'package.json script start:prod production `gunicorn3 -w 2 wsgi:app` :6',
      'package.json script dev development `python app.py` :8',
      'package.json script local-start development `flask run --debug` :5',
    ]);
    const [start] = model.entrypoints;
    expect(start?.command.target).toEqual({ kind: 'flask-run', debug: true, debugFlag: '--debug' });
    expect(start?.command.prefixEnv.map((setting) => `${setting.name}=${setting.value}`)).toEqual(['FLASK_APP=app.py']);
    // The words are where the file writes them: a fix can remove `--debug` there.
    const debugWord = start?.command.words?.find((word) => word.text === '--debug');
    expect(SHOP.slice(debugWord?.start, debugWord?.end)).toBe('--debug');
  });

  it('a start that runs a dev script, or that also watches files, is development', async () => {
    const model = await modelOf({
      '/repo/package.json': JSON.stringify({
        scripts: {
          start: 'npm run start-dev',
          'start-dev': 'py -m flask --debug run',
          serve: 'concurrently "webpack --mode development --watch" "flask run"',
        },
      }),
    });
    expect(model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.role, entrypoint.roleReason])).toEqual([
      ['package.json script start', 'development', 'the npm script start runs start-dev, which is for development'],
      [
        'package.json script serve',
        'development',
        "the npm script serve also runs `webpack --mode development --watch`, which watches files: a developer's loop",
      ],
    ]);
  });

  it('adds nothing for a package.json whose scripts run no Python, or only a tool that serves nothing', async () => {
    const model = await modelOf({
      '/repo/web/package.json': '{"scripts": {"start": "react-scripts start", "build": "python3 copy.py"}}',
      '/repo/tools/package.json': '{"scripts": {"gen": "python3 gen.py"}}',
      '/repo/tools/gen.py': 'import json\nprint(json.dumps({}))\n',
      '/repo/bad/package.json': '{"scripts": {"start": "flask run"',
    });
    expect(model.entrypoints).toEqual([]);
  });
});
