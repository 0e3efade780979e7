import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { withLazyParsers } from '../../src/deploy/lazy-parsers.js';
import { effectiveEnvironment, type DeployModel } from '../../src/deploy/model.js';
import { rawEnvEntries } from '../../src/deploy/gunicorn-env.js';
import { debugSettingFix, gunicornEnvOptionEdits } from '../../src/deploy/deploy-edits.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import { parsePython } from '../../src/python/parser.js';
import { must } from '../support/must.js';

/** The model of an in-memory repository at /repo: Procfiles and Dockerfiles are deploy files. */
function modelOf(files: Record<string, string>): Promise<DeployModel> {
  const deployFiles: DeployFileRef[] = Object.keys(files).flatMap((path): DeployFileRef[] => {
    if (/Procfile$/.test(path)) return [{ path, kind: 'procfile' }];
    return /Dockerfile$/.test(path) ? [{ path, kind: 'dockerfile' }] : [];
  });
  return withLazyParsers(() => loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }));
}

/** `NAME=value origin line` for what gunicorn sets itself in each entrypoint. */
function serverEnvironment(model: DeployModel): string[][] {
  return model.entrypoints.map((entrypoint) =>
    entrypoint.environment
      .filter((setting) => setting.origin.startsWith('gunicorn'))
      .map((setting) => `${setting.name}=${setting.value} ${setting.origin} ${setting.at.path}:${setting.at.line}`),
  );
}

function applied(source: string, edits: readonly { start: number; end: number; replacement: string }[]): string {
  let text = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    text = text.slice(0, edit.start) + edit.replacement + text.slice(edit.end);
  return text;
}

/** The config with the raw_env item `value` removed as a fix removes it. */
function withoutItem(source: string, value: string): string {
  const entry = must(rawEnvEntries(source)?.find((candidate) => candidate.text === value));
  const removal = must(entry.removal);
  return applied(source, [{ ...removal, replacement: removal.replacement ?? '' }]);
}

