import { describe, expect, it } from 'vitest';
import { createColors } from 'picocolors';
import { fitHelp } from '../../src/core/help-text.js';
import { displayWidth, hangingLines, wrapWords } from '../../src/core/terminal-text.js';
import type { Exposure } from '../../src/runtime/exposures.js';
import { exposureLines } from '../../src/runtime/report/probe-report.js';
import { closestName } from '../../src/core/suggest.js';
import { createSecureFlask, SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { inTerminal } from '../support/terminal.js';
import { tempProject } from '../support/temp-project.js';

const COMMANDS = ['check', 'migrate', 'init-ci', 'create', 'rules', 'explain', 'verify', 'probe', 'server'];

describe('what a mistyped command line gets', () => {
  it('`chek` suggests check, a mistyped option its flag; the command list includes help', async () => {
    const typo = await secureFlask(['chek']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toBe("secure-flask: error: unknown command 'chek'; did you mean 'check'?");
    const option = await secureFlask(['check', '--fromat', 'json']);
    expect(option.stderr).toBe("secure-flask check: error: unknown option '--fromat'; did you mean '--format'?");
    const far = await secureFlask(['deploy']);
    expect(far.stderr).toMatch(/unknown command 'deploy' \(commands: .*\bhelp\b/);
    const help = await secureFlask(['--help']);
    expect(help.stdout).toMatch(/^ {2}help \[command\]/m);
  });

  it('errors name the command once and never show node:util wording', async () => {
    const cases = [
      ['check', '-o'],
      ['check', '--output'],
      ['migrate', '--write=yes'],
      ['rules', 'extra'],
      ['check', '--format', 'xml'],
      ['verify', 'a', 'b'],
    ];
    for (const args of cases) {
      const result = await secureFlask(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      const line = result.stderr.trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(new RegExp(`^secure-flask ${args[0]}: error: `));
      expect(line.match(/secure-flask/g)?.length ?? 0, line).toBeLessThanOrEqual(2);
      expect(line).not.toMatch(
        /secure-flask: error: secure-flask|<value>|argument missing|Unexpected argument|To specify a positional/,
      );
    }
  });

  it('the closest name is suggested only when it is close', () => {
    expect(closestName('chek', COMMANDS)).toBe('check');
    expect(closestName('migarte', COMMANDS)).toBe('migrate');
    expect(closestName('deploy', COMMANDS)).toBeUndefined();
  });
});

describe('help fits 80 columns', () => {
  it.each([[[]], ...COMMANDS.map((command) => [[command]])])('secure-flask %j --help', async (command) => {
    const result = await secureFlask([...command, '--help']);
    expect(result.exitCode).toBe(0);
    const long = result.stdout.split('\n').filter((line) => line.length > 80);
    expect(long).toEqual([]);
  });

  it('create-secure-flask --help', async () => {
    const result = await createSecureFlask(['--help']);
    expect(result.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  it('re-wraps only what runs over: an option under its description column, a paragraph at its indent', () => {
    const help = `Usage: x\n\n${'word '.repeat(20).trim()}\nnext line\n\nOptions:\n  --short      fits\n  --long <n>   ${'many words '.repeat(8).trim()}\n               continued\n`;
    expect(fitHelp(help, 40)).toBe(
      'Usage: x\n\nword word word word word word word word\nword word word word word word word word\nword word word word next line\n\nOptions:\n  --short      fits\n' +
        '  --long <n>   many words many words\n               many words many words\n               many words many words\n               many words many words\n               continued\n',
    );
    expect(fitHelp('  --a   fits\n', 40)).toBe('  --a   fits\n');
  });
});

describe('colour', () => {
  const project = () => {
    const created = tempProject('secure-flask-colour-');
    created.write('app.py', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
    return created;
  };
  const ESC = '\u001b[';

  it('a terminal gets colour; FORCE_COLOR=0 and --color never turn it off there', async () => {
    const folder = project();
    try {
      const plain = await inTerminal(`node ${SECURE_FLASK_BIN} check .`, folder.root).finished;
      expect(plain.output).toContain(ESC);
      const forcedOff = await inTerminal(`env FORCE_COLOR=0 node ${SECURE_FLASK_BIN} check .`, folder.root).finished;
      expect(forcedOff.output).toMatch(/app\.py:3/);
      expect(forcedOff.output).not.toContain(ESC);
      const never = await inTerminal(`node ${SECURE_FLASK_BIN} check --color never .`, folder.root).finished;
      expect(never.output).toMatch(/app\.py:3/);
      expect(never.output).not.toContain(ESC);
    } finally {
      folder.remove();
    }
  }, 60_000);

  it('--color always colours a pipe, even with NO_COLOR; a bad value is a usage error', async () => {
    const folder = project();
    try {
      const always = await secureFlask(['--color=always', 'check', '.'], { cwd: folder.root, env: { NO_COLOR: '1' } });
      expect(always.stdout).toContain(ESC);
      const bad = await secureFlask(['check', '--color', 'sometimes', '.'], { cwd: folder.root });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toBe("secure-flask: error: --color must be one of auto, always, never (got 'sometimes')");
    } finally {
      folder.remove();
    }
  });

  it('create-secure-flask takes --color like secure-flask: always and never are accepted, a bad value is a usage error', async () => {
    const folder = project();
    try {
      const always = await createSecureFlask(['svc', '--yes', '--no-install', '--no-git', '--color', 'always'], {
        cwd: folder.root,
      });
      expect(always.exitCode, always.stderr).toBe(0);
      const never = await createSecureFlask(['svc2', '--yes', '--no-install', '--no-git', '--color=never'], {
        cwd: folder.root,
      });
      expect(never.exitCode, never.stderr).toBe(0);
      expect(never.stdout).not.toContain(ESC);
      expect(never.stdout).toContain('Created');
      const bad = await createSecureFlask(['svc3', '--yes', '--color', 'sometimes'], { cwd: folder.root });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toBe(
        "create-secure-flask: error: --color must be one of auto, always, never (got 'sometimes')",
      );
    } finally {
      folder.remove();
    }
  });
});

describe('messages that say what is true', () => {
  it('--timeout 0 is refused with the range it really takes', async () => {
    const result = await secureFlask(['probe', 'http://127.0.0.1:9/', '--timeout', '0']);
    expect(result.stderr).toBe(
      "secure-flask probe: error: --timeout must be more than 0 and at most 600 seconds (got '0')",
    );
  });

  it('hints fit every file kind the rule reads: no Procfile syntax for a systemd unit, no "drop --debug" alone for an ENV', async () => {
    const folder = tempProject('secure-flask-hints-');
    try {
      folder.write(
        'app.py',
        'from flask import Flask\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n',
      );
      folder.write('app.service', '[Service]\nExecStart=/srv/venv/bin/python app.py\n');
      folder.write('Dockerfile', 'FROM python:3.12\nENV FLASK_DEBUG=1\nCMD ["gunicorn", "app:app"]\n');
      const result = await secureFlask(['check', '--format', 'json', '.'], { cwd: folder.root });
      const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; hint: string }[] }).findings;
      const hint = (ruleId: string) => findings.find((finding) => finding.ruleId === ruleId)?.hint ?? '';
      expect(hint('process-dev-server')).not.toMatch(/^web:|e\.g\. web:/);
      expect(hint('process-dev-server')).toMatch(/ExecStart=/);
      expect(hint('dockerfile-debug')).toMatch(/\bENV\b/);
    } finally {
      folder.remove();
    }
  });

  it('check --output says "1 finding", never "finding(s)"', async () => {
    const folder = tempProject('secure-flask-plural-');
    try {
      folder.write('app.py', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
      const result = await secureFlask(['check', '--output', 'report.txt', '.'], { cwd: folder.root });
      expect(result.stderr).toBe('secure-flask check: 1 finding written to report.txt');
    } finally {
      folder.remove();
    }
  });
});

describe('text wraps at the terminal width by display width', () => {
  it('CJK and emoji take two columns each, so a line of them wraps at half the characters', () => {
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('😀x')).toBe(3);
    const lines = wrapWords('設定 設定 設定 設定 設定 設定', 20, 20);
    expect(lines).toEqual(['設定 設定 設定 設定', '設定 設定']);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    // By string length the same text would fit in one line of 20.
    expect('設定 設定 設定 設定 設定 設定'.length).toBeLessThanOrEqual(20);
  });

  it('probe and verify evidence and migrate notices keep within the width, continuation lines indented', () => {
    const exposure: Exposure = {
      id: 'error-traceback',
      severity: 'error',
      message:
        'a 500 page shows a Python traceback with source lines: ファイル "app.py" の 12 行目で例外が発生しました',
      url: 'http://127.0.0.1:5000/boom',
      evidence:
        'Traceback (most recent call last): File "/srv/アプリ/app.py", line 12, in index — 💥 ZeroDivisionError: division by zero',
    };
    const plain = createColors(false);
    const lines = exposureLines([exposure], plain, '  ', 60);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^ {2}error {4}error-traceback {2}a 500 page/);
    expect(lines.slice(1).every((line) => line.startsWith(' '.repeat(19)))).toBe(true);
    expect(
      hangingLines(
        'notice: ',
        'Now runs `gunicorn -c gunicorn.conf.py app:app` instead of `python app.py`, on the same host 0.0.0.0, port 5000',
        50,
      ),
    ).toEqual([
      'notice: Now runs `gunicorn -c gunicorn.conf.py',
      '        app:app` instead of `python app.py`, on',
      '        the same host 0.0.0.0, port 5000',
    ]);
    expect(exposureLines([exposure], plain, '  ')).toHaveLength(2);
  });
});
