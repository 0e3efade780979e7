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