function parsesCleanly(source: string): boolean {
  const tree = parsePython(source);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

describe("gunicorn's own environment in the deploy model", () => {
  it('reads -e/--env in every form argparse takes, each at its words', async () => {
    const procfile =
      'web: gunicorn -e FLASK_DEBUG=1 --env A=1 --env=B=2 -eC=3 app:app\n' +
      'worker: python -m gunicorn --bind :9000 -e QUART_DEBUG=1 app:app\n' +
      'other: flask run -e .env\n' +
      'api: FLASK_DEBUG=0 gunicorn -e FLASK_DEBUG=${FLASK_DEBUG} -e X=${UNSET:-on} app:app\n';
    const model = await modelOf({ '/repo/Procfile': procfile });
    expect(serverEnvironment(model)).toEqual([
      [
        'FLASK_DEBUG=1 gunicorn-env /repo/Procfile:1',
        'A=1 gunicorn-env /repo/Procfile:1',
        'B=2 gunicorn-env /repo/Procfile:1',
        'C=3 gunicorn-env /repo/Procfile:1',
      ],
      ['QUART_DEBUG=1 gunicorn-env /repo/Procfile:2'],
      [],
      // The shell expands the value from what the process has.
      ['FLASK_DEBUG=0 gunicorn-env /repo/Procfile:4', 'X=on gunicorn-env /repo/Procfile:4'],
    ]);
    const web = must(model.entrypoints[0]);
    const words = web.environment.filter((setting) => setting.origin === 'gunicorn-env').map((setting) => setting.at);
    expect(words.map((at) => procfile.slice(at.start, at.end))).toEqual([
      '-e FLASK_DEBUG=1',
      '--env A=1',
      '--env=B=2',
      '-eC=3',
    ]);
  });

  it('reads the raw_env of the config file -c names, the module python: names, or ./gunicorn.conf.py', async () => {
    const config = 'bind = "0.0.0.0:8000"\nraw_env = [\n    "FLASK_DEBUG=1",\n    compute(),\n    "APP=shop",\n]\n';
    const model = await modelOf({
      '/repo/a/Procfile': 'web: gunicorn -c gunicorn_config.py app:app\n',
      '/repo/a/gunicorn_config.py': config,
      '/repo/b/Procfile': 'web: gunicorn --config=python:deploy.gunicorn app:app\n',
      '/repo/b/deploy/gunicorn.py': 'raw_env = ("FLASK_ENV=development",)\n',
      '/repo/c/Procfile': 'web: gunicorn app:app\n',
      '/repo/c/gunicorn.conf.py': 'raw_env = "FLASK_DEBUG=true"\n',
      '/repo/d/Procfile': 'web: gunicorn app:app\n',
      '/repo/d/gunicorn_local.py': 'raw_env = ["FLASK_DEBUG=1"]\n',
    });
    expect(serverEnvironment(model)).toEqual([
      [
        'FLASK_DEBUG=1 gunicorn-raw-env /repo/a/gunicorn_config.py:3',
        'APP=shop gunicorn-raw-env /repo/a/gunicorn_config.py:5',
      ],
      ['FLASK_ENV=development gunicorn-raw-env /repo/b/deploy/gunicorn.py:1'],
      ['FLASK_DEBUG=true gunicorn-raw-env /repo/c/gunicorn.conf.py:1'],
      // No command loads gunicorn_local.py, and there is no gunicorn.conf.py beside the Procfile.
      [],
    ]);
    // Reported at the command that loads the file.
    expect(serverSettingDetections(model, '/repo/a/Procfile').map((detection) => detection.message)).toEqual([
      expect.stringMatching(/^gunicorn loads gunicorn_config\.py, whose raw_env \(line 3\) puts FLASK_DEBUG=1 /),
    ]);
  });

  it("reads gunicorn3 (Debian's name) as gunicorn: its -e options and the raw_env of its config", async () => {
    const model = await modelOf({
      '/repo/a/Procfile': 'web: gunicorn3 -e FLASK_DEBUG=1 app:app\n',
      '/repo/b/Procfile': 'web: exec /usr/bin/gunicorn3 -c conf.py app:app\n',
      '/repo/b/conf.py': 'raw_env = []\nraw_env.append("FLASK_DEBUG=true")\n',
    });
    expect(model.entrypoints.map((entrypoint) => entrypoint.serves.target)).toEqual([
      { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
      { kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' },
    ]);
    expect(serverEnvironment(model)).toEqual([
      ['FLASK_DEBUG=1 gunicorn-env /repo/a/Procfile:1'],
      ['FLASK_DEBUG=true gunicorn-raw-env /repo/b/conf.py:2'],
    ]);
  });

  it('-e on the command line replaces raw_env whole, GUNICORN_CMD_ARGS comes between, and both win over ENV', async () => {
    const model = await modelOf({
      '/repo/Procfile': 'web: gunicorn -e FLASK_DEBUG=0 -c conf.py app:app\n',
      '/repo/conf.py': 'raw_env = ["FLASK_DEBUG=1", "APP=shop"]\n',
      '/repo/api/Dockerfile':
        'FROM python:3.12-slim\nENV FLASK_DEBUG=0\nENV GUNICORN_CMD_ARGS="--workers 2 -e FLASK_DEBUG=1 -c deploy.py"\n' +
        'CMD ["gunicorn", "app:app"]\n',
      '/repo/api/deploy.py': 'raw_env = ["FLASK_ENV=development"]\n',
    });
    expect(serverEnvironment(model)).toEqual([
      ['FLASK_DEBUG=0 gunicorn-env /repo/Procfile:1'],
      ['FLASK_DEBUG=1 gunicorn-cmd-args /repo/api/Dockerfile:3'],
    ]);
    const api = must(model.entrypoints[1]);
    expect(effectiveEnvironment(api).get('FLASK_DEBUG')?.value).toBe('1');
    expect(serverSettingDetections(model, '/repo/Procfile')).toEqual([]);
  });
});

describe('removing a raw_env item', () => {
  it('keeps the file valid Python and the other items', () => {
    const cases: [string, string, string][] = [
      [
        'raw_env = [\n    "FLASK_DEBUG=1",  # for now\n    "APP=shop",\n]\n',
        'FLASK_DEBUG=1',
        'raw_env = [\n    "APP=shop",\n]\n',
      ],
      ['raw_env = ["APP=shop", "FLASK_DEBUG=1"]\n', 'FLASK_DEBUG=1', 'raw_env = ["APP=shop"]\n'],
      ['raw_env = ["FLASK_DEBUG=1", "APP=shop"]\n', 'FLASK_DEBUG=1', 'raw_env = ["APP=shop"]\n'],
      ['raw_env = ["FLASK_DEBUG=1"]\n', 'FLASK_DEBUG=1', 'raw_env = []\n'],
      ["raw_env = ('FLASK_DEBUG=1',)\n", 'FLASK_DEBUG=1', 'raw_env = ()\n'],
      // A tuple left with one item keeps a comma after it: without one it would be a plain string.
      ['raw_env = ("FLASK_DEBUG=1", "APP=shop")\n', 'FLASK_DEBUG=1', 'raw_env = ("APP=shop",)\n'],
      ['raw_env = ("APP=shop", "FLASK_DEBUG=1")\n', 'FLASK_DEBUG=1', 'raw_env = ("APP=shop",)\n'],
      ['raw_env = (\n    "FLASK_DEBUG=1",\n    "APP=shop"\n)\n', 'FLASK_DEBUG=1', 'raw_env = (\n    "APP=shop",\n)\n'],
    ];
    for (const [source, value, expected] of cases) {
      const rewritten = withoutItem(source, value);
      expect(rewritten, source).toBe(expected);
      expect(parsesCleanly(rewritten), rewritten).toBe(true);
    }
  });

  it('reads items added after the assignment (+=, append, extend) like the assigned ones; migrate removes each', () => {
    const source =
      'raw_env = ["APP=shop"]\nraw_env += ["FLASK_DEBUG=1"]\nraw_env.append("FLASK_ENV=development")  # dev\n' +
      'raw_env.extend(("B=2", name))\n';
    expect(rawEnvEntries(source)?.map((entry) => entry.text)).toEqual([
      'APP=shop',
      'FLASK_DEBUG=1',
      'FLASK_ENV=development',
      'B=2',
    ]);
    const cases: [string, string, string][] = [
      [source, 'FLASK_DEBUG=1', source.replace('["FLASK_DEBUG=1"]', '[]')],
      [source, 'FLASK_ENV=development', source.replace('raw_env.append("FLASK_ENV=development")  # dev\n', '')],
      // Not on a line of its own: the call gives way to `pass`, so the line still parses.
      ['x = 1; raw_env.append("FLASK_DEBUG=1")\n', 'FLASK_DEBUG=1', 'x = 1; pass\n'],
    ];
    for (const [before, value, expected] of cases) {
      const rewritten = withoutItem(before, value);
      expect(rewritten, before).toBe(expected);
      expect(parsesCleanly(rewritten), rewritten).toBe(true);
    }
    // A later assignment replaces what was added; an append under an `if` is not read (as an assignment there).
    expect(
      rawEnvEntries('raw_env = []\nraw_env.append("FLASK_DEBUG=1")\nraw_env = ["A=1"]\n')?.map((e) => e.text),
    ).toEqual(['A=1']);
    expect(rawEnvEntries('raw_env = []\nif x:\n    raw_env.append("FLASK_DEBUG=1")\n')?.map((e) => e.text)).toEqual([]);
  });

  it('reads the last top-level assignment and only its string literals', () => {
    const source = 'raw_env = ["FLASK_DEBUG=1"]\nif x:\n    raw_env = ["B=2"]\nraw_env = [f"A={a}", "C=3", name]\n';
    expect(rawEnvEntries(source)?.map((entry) => entry.text)).toEqual(['C=3']);
    expect(rawEnvEntries('bind = "0.0.0.0:80"\n')).toBeUndefined();
  });
});

describe('removing -e FLASK_DEBUG=1 from a command', () => {
  it('takes the option with its value, in every form (the words the model has, or the text)', async () => {
    const procfile =
      'web: gunicorn -e FLASK_DEBUG=1 --env A=1 app:app\nworker: gunicorn --env FLASK_DEBUG=yes app:app\n';
    const model = await modelOf({ '/repo/Procfile': procfile });
    const fixed = serverSettingDetections(model, '/repo/Procfile').map((detection) =>
      must(serverSettingFix(model, procfile, detection)),
    );
    expect(
      applied(
        procfile,
        fixed.flatMap((fix) => fix.edits),
      ),
    ).toBe('web: gunicorn --env A=1 app:app\nworker: gunicorn app:app\n');
    // The text fallback (a command inside `sh -c "..."`) leaves no dangling -e either.
    const lines: [string, string][] = [
      ['gunicorn -e FLASK_DEBUG=1 app:app', 'gunicorn app:app'],
      ['gunicorn --env FLASK_DEBUG=1 -b :80 app:app', 'gunicorn -b :80 app:app'],
      ['gunicorn --env=FLASK_DEBUG=1 app:app', 'gunicorn app:app'],
      ['gunicorn -eFLASK_DEBUG=1 app:app', 'gunicorn app:app'],
      ['gunicorn app:app -e "FLASK_DEBUG=1"', 'gunicorn app:app'],
      ['FLASK_DEBUG=1 gunicorn -e FLASK_DEBUG=0 app:app', 'gunicorn -e FLASK_DEBUG=0 app:app'],
    ];
    for (const [line, expected] of lines) {
      const fix = must(debugSettingFix(line, { start: 0, end: line.length }));
      expect(applied(line, fix.edits)).toBe(expected);
    }
    // Inside `sh -c "..."` the model expanded the value; the option goes whatever is written.
    const shell = 'CMD ["sh", "-c", "gunicorn -b :80 --env FLASK_ENV=${FLASK_ENV}"]';
    const edits = gunicornEnvOptionEdits(shell, { start: 0, end: shell.length }, 'FLASK_ENV');
    expect(applied(shell, edits)).toBe('CMD ["sh", "-c", "gunicorn -b :80"]');
  });
});
