import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { groupAlive } from '../support/group-server.js';
import { tempProject, type TempProject } from '../support/temp-project.js';
import { sarifValidator } from '../support/sarif-schema.js';
import { must } from '../support/must.js';

const python = inject('python');

const APP = `from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello"
`;
const SCRIPT_APP = `${APP}

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
`;

interface VerifyJson {
  containersBuilt: boolean;
  entrypoints: {
    file: string;
    line?: number;
    name: string;
    status: string;
    reason?: string;
    processGroup?: number;
    stopped?: boolean;
    exposures: { id: string }[];
    logTail: string[];
    command?: string[];
    environment?: string[];
  }[];
  development: { file: string }[];
  otherServices: { name: string; argv: string[] }[];
  summary: { entrypoints: number; exposed: number; clean: number; notStarted: number };
}

let project: TempProject;
afterEach(() => project?.remove());

async function verifyJson(root: string): Promise<{ exitCode: number; report: VerifyJson; stderr: string }> {
  const result = await secureFlask(['verify', '--python', python, '--format', 'json'], { cwd: root });
  expect(result.stdout, result.stderr).not.toBe('');
  const report = JSON.parse(result.stdout) as VerifyJson;
  // No server verify started outlives it.
  for (const entrypoint of report.entrypoints) {
    if (entrypoint.processGroup !== undefined) {
      expect(entrypoint.stopped).toBe(true);
      expect(groupAlive(entrypoint.processGroup)).toBe(false);
    }
  }
  return { exitCode: result.exitCode, report, stderr: result.stderr };
}

/** A scratch repository with these files. */
function repository(files: Record<string, string>): TempProject {
  const created = tempProject('secure-flask-verify-');
  for (const [path, contents] of Object.entries(files)) created.write(path, contents);
  return created;
}

const statuses = (report: VerifyJson) => report.entrypoints.map((entrypoint) => [entrypoint.file, entrypoint.status]);

async function migrated(root: string): Promise<void> {
  const result = await secureFlask(['migrate', '--write', '--allow-dirty', '.'], { cwd: root });
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
}

