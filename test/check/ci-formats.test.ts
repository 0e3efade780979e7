import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { secureFlask } from '../support/cli.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

// The formats CI systems read without code scanning: Ruff's github, gitlab and junit.
const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

function projectWithFindings(): TempProject {
  const created = tempProject();
  created.write('app.py', `${FLASK_DEBUG_APP}app.run(debug=True)\n`);
  // A name with every character a workflow command property must escape.
  created.write('we:ird,na%me/.flaskenv', 'FLASK_DEBUG=1\n');
  return created;
}

/** Undoes the runner's escaping (toolkit's command.ts): what GitHub shows. */
function unescapeProperty(value: string): string {
  return value
    .replace(/%2C/g, ',')
    .replace(/%3A/g, ':')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%');
}

describe('CI formats', () => {
  it('github: one ::error workflow command per finding, with file, line and col, properties escaped', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--format', 'github'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const commands = result.stdout.trimEnd().split('\n');
    expect(commands).toHaveLength(3);
    for (const command of commands)
      expect(command).toMatch(/^::error file=[^,:]+,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=[^,:]+::\S/);
    expect(commands[0]).toMatch(
      /^::error file=app\.py,line=4,endLine=4,col=9,endColumn=19,title=secure-flask \(run-debug\)::run-debug: app\.run\(\) with debug=True/,
    );
    const escaped = commands.find((command) => command.includes('.flaskenv'));
    expect(escaped).toContain('file=we%3Aird%2Cna%25me/.flaskenv,line=1,');
    expect(unescapeProperty(/file=([^,]*)/.exec(escaped ?? '')?.[1] ?? '')).toBe('we:ird,na%me/.flaskenv');
  });

  it('gitlab: Code Quality JSON with description, check_name, a distinct fingerprint per finding, severity and location', async () => {
    project = projectWithFindings();
    const result = await secureFlask(['check', '--format', 'gitlab'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const issues = JSON.parse(result.stdout) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(
      issues.map((issue) => [issue.check_name, issue.location.path, issue.location.lines.begin, issue.severity]),
    ).toEqual([
      ['run-debug', 'app.py', 4, 'critical'],
      ['run-debug', 'app.py', 5, 'critical'],
      ['env-file-debug', 'we:ird,na%me/.flaskenv', 1, 'critical'],
    ]);
    for (const issue of issues) expect(issue.description).toMatch(/\. Fix: /);
    // Two identical lines are two findings: GitLab drops issues that share a fingerprint.
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(3);
    const clean = tempProject();
    try {
      clean.write('app.py', 'print(1)\n');
      expect(JSON.parse((await secureFlask(['check', '--format', 'gitlab'], { cwd: clean.root })).stdout)).toEqual([]);
    } finally {
      clean.remove();
    }
  });

  it('junit: XML that a real parser reads, one failing test case per finding; a clean run passes', async () => {
    project = projectWithFindings();
    project.write(
      'weird.py',
      'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True, host="<&\'\\"\\x01>")\n',
    );
    const result = await secureFlask(['check', '--format', 'junit', '--output', 'report.xml'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const summary = await execa(
      python,
      [
        '-c',
        'import sys, xml.etree.ElementTree as ET\nroot = ET.parse(sys.argv[1]).getroot()\nfor case in root.iter("testcase"):\n    print(case.get("classname"), case.get("name"), case.get("line"), case.find("failure") is not None)\nprint(root.get("tests"), root.get("failures"))',
        'report.xml',
      ],
      { cwd: project.root },
    );
    expect(summary.stdout.split('\n')).toEqual([
      'app.py secure-flask.run-debug 4 True',
      'app.py secure-flask.run-debug 5 True',
      'we:ird,na%me/.flaskenv secure-flask.env-file-debug 1 True',
      'weird.py secure-flask.run-debug 3 True',
      '4 4',
    ]);
    project.write('app.py', 'print(1)\n');
    project.write('we:ird,na%me/.flaskenv', 'FLASK_APP=app\n');
    project.write('weird.py', 'print(2)\n');
    const clean = await secureFlask(['check', '--format', 'junit'], { cwd: project.root });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain('<testsuite name="secure-flask" tests="1" failures="0" errors="0">');
  });
});
