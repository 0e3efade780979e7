import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { must } from '../support/must.js';
import { tempProject } from '../support/temp-project.js';

// Flask's get_load_dotenv(): FLASK_SKIP_DOTENV set to anything but "", 0, false or no stops the flask command and
// app.run() from loading .env and .flaskenv, so a committed .flaskenv does not reach an image that sets it.
const SERVICE = 'from flask import Flask\n\napi = Flask(__name__)\n';
const FLASKENV = 'FLASK_APP=service:api\nFLASK_DEBUG=1\n';

function dockerfile(skip: string | undefined): string {
  return (
    'FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nRUN pip install flask\nEXPOSE 8000\n' +
    (skip === undefined ? '' : `ENV FLASK_SKIP_DOTENV=${skip}\n`) +
    'CMD ["flask", "run", "--host", "0.0.0.0", "--port", "8000"]\n'
  );
}

async function flaskenvFinding(files: Record<string, string>) {
  const project = tempProject('secure-flask-skipdotenv-');
  try {
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
    const found = report.findings.filter((finding) => finding.ruleId === 'env-file-debug');
    expect(found).toHaveLength(1);
    return must(found[0]);
  } finally {
    project.remove();
  }
}

describe('FLASK_SKIP_DOTENV in the image', () => {
  it.each([['1'], ['true'], ['yes'], ['"1"']])(
    'FLASK_SKIP_DOTENV=%s: a committed .flaskenv is not what the image runs (a warning that says why)',
    async (skip) => {
      const finding = await flaskenvFinding({
        Dockerfile: dockerfile(skip),
        '.flaskenv': FLASKENV,
        'service.py': SERVICE,
      });
      expect([finding.severity, finding.deployment?.reach]).toEqual(['warning', 'not-run']);
      expect(finding.message).toMatch(/FLASK_SKIP_DOTENV=1|FLASK_SKIP_DOTENV=true|FLASK_SKIP_DOTENV=yes/);
      expect(finding.message).toMatch(/never loads \.flaskenv/);
    },
  );

  it.each([['0'], ['false'], ['No'], ['""']])('FLASK_SKIP_DOTENV=%s still loads it: an error', async (skip) => {
    const finding = await flaskenvFinding({
      Dockerfile: dockerfile(skip),
      '.flaskenv': FLASKENV,
      'service.py': SERVICE,
    });
    expect([finding.severity, finding.deployment?.reach]).toEqual(['error', 'production']);
  });

  it('another production entrypoint that loads it keeps the error', async () => {
    const finding = await flaskenvFinding({
      Dockerfile: dockerfile('1'),
      Procfile: 'web: flask run --host 0.0.0.0 --port $PORT\n',
      '.flaskenv': FLASKENV,
      'service.py': SERVICE,
    });
    expect([finding.severity, finding.deployment?.reach]).toEqual(['error', 'production']);
    expect(finding.message).toMatch(/Procfile/);
  });
});
