import fc from 'fast-check';

/**
 * Random env files and Dockerfiles: the catalog's FLASK_DEBUG / FLASK_ENV
 * shapes in random spelling (export, spaces, quotes, inline comments, both ENV
 * syntaxes, continuations, CRLF) between ordinary lines and near-misses.
 */
export interface DeployFile {
  name: string;
  text: string;
  lines: { ruleId: string | null; firstLine: number; lastLine: number; description: string }[];
}

interface Entry {
  lines: string[];
  ruleId: string | null;
  description: string;
}

const quoted = (value: string) => fc.constantFrom(value, `"${value}"`, `'${value}'`);
const truthyFlag = fc.constantFrom('1', 'true', 'True', 'yes', 'on').chain(quoted);
const falsyFlag = fc.constantFrom('0', 'false', 'no').chain(quoted);
const inlineComment = fc.constantFrom('', '  # local only', ' # why');

const envPositive: fc.Arbitrary<Entry> = fc.oneof(
  fc
    .tuple(fc.constantFrom('', 'export '), fc.constantFrom('', ' '), truthyFlag, inlineComment)
    .map(([exp, sp, value, comment]) => ({
      lines: [`${exp}FLASK_DEBUG${sp}=${sp}${value}${comment}`],
      ruleId: 'env-file-debug',
      description: `FLASK_DEBUG=${value}`,
    })),
  quoted('development').map((value) => ({
    lines: [`FLASK_ENV=${value}`],
    ruleId: 'env-file-debug',
    description: `FLASK_ENV=${value}`,
  })),
);

const envOther: fc.Arbitrary<Entry> = fc.oneof(
  falsyFlag.map((value) => ({ lines: [`FLASK_DEBUG=${value}`], ruleId: null, description: `FLASK_DEBUG=${value}` })),
  fc
    .constantFrom(
      '# FLASK_DEBUG=1',
      '#FLASK_DEBUG=true',
      'MY_FLASK_DEBUG=1',
      'SECRET_KEY=change-me',
      'DATABASE_URL="sqlite:///app.db"',
      '',
    )
    .map((line) => ({ lines: [line], ruleId: null, description: line || 'blank line' })),
);

const dockerPositive: fc.Arbitrary<Entry> = fc.oneof(
  fc.tuple(fc.constantFrom('ENV', 'env'), truthyFlag).map(([keyword, value]) => ({
    lines: [`${keyword} FLASK_DEBUG=${value}`],
    ruleId: 'dockerfile-debug',
    description: `${keyword} FLASK_DEBUG=${value}`,
  })),
  truthyFlag.map((value) => ({
    lines: [`ENV FLASK_DEBUG ${value}`],
    ruleId: 'dockerfile-debug',
    description: `ENV FLASK_DEBUG ${value} (legacy syntax)`,
  })),
  fc.tuple(truthyFlag, fc.boolean()).map(([value, debugFirst]) => ({
    lines: debugFirst
      ? [`ENV FLASK_DEBUG=${value} \\`, '    PYTHONUNBUFFERED=1']
      : ['ENV PYTHONUNBUFFERED=1 \\', `    FLASK_DEBUG=${value}`],
    ruleId: 'dockerfile-debug',
    description: `ENV with FLASK_DEBUG=${value} continued (${debugFirst ? 'first' : 'last'})`,
  })),
  quoted('development').map((value) => ({
    lines: [`ENV FLASK_ENV=${value}`],
    ruleId: 'dockerfile-debug',
    description: `ENV FLASK_ENV=${value}`,
  })),
);

const dockerOther: fc.Arbitrary<Entry> = fc.oneof(
  falsyFlag.map((value) => ({
    lines: [`ENV FLASK_DEBUG=${value}`],
    ruleId: null,
    description: `ENV FLASK_DEBUG=${value}`,
  })),
  fc
    .constantFrom(
      '# ENV FLASK_DEBUG=1',
      'ENV PYTHONUNBUFFERED=1',
      'RUN pip install --no-cache-dir -r requirements.txt',
      'EXPOSE 8000',
      '',
    )
    .map((line) => ({ lines: [line], ruleId: null, description: line || 'blank line' })),
);

function assemble(
  name: string,
  head: string[],
  tail: string[],
  entries: Entry[],
  eol: string,
  finalNewline: boolean,
): DeployFile {
  const lines = [...head];
  const placed: DeployFile['lines'] = [];
  for (const entry of entries) {
    const firstLine = lines.length + 1;
    lines.push(...entry.lines);
    placed.push({ ruleId: entry.ruleId, firstLine, lastLine: lines.length, description: entry.description });
  }
  lines.push(...tail);
  return { name, text: lines.join(eol) + (finalNewline ? eol : ''), lines: placed };
}

export const envFileArb: fc.Arbitrary<DeployFile> = fc
  .record({
    name: fc.constantFrom('.flaskenv', '.env'),
    entries: fc.array(fc.oneof(envPositive, envOther), { minLength: 1, maxLength: 6 }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
  })
  // FLASK_APP first, so removing every debug line never leaves the file empty (deletion is another property).
  .map(({ name, entries, eol, finalNewline }) => assemble(name, ['FLASK_APP=app'], [], entries, eol, finalNewline));

export const dockerfileArb: fc.Arbitrary<DeployFile> = fc
  .record({
    entries: fc.array(fc.oneof(dockerPositive, dockerOther), { minLength: 1, maxLength: 5 }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
  })
  .map(({ entries, eol, finalNewline }) =>
    assemble(
      'Dockerfile',
      ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY . .'],
      ['CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]'],
      entries,
      eol,
      finalNewline,
    ),
  );
