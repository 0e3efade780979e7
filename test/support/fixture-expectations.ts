import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// A finding expected on this line: `app.run(debug=True)  # expect: run-debug`; a development-only one
// (deployment-aware severity) says so: `# expect: run-debug (warning)`.
const EXPECTED_ID = String.raw`[\w-]+(?:\s*\(warning\))?`;
const MARKER = new RegExp(String.raw`#\s*expect:\s*(${EXPECTED_ID}(?:\s*,\s*${EXPECTED_ID})*)`);

/** `path:line rule-id`, with ` (warning)` for a finding that only development entrypoints reach. */
export function findingKey(finding: { displayPath: string; line: number; ruleId: string; severity: string }): string {
  return `${finding.displayPath}:${finding.line} ${finding.ruleId}${finding.severity === 'warning' ? ' (warning)' : ''}`;
}

/**
 * What a fixture folder says check must report, as sorted `path:line rule-id`
 * strings (` (warning)` appended for development-only findings): from `# expect: rule-id` markers on the offending lines, and from an
 * `expected.txt` for formats where a trailing comment cannot go (Dockerfile).
 * A folder with neither expects no findings at all.
 */
export function expectedFindings(folder: string): string[] {
  const expected: string[] = [];
  const visit = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) {
        visit(path);
        continue;
      }
      const relativePath = relative(folder, path).split(sep).join('/');
      if (relativePath === 'expected.txt') continue;
      const text = readFileSync(path, 'latin1');
      text.split('\n').forEach((line, index) => {
        const marker = MARKER.exec(line);
        for (const id of marker?.[1]?.split(',') ?? [])
          expected.push(`${relativePath}:${index + 1} ${id.trim().replace(/\s+\(/, ' (')}`);
      });
    }
  };
  visit(folder);
  const listFile = join(folder, 'expected.txt');
  if (existsSync(listFile)) {
    for (const line of readFileSync(listFile, 'utf8').split('\n')) {
      if (line.trim() && !line.startsWith('#')) expected.push(line.trim());
    }
  }
  return expected.sort();
}

/** Every fixture case folder: fixtures/<rule-id>/<case>/. */
export function fixtureCases(fixturesRoot: string): { ruleId: string; caseName: string; folder: string }[] {
  return readdirSync(fixturesRoot)
    .filter((ruleId) => statSync(join(fixturesRoot, ruleId)).isDirectory())
    .flatMap((ruleId) =>
      readdirSync(join(fixturesRoot, ruleId))
        .filter((caseName) => statSync(join(fixturesRoot, ruleId, caseName)).isDirectory())
        .map((caseName) => ({ ruleId, caseName, folder: join(fixturesRoot, ruleId, caseName) })),
    );
}
