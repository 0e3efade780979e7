import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

// More Python to parse than the pool's threshold (PARSE_IN_WORKERS_FROM_BYTES, 1 MiB): with two jobs the
// parsing is shared with a worker thread; with one it all runs on the main thread.
const MODULES = 10;
const MODULE_BYTES = 128 * 1024;

function largeModule(index: number): string {
  const parts = ['from flask import Flask, jsonify\n\napp = Flask(__name__)\n'];
  for (let route = 0; parts.join('').length < MODULE_BYTES; route++)
    parts.push(
      `\n\n@app.route("/m${index}/r${route}")\ndef view_${route}():\n    values = [n * ${route} for n in range(7)]\n` +
        '    return jsonify(values=values, total=sum(values))\n',
    );
  // Every other module has a finding, in a different place in each batch.
  if (index % 2 === 0) parts.push('\n\nif __name__ == "__main__":\n    app.run(debug=True)\n');
  return parts.join('');
}

let project: TempProject;

beforeAll(() => {
  project = tempProject('secure-flask-worker-pool-');
  for (let index = 0; index < MODULES; index++) project.write(`service_${index}/app.py`, largeModule(index));
  project.write('Procfile', 'web: flask --app service_0.app run --debug\n');
});

afterAll(() => project.remove());

describe('check with worker threads', () => {
  it('parsing shared with a worker gives the findings, order and exit code of one thread', async () => {
    const single = await secureFlask(['check', '--jobs', '1', '--format', 'json', '.'], { cwd: project.root });
    const pooled = await secureFlask(['check', '--jobs', '2', '--format', 'json', '.'], { cwd: project.root });
    expect(single.exitCode).toBe(1);
    const findings = (JSON.parse(single.stdout) as { findings: { path: string }[] }).findings;
    expect(findings.filter((finding) => finding.path.endsWith('app.py'))).toHaveLength(MODULES / 2);
    expect(pooled).toEqual(single);
  });
});
