import { describe, expect, it } from 'vitest';
import { RULES } from '../../codemods/index.js';
import { assignFingerprints } from '../../src/check/fingerprint.js';
import { rebasePattern } from '../../src/check/project-config.js';
import { selectRules } from '../../src/check/rule-selection.js';
import { suppressionOf } from '../../src/check/suppressions.js';
import { unusedSuppressions } from '../../src/check/unused-suppressions.js';

const rule = (id: string) => {
  const found = RULES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

describe('the pieces behind the habits of Ruff, Bandit and Semgrep users', () => {
  it("other tools' codes come from the rule pages' table of equivalents", () => {
    const on = (comment: string, id: string) => suppressionOf([`app.run(debug=True)  ${comment}`], rule(id), 1, 1)?.by;
    expect(on('# noqa: S201', 'run-debug')).toBe('noqa');
    expect(on('# noqa:E501 s201', 'run-debug')).toBe('noqa');
    expect(on('# noqa: S201', 'socketio-run-debug')).toBeUndefined(); // Ruff's S201 is not listed for it
    expect(on('# nosec B201', 'socketio-run-debug')).toBe('nosec'); // Bandit's B201 is
    expect(on('# nosec flask_debug_true', 'run-debug')).toBe('nosec');
    expect(on('# nosec: B101, B105', 'run-debug')).toBeUndefined();
    expect(on('# nosec', 'app-debug-attribute')).toBeUndefined(); // Bandit has no rule for it: the comment was for something else
    expect(on('# noqa', 'run-debug')).toBeUndefined();
    expect(on('# nosemgrep: debug-enabled', 'run-debug')).toBe('nosemgrep');
    expect(on('# secure-flask: ignore[run-debug]  # noqa: S201', 'run-debug')).toBe('secure-flask');
  });

  it('select and ignore: the command line wins; ids outside the catalog are errors', () => {
    const ids = (choice: Parameters<typeof selectRules>[1]) =>
      selectRules(RULES, choice).map((selected) => selected.id);
    expect(ids({ select: ['run-debug', 'env-file-debug'], ignore: ['env-file-debug'] })).toEqual(['run-debug']);
    expect(ids({ configSelect: ['run-debug', 'env-file-debug'], configIgnore: ['run-debug'] })).toEqual([
      'env-file-debug',
    ]);
    expect(ids({ select: ['run-debug'], configIgnore: ['run-debug'] })).toEqual(['run-debug']);
    expect(() => selectRules([rule('run-debug')], { ignore: ['env-file-debug'] })).toThrow(
      "--ignore: unknown rule 'env-file-debug' (valid: run-debug)",
    );
  });

  it('patterns written beside a nested pyproject.toml are rebased on the root, keeping gitignore meaning', () => {
    expect(rebasePattern('legacy/', '/repo', '/repo')).toBe('legacy/');
    expect(rebasePattern('legacy/', '/repo', '/repo/services/api')).toBe('services/api/**/legacy/');
    expect(rebasePattern('/build', '/repo', '/repo/services/api')).toBe('services/api/build');
    expect(rebasePattern('scripts/dev_*.py', '/repo', '/repo/svc')).toBe('svc/scripts/dev_*.py');
    expect(rebasePattern('!keep.py', '/repo', '/repo/svc')).toBe('!svc/**/keep.py');
  });

  it('fingerprints ignore line numbers and whitespace, and tell repeated lines apart', () => {
    const finding = (snippet: string, rootPath = 'app.py') => ({
      ruleId: 'run-debug',
      rootPath,
      snippet,
      fingerprint: undefined as string | undefined,
    });
    const before = [finding('app.run(debug=True)'), finding('app.run(debug=True)')];
    const after = [
      finding('app.run( debug=True)'),
      finding('app.run(debug=True)'),
      finding('app.run(debug=True)', 'other.py'),
    ];
    assignFingerprints(before);
    assignFingerprints(after);
    expect(before[0]?.fingerprint).not.toBe(before[1]?.fingerprint);
    expect(after.slice(0, 2).map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(after[2]?.fingerprint).not.toBe(after[0]?.fingerprint);
  });

  it('an ignore comment is unused per rule id, and only for rules the run used', () => {
    const comments = [
      { line: 3, ids: new Set(['run-debug', 'app-debug-attribute']) },
      { line: 5, ids: 'all' as const },
    ];
    expect(
      unusedSuppressions(
        comments,
        [{ line: 3, ruleId: 'app-debug-attribute' }],
        new Set(['run-debug', 'app-debug-attribute']),
      ).map((u) => u.line),
    ).toEqual([3, 5]);
    expect(
      unusedSuppressions(
        comments,
        [
          { line: 3, ruleId: 'app-debug-attribute' },
          { line: 5, ruleId: 'run-debug' },
        ],
        new Set(['app-debug-attribute']),
      ),
    ).toEqual([]);
  });
});
