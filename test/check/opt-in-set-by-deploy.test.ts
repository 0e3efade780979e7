import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install flask\nCMD ["python", "app.py"]\n';

/** run-debug findings of an app.py whose main block is `guard` around app.run(debug=True), beside the deploy files. */
async function runDebugMessages(guard: string, files: Record<string, string>): Promise<string[]> {
  project = tempProject('secure-flask-opt-in-');
  project.write(
    'app.py',
    'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n' +
      `if __name__ == "__main__":\n    if ${guard}:\n        app.run(debug=True)\n    app.run()\n`,
  );
  for (const [path, text] of Object.entries(files)) project.write(path, text);
  const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
  return report.findings.filter((finding) => finding.ruleId === 'run-debug').map((finding) => finding.message);
}

const compose = (setting: string) => `services:\n  web:\n    build: .\n    environment:\n      - ${setting}\n`;

describe('an environment opt-in that a deploy file turns on', () => {
  it('is a finding when the entrypoint that runs the script gives the variable a value the guard accepts', async () => {
    expect(
      await runDebugMessages('os.getenv("DEBUG") == "1"', {
        Dockerfile: DOCKERFILE,
        'compose.yaml': compose('DEBUG=1'),
      }),
    ).toEqual([
      expect.stringMatching(/when `os\.getenv\("DEBUG"\) == "1"` holds, and compose\.yaml service web sets DEBUG=1/),
    ]);
    // Both sides of an `and` about the one variable.
    expect(
      await runDebugMessages('os.getenv("DEBUG") and os.getenv("DEBUG") == "1"', {
        Dockerfile: DOCKERFILE,
        'compose.yaml': compose('DEBUG=1'),
      }),
    ).toHaveLength(1);
    // Read as the guard reads it (`.lower()`), set by the image itself.
    expect(
      await runDebugMessages('os.environ.get("WANT_DEBUG", "").lower() in ("1", "yes")', {
        Dockerfile: DOCKERFILE.replace('CMD', 'ENV WANT_DEBUG=Yes\nCMD'),
      }),
    ).toEqual([expect.stringContaining('sets WANT_DEBUG=Yes')]);
  });

  it('is not a finding when the value is one the guard refuses, or nothing that runs the script sets it', async () => {
    expect(
      await runDebugMessages('os.getenv("DEBUG") == "1"', {
        Dockerfile: DOCKERFILE,
        'compose.yaml': compose('DEBUG=0'),
      }),
    ).toEqual([]);
    expect(await runDebugMessages('os.getenv("DEBUG") == "1"', { Dockerfile: DOCKERFILE })).toEqual([]);
    // Gunicorn imports the module: the main block never runs, whatever the variable says.
    expect(
      await runDebugMessages('os.getenv("DEBUG") == "1"', {
        Dockerfile: DOCKERFILE.replace('["python", "app.py"]', '["gunicorn", "app:app"]'),
        'compose.yaml': compose('DEBUG=1'),
      }),
    ).toEqual([]);
  });
});

/** run-debug findings of an app.py that runs `app.run(debug=<value>)` in its main block, beside the deploy files. */
async function debugValueMessages(head: string, value: string, files: Record<string, string>): Promise<string[]> {
  project = tempProject('secure-flask-opt-in-value-');
  project.write(
    'app.py',
    `import os\nfrom flask import Flask\n${head}\napp = Flask(__name__)\n\n` +
      `if __name__ == "__main__":\n    app.run(debug=${value})\n`,
  );
  for (const [path, text] of Object.entries(files)) project.write(path, text);
  const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
  return report.findings.filter((finding) => finding.ruleId === 'run-debug').map((finding) => finding.message);
}

describe('a debug argument read off the environment, off by default', () => {
  const withCompose = (setting: string) => ({ Dockerfile: DOCKERFILE, 'compose.yaml': compose(setting) });

  it('is a finding where the deploy file that runs the script gives it a value that turns it on', async () => {
    expect(
      await debugValueMessages('', 'os.getenv("APP_DEBUG", "no").lower() == "yes"', withCompose('APP_DEBUG=YES')),
    ).toEqual([
      expect.stringMatching(/once APP_DEBUG makes it true, and compose\.yaml service web sets APP_DEBUG=YES/),
    ]);
    // A module constant bound to the read, and a boolean reader's own words (decouple's cast=bool, environs).
    expect(
      await debugValueMessages(
        'DEBUG = os.environ.get("DEBUG", "0") in ("1", "true")\n',
        'DEBUG',
        withCompose('DEBUG=1'),
      ),
    ).toHaveLength(1);
    expect(
      await debugValueMessages(
        'from decouple import config\n',
        'config("DEBUG", default=False, cast=bool)',
        withCompose('DEBUG=True'),
      ),
    ).toHaveLength(1);
    expect(
      await debugValueMessages(
        'from environs import Env\nenv = Env()\n',
        'env.bool("DEBUG", False)',
        withCompose('DEBUG=on'),
      ),
    ).toHaveLength(1);
  });

  it('is not a finding when the deploy value keeps it off, nothing sets it, or a WSGI server imports the module', async () => {
    expect(
      await debugValueMessages('', 'os.getenv("APP_DEBUG", "no").lower() == "yes"', withCompose('APP_DEBUG=1')),
    ).toEqual([]);
    expect(
      await debugValueMessages(
        'from decouple import config\n',
        'config("DEBUG", default=False, cast=bool)',
        withCompose('DEBUG=False'),
      ),
    ).toEqual([]);
    expect(await debugValueMessages('', 'os.getenv("APP_DEBUG", "no") == "yes"', { Dockerfile: DOCKERFILE })).toEqual(
      [],
    );
    expect(
      await debugValueMessages('', 'os.getenv("APP_DEBUG", "no") == "yes"', {
        Dockerfile: DOCKERFILE.replace('["python", "app.py"]', '["gunicorn", "app:app"]'),
        'compose.yaml': compose('APP_DEBUG=yes'),
      }),
    ).toEqual([]);
  });
});
