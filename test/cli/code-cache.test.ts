import { cpSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { must } from '../support/must.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

// A project with a finding in Python (the parser loads) and one in a Procfile.
let project: TempProject;
let cacheHome: TempProject;

beforeAll(() => {
  project = tempProject('secure-flask-code-cache-');
  project.write(
    'app.py',
    'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=True)\n',
  );
  project.write('Procfile', 'web: flask db upgrade && FLASK_DEBUG=1 flask run --host 0.0.0.0\n');
  cacheHome = tempProject('secure-flask-cache-home-');
});

afterAll(() => {
  project.remove();
  cacheHome.remove();
});

// check and migrate run from their own bundle (dist/bin/<command>-cli.cjs), each with its own cache file.
const COMMANDS = [
  {
    command: 'check',
    args: ['check', '--format', 'json', '.'],
    results: ['process-debug-env', 'process-dev-server', 'run-debug'],
  },
  { command: 'migrate', args: ['migrate', '--json', '.'], results: ['Procfile', 'app.py'] },
];

/** The rule ids of check's findings, or the files migrate's dry run would change. */
function resultsOf(stdout: string): string[] {
  const parsed = JSON.parse(stdout) as { findings?: { ruleId: string }[]; files?: { path: string }[] };
  return (parsed.findings?.map((finding) => finding.ruleId) ?? parsed.files?.map((file) => file.path) ?? []).sort();
}

describe.each(COMMANDS)("$command's code cache", ({ command, args, results }) => {
  const run = (xdgCacheHome: string) => secureFlask(args, { cwd: project.root, env: { XDG_CACHE_HOME: xdgCacheHome } });
  const cacheFiles = () =>
    readdirSync(join(cacheHome.root, 'secure-flask')).filter(
      (name) => name.startsWith(`cli-${command}-`) && name.endsWith('.cache'),
    );

  it('is written on the first run and read on the next, with the same results and exit code', async () => {
    const first = await run(cacheHome.root);
    expect(first.exitCode).toBe(1);
    expect(resultsOf(first.stdout)).toEqual(results);
    const [file] = cacheFiles();
    const cache = join(cacheHome.root, 'secure-flask', must(file));
    const written = statSync(cache).mtimeMs;
    const second = await run(cacheHome.root);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(statSync(cache).mtimeMs).toBe(written);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('a corrupt cache file is rejected, changes nothing in the result, and is written anew', async () => {
    const reference = await run(cacheHome.root);
    const cache = join(cacheHome.root, 'secure-flask', must(cacheFiles()[0]));
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(cache, garbage);
    expect(await run(cacheHome.root)).toEqual(reference);
    expect(readFileSync(cache).equals(garbage)).toBe(false);
  });

  it('a cache folder that cannot be made costs nothing but the cache', async () => {
    const reference = await run(cacheHome.root);
    // Below a regular file no folder can be made, whoever runs the check.
    const blocked = join(project.write(`not-a-folder-${command}`, ''), 'cache');
    const result = await run(blocked);
    expect(result).toEqual(reference);
  });
});

describe("check's code cache and the parts a run compiles", () => {
  it('is written again when a run compiles a part the cached one had not (YAML after Python), then kept', async () => {
    const home = tempProject('secure-flask-cache-parts-');
    const pythonOnly = tempProject('secure-flask-cache-python-');
    const compose = tempProject('secure-flask-cache-compose-');
    try {
      pythonOnly.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n');
      compose.write(
        'docker-compose.yml',
        'services:\n  web:\n    build: .\n    environment:\n      FLASK_DEBUG: "1"\n',
      );
      const check = (cwd: string) =>
        secureFlask(['check', '--format', 'json', '.'], { cwd, env: { XDG_CACHE_HOME: home.root } });
      await check(pythonOnly.root);
      const folder = join(home.root, 'secure-flask');
      const cache = join(folder, must(readdirSync(folder).find((name) => name.startsWith('cli-check-'))));
      const first = readFileSync(cache);
      await check(pythonOnly.root);
      expect(readFileSync(cache).equals(first)).toBe(true);
      const composeRun = await check(compose.root);
      expect(resultsOf(composeRun.stdout)).toContain('compose-debug-env');
      const second = readFileSync(cache);
      expect(second.equals(first)).toBe(false);
      expect(await check(compose.root)).toEqual(composeRun);
      expect(readFileSync(cache).equals(second)).toBe(true);
    } finally {
      for (const folder of [home, pythonOnly, compose]) folder.remove();
    }
  });
});

describe('without the bundles', () => {
  // The built bins without check-cli.cjs and migrate-cli.cjs, in a package folder of their own that finds
  // its dependencies where the repository keeps them: both commands load as ES modules then.
  let unbundled: TempProject;
  beforeAll(() => {
    unbundled = tempProject('secure-flask-unbundled-');
    cpSync(join(REPO_ROOT, 'package.json'), join(unbundled.root, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(unbundled.root, 'node_modules'));
    cpSync(join(REPO_ROOT, 'dist', 'bin'), join(unbundled.root, 'dist', 'bin'), {
      recursive: true,
      filter: (source) => !source.endsWith('-cli.cjs'),
    });
  });
  afterAll(() => unbundled.remove());

  it.each(COMMANDS)('$command gives the same output and exit code from the ES modules', async ({ args }) => {
    const emptyCache = tempProject('secure-flask-unbundled-cache-');
    try {
      const env = { XDG_CACHE_HOME: emptyCache.root };
      const bundled = await runBin(SECURE_FLASK_BIN, args, { cwd: project.root, env });
      const fromModules = await runBin(join(unbundled.root, 'dist', 'bin', 'secure-flask.js'), args, {
        cwd: project.root,
        env,
      });
      expect(fromModules).toEqual(bundled);
      expect(bundled.exitCode).toBe(1);
      // Only the bundled run made a cache: the other loaded no bundle.
      expect(readdirSync(join(emptyCache.root, 'secure-flask'))).toHaveLength(1);
    } finally {
      emptyCache.remove();
    }
  });
});
