import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { must } from '../support/must.js';
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

const check = (xdgCacheHome: string) =>
  secureFlask(['check', '--format', 'json', '.'], { cwd: project.root, env: { XDG_CACHE_HOME: xdgCacheHome } });

function cacheFiles(): string[] {
  return readdirSync(join(cacheHome.root, 'secure-flask')).filter((name) => name.endsWith('.cache'));
}

describe("check's code cache", () => {
  it('is written on the first run and read on the next, with the same findings and exit code', async () => {
    const first = await check(cacheHome.root);
    expect(first.exitCode).toBe(1);
    expect(
      JSON.parse(first.stdout)
        .findings.map((finding: { ruleId: string }) => finding.ruleId)
        .sort(),
    ).toEqual(['process-debug-env', 'process-dev-server', 'run-debug']);
    const [file] = cacheFiles();
    const cache = join(cacheHome.root, 'secure-flask', must(file));
    const written = statSync(cache).mtimeMs;
    const second = await check(cacheHome.root);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(statSync(cache).mtimeMs).toBe(written);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('a corrupt cache file is rejected, changes nothing in the result, and is written anew', async () => {
    const reference = await check(cacheHome.root);
    const cache = join(cacheHome.root, 'secure-flask', must(cacheFiles()[0]));
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(cache, garbage);
    expect(await check(cacheHome.root)).toEqual(reference);
    expect(readFileSync(cache).equals(garbage)).toBe(false);
  });

  it('a cache folder that cannot be made costs nothing but the cache', async () => {
    const reference = await check(cacheHome.root);
    // Below a regular file no folder can be made, whoever runs the check.
    const blocked = join(project.write('not-a-folder', ''), 'cache');
    const result = await check(blocked);
    expect(result).toEqual(reference);
  });
});
