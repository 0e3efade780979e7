import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseShellCommands, parseWithGrammar } from '../../src/deploy/shell/shell-commands.js';
import { loadShellParser, shellParseCount } from '../../src/deploy/shell/shell-parser.js';
import { simpleCommands } from '../../src/deploy/shell/simple-commands.js';

/**
 * The simple reader against bash's grammar: every line the simple reader accepts, it reads exactly as the
 * grammar does (commands, argv, words and their offsets, assignments). `npm run fuzz` sets FUZZ_RUNS (and a
 * random FUZZ_SEED) for long runs.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 3000);
const seed =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS
      ? Date.now() % 2 ** 31
      : 20261207;

// Words of deploy lines, quoted and not, assignments, keywords and declarations, and what makes a line not
// simple: operators the reader leaves to the grammar, expansions, redirects, globs, comments, groups.
const SIMPLE_TOKENS = [
  ...['set', '-e', '.', 'source', '\n', '# a note\n', '#!/bin/sh\n', '\n\n', ' #x', ';\n'],
  ...['gunicorn', 'flask', 'db', 'upgrade', 'python3', 'manage.py', 'run', '-b', '0.0.0.0:8000', 'app:app'],
  ...['--workers=4', '-w', '2', 'exec', 'env', 'cd', '/app', 'pip', 'install', '-r', 'requirements.txt', 'echo'],
  ...['A=1', 'FLASK_DEBUG=1', 'B=', 'A+=1', '_X=y', '1A=2', '=x', 'A=x=y', 'a-b=1', 'x%y', '@user', '+x', ',x'],
  ...['"app:create_app()"', "'app:create_app()'", '"x y"', "'x y'", '""', "''", 'A="1 2"', "B='x'", '--opt="a b"'],
];
const TOKENS = [
  ...SIMPLE_TOKENS,
  ...['py"thon"', "gun'icorn'", '"$PORT"', '"a\\"b"', '"!x"', "'$x'", '"`x`"', '"a', "'a"],
  ...['if', 'then', 'fi', 'for', 'in', 'do', 'done', 'case', 'esac', 'while', 'until', 'function', 'time'],
  ...['export', 'declare', 'local', 'readonly', 'unset', 'test', 'true', 'select', 'coproc', 'elif', 'else'],
  ...['&&', '||', ';', '|', '&', '|&', ';;', ';&', '>', '2>&1', '<', '$x', '$(x)', '`x`', '*', '?', '[', ']'],
  ...['{', '}', '(', ')', '#', '#x', '~', '!', '\\', '\\\n', '\n', '\r', 'a(b)', 'x#y', '^', 'a\\ b'],
];
const GAPS = [' ', '', '\t', '  '];
const line = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(...GAPS)), { minLength: 1, maxLength: 12 })
  .map((pairs) => pairs.map(([token, gap]) => token + gap).join(''));
// Lines of simple shapes only (words and the joining operators), so most of them are accepted.
const simpleLine = fc
  .array(
    fc.tuple(
      fc.array(fc.constantFrom(...SIMPLE_TOKENS), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(' && ', ' || ', '; ', ' | ', ';', '&&', ' ;', '\n', ';\n', '\n# step\n', '\n\n'),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((commands) =>
    commands
      .map(([words, operator], index) => words.join(' ') + (index < commands.length - 1 ? operator : ''))
      .join(''),
  );

// Deploy lines in the shapes real Procfiles, Dockerfiles and scripts hold.
const LINES = [
  'flask db upgrade && gunicorn "app:create_app()"',
  'python manage.py migrate; gunicorn -b 0.0.0.0:$PORT wsgi:app',
  'cd /app && FLASK_APP=app.py flask run --host=0.0.0.0',
  "pip install -r requirements.txt && python -c 'import app'",
  'flask db upgrade && flask seed && gunicorn --workers=3 --bind 0.0.0.0:5000 "project:create_app()"',
  'python3 init_db.py ; python3 app.py',
  'FLASK_DEBUG=1 flask run || echo failed',
  'exec gunicorn -c gunicorn.conf.py "web.app:build()"',
  'celery -A tasks worker --loglevel=info | tee worker.log',
  'A=1 B="x y" python app.py --name="my app" ; echo done',
  "uwsgi --ini uwsgi.ini --env 'FLASK_ENV=production'",
  'flask run --debug && echo ""',
  'export FLASK_APP=app.py && flask run',
  'gunicorn app:app > log.txt 2>&1',
  'if [ -n "$DEBUG" ]; then flask run --debug; fi',
  'gunicorn "$APP_MODULE" -b :8000',
  'python app.py & sleep 1',
  'echo hi # a comment',
  'A=1; B=2',
  'A=1 B=2; flask run',
  'A=1',
  'a=b c=d e f=g',
  '#!/bin/sh\n\npython3 manage.py recreate_db\npython3 manage.py setup_dev\n',
  '#!/bin/bash\nset -e\npython3 -m venv .venv\n. .venv/bin/activate\npip install -e .\n',
  '#!/bin/sh\n# start the app\nflask db upgrade\nexec gunicorn -b :5000 --access-logfile - app:app\n',
  '#!/bin/sh\nwhile true; do\n  flask db upgrade && break\n  sleep 5\ndone\nexec gunicorn app:app\n',
  'flask db upgrade &&\n  gunicorn app:app',
  'gunicorn app:app \\\n  --workers 2',
];

function expectGrammarReading(text: string): void {
  const simple = simpleCommands(text);
  if (simple !== undefined) expect([text, simple]).toEqual([text, parseWithGrammar(text)]);
}

beforeAll(async () => {
  await loadShellParser();
});

describe('the simple command reader reads a line as bash grammar does, or leaves it to the grammar', () => {
  it('real deploy line shapes: accepted ones read identically, the others go to the grammar', () => {
    for (const text of LINES) expectGrammarReading(text);
    const accepted = LINES.filter((text) => simpleCommands(text) !== undefined);
    expect(accepted).toContain('flask db upgrade && gunicorn "app:create_app()"');
    expect(accepted).toContain('A=1 B="x y" python app.py --name="my app" ; echo done');
    expect(accepted).toContain('#!/bin/bash\nset -e\npython3 -m venv .venv\n. .venv/bin/activate\npip install -e .\n');
    for (const text of ['export FLASK_APP=app.py && flask run', 'gunicorn app:app > log.txt 2>&1', 'A=1 B=2; x'])
      expect(accepted).not.toContain(text);
  });

  it('generated lines of every token: whatever the simple reader accepts matches the grammar', () => {
    fc.assert(fc.property(line, expectGrammarReading), { seed, numRuns: runs, endOnFailure: true });
  });

  it('generated simple lines: accepted ones match the grammar, and most are accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(simpleLine, (text) => {
        if (simpleCommands(text) !== undefined) accepted++;
        expectGrammarReading(text);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    expect(accepted).toBeGreaterThan(runs / 6);
  });

  it('parseShellCommands reads an accepted line without parsing it with the grammar', () => {
    const before = shellParseCount();
    const text = 'flask db upgrade && exec gunicorn -b 0.0.0.0:8000 "app:create_app()"; echo started';
    expect(parseShellCommands(text).map((command) => command.argv[0])).toEqual(['flask', 'exec', 'echo']);
    expect(shellParseCount()).toBe(before);
  });
});
