import { beforeAll, describe, expect, it } from 'vitest';
import { dockerCommandText, dockerInstructions } from '../../src/deploy/formats/dockerfile-instructions.js';
import { dockerfileModel } from '../../src/deploy/formats/dockerfile.js';
import { resolveImage } from '../../src/deploy/install-location.js';
import { memoryFiles } from '../../src/deploy/project-files.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { runCheck } from '../../src/check/run-check.js';
import { must } from '../support/must.js';
import { tempProject } from '../support/temp-project.js';

// Our own Dockerfile reader (see README, "Dockerfiles"): the `# escape=` directive and BuildKit heredocs.
beforeAll(() => loadShellParser());

describe('the Dockerfile reader', () => {
  it('continues lines with the escape character a `# escape=` directive sets, and keeps `\\` literal then', () => {
    const dockerfile =
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nWORKDIR C:\\app\nENV FLASK_APP=app.py `\n    FLASK_DEBUG=1\nCMD flask run `\n  --debug\n';
    const instructions = dockerInstructions(dockerfile);
    expect(instructions.map((instruction) => instruction.keyword)).toEqual(['FROM', 'WORKDIR', 'ENV', 'CMD']);
    expect(must(instructions[1]).args).toBe('C:\\app');
    expect(must(instructions[3]).args.replace(/\s+/g, ' ')).toBe('flask run --debug');
    const [entrypoint] = dockerfileModel('/repo/Dockerfile', dockerfile).entrypoints;
    expect(must(entrypoint).environment.map((setting) => [setting.name, setting.value])).toEqual([
      ['FLASK_APP', 'app.py'],
      ['FLASK_DEBUG', '1'],
    ]);
  });

  it('a directive counts only at the top: after a comment, `# escape=` is a comment', () => {
    const dockerfile = '# build the app\n# escape=`\nFROM python\nCMD flask run `\n  --debug\n';
    const instructions = dockerInstructions(dockerfile);
    expect(instructions.map((instruction) => instruction.keyword)).toEqual(['FROM', 'CMD']);
    expect(must(instructions[1]).args).toBe('flask run `');
  });

  it('reads a heredoc body as part of its instruction, never as instructions of its own', () => {
    const dockerfile =
      'FROM python:3.12\nRUN <<EOF\npip install flask\nenv FLASK_DEBUG=1 python -c "print(1)"\nEOF\n' +
      'COPY <<-EOT /app/settings.txt\n\tcmd=run\n\tEOT\nCMD ["gunicorn", "app:app"]\n';
    const instructions = dockerInstructions(dockerfile);
    expect(instructions.map((instruction) => instruction.keyword)).toEqual(['FROM', 'RUN', 'COPY', 'CMD']);
    const run = must(instructions[1]);
    expect(dockerCommandText(run)).toBe('pip install flask\nenv FLASK_DEBUG=1 python -c "print(1)"\n');
    expect(dockerfile.slice(run.start, run.end)).toBe(
      'RUN <<EOF\npip install flask\nenv FLASK_DEBUG=1 python -c "print(1)"\nEOF',
    );
    const model = dockerfileModel('/repo/Dockerfile', dockerfile);
    expect(model.entrypoints.flatMap((entry) => entry.environment)).toEqual([]);
  });

  it("migrate's install resolver reads pip install inside a RUN heredoc, at its place in the file", () => {
    const dockerfile = 'FROM python:3.12\nCOPY . .\nRUN <<EOF\nset -e\npip install flask requests\nEOF\nCMD x\n';
    const result = resolveImage(
      { path: '/repo/Dockerfile', source: dockerfile },
      dockerfile.lastIndexOf('CMD'),
      '/repo',
      memoryFiles({ '/repo/Dockerfile': dockerfile, '/repo/app.py': '' }),
    );
    expect(result.ok && result.value.install.kind === 'pip-line' && result.value.install.offset).toBe(
      dockerfile.indexOf('requests') + 'requests'.length,
    );
  });

  it('check reports nothing for a debug word inside a heredoc script (it was an ENV instruction before)', async () => {
    const project = tempProject('secure-flask-reader-');
    try {
      project.write(
        'Dockerfile',
        'FROM python:3.12\nCOPY . .\nRUN <<EOF\npip install flask gunicorn\nenv FLASK_DEBUG=1 flask routes\nEOF\nCMD ["gunicorn", "app:app"]\n',
      );
      project.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
      const report = await runCheck({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
      expect(report.findings.map((finding) => `${finding.line} ${finding.ruleId}`)).toEqual([]);
    } finally {
      project.remove();
    }
  });
});
