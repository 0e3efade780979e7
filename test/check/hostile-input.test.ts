import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readFileBytes } from '../../src/files/source-text.js';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { inTerminal } from '../support/terminal.js';
import { FLASK_DEBUG_APP, tempProject, type TempProject } from '../support/temp-project.js';

let project: TempProject;
afterEach(() => project?.remove());

describe('check on hostile trees', () => {
  it('skips a FIFO and links to a FIFO or /dev/zero instead of hanging or reading without end', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    execFileSync('mkfifo', [join(project.root, 'pipe.py')]);
    execFileSync('mkfifo', [join(project.root, 'hidden-pipe')]);
    symlinkSync(join(project.root, 'hidden-pipe'), join(project.root, 'to_fifo.py'));
    symlinkSync('/dev/zero', join(project.root, 'zero.py'));
    // A bounded timeout turns a hang into a failure instead of a stuck suite.
    const result = await secureFlask(['check', '--verbose', '.'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/1 finding in 1 file/);
    for (const name of ['pipe.py', 'to_fifo.py', 'zero.py'])
      expect(result.stdout).toContain(`skipped ${name}: not a regular file`);
    const named = await secureFlask(['check', 'zero.py', 'to_fifo.py'], { cwd: project.root });
    expect(named.exitCode).toBe(0);
    expect(named.stdout).toMatch(/skipped 2 \(2 not a regular file\)/);
    // A name without an extension is opened to look for a python shebang: never a FIFO's.
    const fifoNamed = await secureFlask(['check', 'hidden-pipe'], { cwd: project.root });
    expect(fifoNamed.exitCode).toBe(0);
    expect(fifoNamed.stdout).toMatch(/skipped 1 \(1 not a checked file type\)/);
  }, 60_000);

  it('a deploy file that is not valid YAML is named in a warning with its line, never passed over in silence', async () => {
    project = tempProject();
    project.write('app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    // The command's flow sequence never closes: compose itself refuses this file, and so does the parser.
    project.write(
      'docker-compose.yml',
      'services:\n  web:\n    environment:\n      - FLASK_DEBUG=1\n    command: [python\n',
    );
    project.write('notes.yml', 'title: [unclosed\n');
    const result = await secureFlask(['check', '.'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^secure-flask check: warning: docker-compose\.yml:6: not valid YAML \(.+\): its settings there were not checked$/m,
    );
    // A YAML file with no word a rule looks for is never parsed, so it earns no warning.
    expect(result.stderr).not.toContain('notes.yml');
  }, 60_000);

  it('never reads more than the limit: a huge file is "larger than 16 MiB", not read whole', () => {
    project = tempProject();
    const huge = project.write('huge.py', '');
    truncateSync(huge, 3 * 1024 ** 3); // sparse: 3 GiB that a whole-file read cannot even hold in one Buffer
    expect(readFileBytes(huge)).toEqual({ ok: false, reason: 'larger than 16 MiB' });
    const atLimit = project.write('limit.py', Buffer.alloc(MAX_FILE_BYTES, 0x61));
    expect(readFileBytes(atLimit).ok).toBe(true);
  });

  it('--output onto a folder or into a missing folder is a one-line error naming the path', async () => {
    project = tempProject();
    project.write('app.py', FLASK_DEBUG_APP);
    project.write('web/.flaskenv', 'FLASK_DEBUG=1\n');
    const missing = await secureFlask(['check', '--output', 'no/such/folder/report.sarif', '--format', 'sarif'], {
      cwd: project.root,
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'secure-flask: error: cannot write no/such/folder/report.sarif: no such file or directory',
    );
    const folder = await secureFlask(['check', '--output', 'web'], { cwd: project.root });
    expect(folder.exitCode).toBe(2);
    expect(folder.stderr.trim()).toBe('secure-flask: error: cannot write web: it is a folder');
    expect(readFileSync(join(project.root, 'web', '.flaskenv'), 'utf8')).toBe('FLASK_DEBUG=1\n');
  });
});

describe('arguments', () => {
  it("'secure-flask help check' prints check's help", async () => {
    const result = await secureFlask(['help', 'check']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: secure-flask check \[paths\.\.\.\]/);
    const unknown = await secureFlask(['help', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/no help for 'nope'/);
  });

  it('an option where a value belongs, or a negative number, says what is wrong (never "ambiguous")', async () => {
    for (const [args, message] of [
      [['check', '--jobs', '-1'], "secure-flask check: error: --jobs must be a whole number of at least 1 (got '-1')"],
      [
        ['migrate', '--jobs', '-1'],
        "secure-flask migrate: error: --jobs must be a whole number of at least 1 (got '-1')",
      ],
      [
        ['check', '--format', '--verbose'],
        "secure-flask check: error: --format needs a value, but '--verbose' follows it (see 'secure-flask check --help')",
      ],
      // create names itself once (its errors carry no command prefix of their own).
      [
        ['create', 'demo', '--server', '--no-install'],
        "secure-flask: error: --server needs a value, but '--no-install' follows it (see 'create-secure-flask --help')",
      ],
    ] as const) {
      const result = await secureFlask([...args]);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/ambiguous/);
      // Each error names its command once.
      expect(result.stderr.trim()).toBe(message);
    }
  });
});

describe('text output fits the terminal', () => {
  const longMessages = () => {
    const created = tempProject();
    created.write(
      'services/payments/backend/application.py',
      FLASK_DEBUG_APP.replace(
        'app.run(debug=True)',
        'app.run(host="0.0.0.0", port=8080, threaded=True, debug=True, use_reloader=False)',
      ),
    );
    created.write('web/.flaskenv', 'FLASK_DEBUG=1\n');
    return created;
  };
  const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

  it('wraps at word boundaries to COLUMNS and loses no word', async () => {
    project = longMessages();
    const wide = await secureFlask(['check'], { cwd: project.root });
    for (const width of [60, 80]) {
      const narrow = await secureFlask(['check'], { cwd: project.root, env: { COLUMNS: String(width) } });
      const lines = narrow.stdout.split('\n');
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      // Every word of the unwrapped report is still there whole (the source line may be cut with an ellipsis).
      const kept = words(narrow.stdout);
      const lost = [...words(wide.stdout)].filter(
        (word) =>
          !kept.has(word) &&
          !wide.stdout.split('\n').some((line) => line.trim().startsWith('app.run(') && line.includes(word)),
      );
      expect(lost).toEqual([]);
    }
  });

  it('in a 100-column terminal no line runs past the edge', async () => {
    project = longMessages();
    const session = inTerminal(`${process.execPath} ${SECURE_FLASK_BIN} check`, project.root);
    const { output } = await session.finished;
    const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);
    expect(lines.some((line) => line.includes('run-debug'))).toBe(true);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