describe('secure-flask verify on fixture repositories, before and after migrate --write', () => {
  it('a Dockerfile with ENV FLASK_DEBUG=1 running flask run: exposed, then clean', async () => {
    project = repository({
      'app.py': APP,
      'requirements.txt': 'flask\n',
      Dockerfile:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENV FLASK_APP=app FLASK_DEBUG=1\nEXPOSE 5000\nCMD ["flask", "run", "--host=0.0.0.0"]\n',
    });
    const before = await verifyJson(project.root);
    expect(before.exitCode).toBe(1);
    expect(statuses(before.report)).toEqual([['Dockerfile', 'exposed']]);
    expect(before.report.entrypoints[0]).toMatchObject({ line: 7, environment: ['FLASK_APP', 'FLASK_DEBUG'] });
    expect(must(before.report.entrypoints[0]).exposures.map((found) => found.id)).toEqual([
      'development-server',
      'debugger-served',
      'debugger-console',
    ]);
    expect(before.report.containersBuilt).toBe(false);

    await migrated(project.root);
    const after = await verifyJson(project.root);
    expect(after.exitCode, JSON.stringify(after.report, null, 2)).toBe(0);
    expect(statuses(after.report)).toEqual([['Dockerfile', 'clean']]);
    expect(must(after.report.entrypoints[0]).exposures).toEqual([]);
  });

  it('a Procfile running python app.py with app.run(debug=True): exposed, then clean', async () => {
    project = repository({
      'app.py': SCRIPT_APP,
      'requirements.txt': 'flask\n',
      Procfile: 'web: python app.py\n',
      'Procfile.dev': 'web: flask --app app run --debug\n',
    });
    const before = await verifyJson(project.root);
    expect(before.exitCode).toBe(1);
    expect(statuses(before.report)).toEqual([['Procfile', 'exposed']]);
    expect(must(before.report.entrypoints[0]).command).toEqual([
      python,
      '<loopback harness>',
      expect.stringMatching(/^\d+$/),
      'script',
      'app.py',
    ]);
    expect(before.report.development.map((entrypoint) => entrypoint.file)).toEqual(['Procfile.dev']);

    await migrated(project.root);
    const after = await verifyJson(project.root);
    expect(after.exitCode, JSON.stringify(after.report, null, 2)).toBe(0);
    expect(statuses(after.report)).toEqual([['Procfile', 'clean']]);
  });

  it('a compose service setting FLASK_DEBUG for flask run: exposed, then clean', async () => {
    project = repository({
      'app.py': APP,
      'requirements.txt': 'flask\n',
      Dockerfile:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]\n',
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    command: flask run --host 0.0.0.0\n    environment:\n      FLASK_APP: app\n      FLASK_DEBUG: "1"\n    ports:\n      - "5000:5000"\n  proxy:\n    image: traefik:v2.1\n    command: --api.insecure=true --providers.docker\n',
    });
    const before = await verifyJson(project.root);
    expect(before.exitCode).toBe(1);
    expect(statuses(before.report)).toEqual(
      expect.arrayContaining([
        ['docker-compose.yml', 'exposed'],
        ['Dockerfile', 'clean'],
      ]),
    );
    // A third-party image starts no Python server: listed, not run, not a failure.
    expect(before.report.otherServices).toEqual([
      expect.objectContaining({ argv: ['--api.insecure=true', '--providers.docker'] }),
    ]);

    await migrated(project.root);
    const after = await verifyJson(project.root);
    expect(after.exitCode, JSON.stringify(after.report, null, 2)).toBe(0);
    expect(after.report.entrypoints.every((entrypoint) => entrypoint.status === 'clean')).toBe(true);
  });

  it('a systemd unit in deploy/ running the app with Environment=FLASK_DEBUG=1: run from the folder that has the script', async () => {
    project = repository({
      'app.py': `${APP}\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=80)\n`,
      'deploy/app.service':
        '[Unit]\nDescription=shop\n\n[Service]\nWorkingDirectory=/srv/shop\nEnvironment=FLASK_DEBUG=1\nExecStart=/srv/shop/venv/bin/python app.py\n\n[Install]\nWantedBy=multi-user.target\n',
    });
    const { exitCode, report } = await verifyJson(project.root);
    expect(exitCode, JSON.stringify(report, null, 2)).toBe(1);
    expect(report.entrypoints).toEqual([
      expect.objectContaining({ file: 'deploy/app.service', status: 'exposed', environment: ['FLASK_DEBUG'] }),
    ]);
  });

  it("a committed .flaskenv counts; a git-ignored one (a developer's) does not", async () => {
    project = repository({
      'app.py': APP,
      Procfile: 'web: flask run\n',
      '.flaskenv': 'FLASK_APP=app\nFLASK_DEBUG=1\n',
    });
    await project.git('init', '-q');
    await project.git('add', '.');
    await project.git('commit', '-qm', 'init');
    const committed = await verifyJson(project.root);
    expect(statuses(committed.report)).toEqual([['Procfile', 'exposed']]);

    project.write('.gitignore', '.flaskenv\n');
    await project.git('rm', '-q', '--cached', '.flaskenv');
    const ignored = await verifyJson(project.root);
    // Without FLASK_APP, flask run finds app.py by itself: debug stays off.
    expect(statuses(ignored.report)).toEqual([['Procfile', 'clean']]);
  });

  it('sarif: valid SARIF 2.1.0 pointing at the deploy file line; text says containers are not built', async () => {
    project = repository({
      'app.py': APP,
      Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nENV FLASK_DEBUG=1\nCMD flask --app app run --host 0.0.0.0\n',
    });
    const sarif = await secureFlask(['verify', '--python', python, '--format', 'sarif'], { cwd: project.root });
    expect(sarif.exitCode).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const debuggerResult = must(must(log.runs[0]).results.find((result) => result.ruleId === 'debugger-served'));
    expect(must(debuggerResult.locations[0]).physicalLocation).toEqual({
      artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4 },
    });

    const text = await secureFlask(['verify', '--python', python], { cwd: project.root });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('Containers are not built: each command runs on this machine');
    expect(text.stdout).toContain('EXPOSED');
    expect(text.stdout).toContain(
      'Exposed: 1 of 1 production entrypoint serve the debugger, a console or a traceback.',
    );
  });

  it('an entrypoint that does not start: exit 2 with the log tail', async () => {
    project = repository({
      'app.py': 'import missing_dependency\n',
      Procfile: 'web: gunicorn app:app\n',
    });
    const { exitCode, report } = await verifyJson(project.root);
    expect(exitCode).toBe(2);
    expect(report.entrypoints[0]).toMatchObject({
      status: 'not-started',
      reason: `exited before serving (exit code 3): missing_dependency is not installed for ${python} (install the app's requirements into that environment)`,
    });
    expect(must(report.entrypoints[0]).logTail.join('\n')).toContain(
      "ModuleNotFoundError: No module named 'missing_dependency'",
    );
  });

  it('Ctrl+C stops verify and the server it started', async () => {
    project = tempProject('secure-flask-verify-');
    // Starts, then takes its time before serving: verify is waiting when the signal comes.
    project.write('app.py', `import time\n\ntime.sleep(300)\n${SCRIPT_APP}`);
    project.write('Procfile', 'web: python app.py\n');
    // verify's own temp folder (the harness) goes here, to see that it is removed too.
    const scratch = join(project.root, '.scratch');
    mkdirSync(scratch);
    const child = execa(process.execPath, [SECURE_FLASK_BIN, 'verify', '--python', python, '--timeout', '120'], {
      cwd: project.root,
      reject: false,
      env: { NO_COLOR: '1', TMPDIR: scratch },
    });
    let stderr = '';
    const started = new Promise<number>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /process group (\d+)\)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
    });
    // Bounded: if verify ends before it starts the server, the test fails instead of waiting.
    const group = await Promise.race([
      started,
      child.then((result) => Promise.reject(new Error(`verify ended first: ${String(result.stderr)}`))),
    ]);
    expect(groupAlive(group)).toBe(true);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(stderr).toContain('SIGINT: stopping 1 started server (again to kill them now)');
    expect(groupAlive(group)).toBe(false);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('usage: no deploy files, a --python that is not Python, two paths; exit 2 with one line', async () => {
    project = repository({
      'app.py': APP,
    });
    const none = await secureFlask(['verify', '--python', python], { cwd: project.root });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^secure-flask verify: no production entrypoint in the deploy files under \./);
    const badPython = await secureFlask(['verify', '--python', 'no-such-python-3'], { cwd: project.root });
    expect(badPython.exitCode).toBe(2);
    expect(badPython.stderr.trim()).toBe(
      'secure-flask verify: error: --python no-such-python-3 does not run Python 3 (give the interpreter of the environment the app is installed in)',
    );
    const twoPaths = await secureFlask(['verify', 'a', 'b'], { cwd: project.root });
    expect(twoPaths.exitCode).toBe(2);
    expect(twoPaths.stderr.trim().split('\n')).toHaveLength(1);
  });
});
