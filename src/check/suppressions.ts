import type { Rule } from '../rules/rule.js';

// `# secure-flask: ignore[run-debug, env-file-debug]`, or `# secure-flask: ignore` for every rule.
/** Text every suppression comment contains: a file without it has none. */
export const SUPPRESSION_MARK = 'secure-flask:';
const SUPPRESSION = /#\s*secure-flask:\s*ignore(?:\[([^\]]*)\])?/;

/**
 * Comments that other tools' users already wrote for the same finding. Ruff's `# noqa: S201`
 * (codes split by commas or spaces), Bandit's `# nosec B201` / `# nosec: B201, flask_debug_true`,
 * Semgrep's `# nosemgrep: <rule id>`. A bare `# nosec` or `# nosemgrep` silences every finding
 * of that tool on the line, so it silences ours where that tool has the equivalent rule: a
 * reviewer made that call. A bare `# noqa` does not: it is written for style linters (line
 * length, unused imports), and Ruff itself flags it as too broad (PGH004).
 */
const NOQA = /#\s*noqa(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/i;
const NOSEC = /#\s*nosec\b:?([^#]*)/;
const NOSEMGREP = /#\s*nosemgrep\b:?([^#]*)/;
// A Bandit test id (B201) or name (flask_debug_true).
const BANDIT_TEST_REFERENCE = /^(?:B\d{3}|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$/;

export type PeerMarker = 'noqa' | 'nosec' | 'nosemgrep';

/** How a finding was suppressed: by our own comment (on which line), or by another tool's. */
export type Suppression = { by: 'secure-flask'; line: number } | { by: PeerMarker; line: number };

/** A rule's codes in other tools, from its rule page's table of equivalents. */
interface PeerCodes {
  noqa: Set<string>;
  nosec: Set<string>;
  nosemgrep: Set<string>;
}

const peerCodesByRule = new WeakMap<Rule, PeerCodes>();

function peerCodesOf(rule: Rule): PeerCodes {
  let codes = peerCodesByRule.get(rule);
  if (codes) return codes;
  codes = { noqa: new Set(), nosec: new Set(), nosemgrep: new Set() };
  for (const { tool, id } of rule.references?.equivalents ?? []) {
    // 'S201 flask-debug-true': the code and the name; 'B201 flask_debug_true' likewise.
    const words = id.split(' ');
    if (tool === 'Ruff') codes.noqa.add(words[0]?.toUpperCase() ?? id);
    if (tool === 'Bandit') for (const word of words) codes.nosec.add(word);
    // Semgrep matches a nosemgrep id against the full rule id; people also write its last part.
    if (tool === 'Semgrep') codes.nosemgrep.add(id).add(id.split('.').at(-1) ?? id);
  }
  peerCodesByRule.set(rule, codes);
  return codes;
}

function ownSuppressionOn(line: string | undefined): Set<string> | 'all' | undefined {
  if (line === undefined) return undefined;
  const match = SUPPRESSION.exec(line);
  if (!match) return undefined;
  if (match[1] === undefined) return 'all';
  return new Set(
    match[1]
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}

/** The codes another tool's comment on the line names, 'all' for a bare one, or undefined. */
function peerSuppressionOn(line: string, marker: PeerMarker): Set<string> | 'all' | undefined {
  if (!line.includes(marker)) return undefined;
  const pattern = marker === 'noqa' ? NOQA : marker === 'nosec' ? NOSEC : NOSEMGREP;
  const match = pattern.exec(line);
  if (!match) return undefined;
  let codes = (match[1] ?? '').split(/[\s,]+/).filter(Boolean);
  // Bandit ignores words that are no test id or name, so `# nosec, not run in production` is bare.
  if (marker === 'nosec') codes = codes.filter((code) => BANDIT_TEST_REFERENCE.test(code));
  if (codes.length === 0) return marker === 'noqa' ? undefined : 'all';
  return new Set(marker === 'noqa' ? codes.map((code) => code.toUpperCase()) : codes);
}

/** Every `secure-flask: ignore` comment of a file, with its 1-based line and the ids it names. */
export function suppressionComments(text: string): { line: number; ids: Set<string> | 'all' }[] {
  const comments: { line: number; ids: Set<string> | 'all' }[] = [];
  text.split('\n').forEach((line, index) => {
    const ids = ownSuppressionOn(line);
    if (ids !== undefined) comments.push({ line: index + 1, ids });
  });
  return comments;
}

/**
 * Rule ids named in suppression comments that no rule has (a typo silences nothing):
 * each with its 1-based line, so the user is warned as Ruff warns of unknown `noqa` codes.
 */
export function unknownSuppressionIds(text: string, known: ReadonlySet<string>): { line: number; id: string }[] {
  return suppressionComments(text).flatMap(({ line, ids }) =>
    ids === 'all' ? [] : [...ids].filter((id) => !known.has(id)).map((id) => ({ line, id })),
  );
}

/**
 * Whether a finding is suppressed, and by what: our comment on its first or last line, or on a
 * comment-only line above it (for files where a trailing comment would change the value, such as
 * .env files); else another tool's comment for the equivalent rule on its first or last line.
 */
export function suppressionOf(
  lines: string[],
  rule: Rule,
  firstLine: number,
  lastLine: number,
): Suppression | undefined {
  const candidates = firstLine === lastLine ? [firstLine] : [firstLine, lastLine];
  const above = lines[firstLine - 2];
  const ownCandidates = above?.trimStart().startsWith('#') ? [...candidates, firstLine - 1] : candidates;
  for (const line of ownCandidates) {
    const found = ownSuppressionOn(lines[line - 1]);
    if (found === 'all' || found?.has(rule.id)) return { by: 'secure-flask', line };
  }
  const codes = peerCodesOf(rule);
  for (const marker of ['noqa', 'nosec', 'nosemgrep'] as const) {
    if (codes[marker].size === 0) continue;
    for (const line of candidates) {
      const found = peerSuppressionOn(lines[line - 1] ?? '', marker);
      if (found === 'all' || (found !== undefined && [...codes[marker]].some((code) => found.has(code))))
        return { by: marker, line };
    }
  }
  return undefined;
}
