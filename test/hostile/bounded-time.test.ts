import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { secureFlask } from '../support/cli.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

function scratch(): TempProject {
  const project = tempProject('secure-flask-bounded-');
  projects.push(project);
  return project;
}

describe('input size does not decide whether check finishes', () => {
  // Quadratic before (200,000 variables: minutes, then a stack overflow); the CLI's own 120 s bound turns a hang into a failure.
  it('compose env_file: .env with 200,000 variables is read, and its FLASK_DEBUG still found', async () => {
    const project = scratch();
    project.write('app.py', 'from flask import Flask\napp = Flask(__name__)\n');
    const lines = Array.from({ length: 200_000 }, (_, index) => `VAR_${index}=value${index}\n`);
    lines[150_000] = 'FLASK_DEBUG=1\n';
    project.write('.env', lines.join(''));
    project.write(
      'docker-compose.yml',
      'services:\n  web:\n    build: .\n    env_file: .env\n    command: flask run\n',
    );
    const result = await secureFlask(['check', '--format', 'json'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { path: string; line: number }[] };
    expect(report.findings.some((finding) => finding.path === '.env' && finding.line === 150_001)).toBe(true);
  });

  it('a .gitignore pattern of 100,000 characters matches nothing, and never floods an error', async () => {
    const project = scratch();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('ignored.py', FLASK_DEBUG_APP);
    await project.git('init', '-q');
    writeFileSync(join(project.root, '.gitignore'), `${'a'.repeat(50_000)}[${'b'.repeat(50_000)}\nignored.py\n`);
    const result = await secureFlask(['check'], { cwd: project.root });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('app.py');
    expect(result.stdout).not.toContain('ignored.py');
  });
});

describe('errors stay one short line', () => {
  it('an internal error quoting 100,000 characters of input is cut', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await runCli('secure-flask', async () => {
        throw new Error(`Invalid regular expression: /${'a'.repeat(100_000)}/: Regular expression too large`);
      });
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
    const text = written.join('');
    expect(text).toMatch(
      /^secure-flask: internal error: Invalid regular expression: \/a+\.\.\. \(\d+ more characters\)\n$/,
    );
    expect(text.length).toBeLessThan(400);
  });
});
