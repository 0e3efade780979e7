import { existsSync, readFileSync } from 'node:fs';
import type { Fix } from '../rules/rule.js';
import { decodeSource, encodeSource, readFileBytes } from '../files/source-text.js';
import type { DiscoveredFile } from '../files/discover.js';
import { runCheck, type CheckOptions, type CheckReport, type Finding } from '../check/run-check.js';
import { applyFixes, parsesCleanly, type ParsedSource } from './apply-fixes.js';
import type { Change, ExtraFile, FilePlan, FileStatus, MigrationPlan } from './plan-types.js';
import { planSharedFiles } from './shared-files.js';
import { resolvesInside } from './write-files.js';

export type { Change, ExtraFile, FilePlan, FileStatus, MigrationPlan } from './plan-types.js';

/**
 * Computes every rewrite without writing: findings (with fixes) from the check
 * engine, then per file the fixes applied in memory, re-parsed, and encoded
 * back in the file's own encoding. A file that would not survive is marked
 * failed and keeps its original text.
 */
export async function planMigration(options: Omit<CheckOptions, 'withFixes'>): Promise<MigrationPlan> {
  const report = await runCheck({ ...options, withFixes: true });
  try {
    const byFile = new Map<string, Finding[]>();
    for (const finding of report.findings) {
      const ofFile = byFile.get(finding.path);
      if (ofFile) ofFile.push(finding);
      else byFile.set(finding.path, [finding]);
    }
    const elsewhere = changesInOtherFiles(report);
    const files: FilePlan[] = [];
    for (const file of report.checkedFiles) {
      const findings = byFile.get(file.path) ?? [];
      files.push(planFile(file, findings, report, report.keptTrees?.get(file.path), elsewhere.get(file.path)));
    }
    const consistent = planSharedFiles(files, withSelection);
    return { report, files: consistent, extras: planExtras(consistent, options.cwd, report.root) };
  } finally {
    // The analysis's trees served the re-parses above; they live in WebAssembly memory until deleted.
    for (const { tree } of report.keptTrees?.values() ?? []) tree.delete();
    report.keptTrees?.clear();
  }
}

/**
 * The edits fixes make in files other than their finding's (a raw_env item of the gunicorn config a deploy file's
 * command loads), by the file they edit: each is a change of that file, shown with the finding it fixes.
 */
function changesInOtherFiles(report: CheckReport): Map<string, Change[]> {
  const checked = new Set(report.checkedFiles.map((file) => file.path));
  const byPath = new Map<string, Change[]>();
  for (const finding of report.findings) {
    for (const other of finding.fix?.otherFiles ?? []) {
      if (!checked.has(other.path) || !finding.fix) continue;
      const change = { finding, fix: { title: finding.fix.title, edits: other.edits } };
      byPath.set(other.path, [...(byPath.get(other.path) ?? []), change]);
    }
  }
  return byPath;
}

/** True when a fix edits a file this run did not read (excluded, or outside the paths named): a person's then. */
function editsUnplannedFile(fix: Fix, report: CheckReport): boolean {
  return (fix.otherFiles ?? []).some((other) => !report.checkedFiles.some((file) => file.path === other.path));
}

function planFile(
  file: DiscoveredFile,
  findings: Finding[],
  report: CheckReport,
  parsed?: ParsedSource,
  elsewhere: Change[] = [],
): FilePlan {
  const changes = [
    ...findings.flatMap((finding) => (finding.fix && hasEdits(finding.fix) ? [{ finding, fix: finding.fix }] : [])),
    ...elsewhere,
  ];
  const manual = findings.filter(
    (finding) => !finding.fix || finding.fix.manual !== undefined || editsUnplannedFile(finding.fix, report),
  );
  const base: FilePlan = { file, status: 'unchanged', before: '', after: '', changes: [], manual, conflicts: [] };
  const syntaxError = report.syntaxErrors.get(file.displayPath);
  // A file left untouched leaves the other files' findings whose edits were here to a person too.
  const unplanned = [...findings, ...elsewhere.map((change) => change.finding)];
  if (syntaxError && unplanned.length > 0) {
    return {
      ...base,
      status: 'skipped',
      reason:
        `not valid Python 3 (${syntaxError.message ?? 'syntax error'}) ` +
        `at line ${syntaxError.line}:${syntaxError.column}; left untouched`,
      manual: unplanned,
    };
  }
  if (changes.length === 0) return base;
  // git shows nothing to review or undo for a file outside the repository: never write through to it.
  if (!resolvesInside(file.path, report.root)) {
    return {
      ...base,
      status: 'skipped',
      reason: 'a symlink that resolves outside the repository; not written through',
      manual: unplanned,
    };
  }
  const read = readFileBytes(file.path);
  const decoded = read.ok ? decodeSource(read.bytes, file.kind === 'python') : read;
  if (!decoded.ok) return { ...base, status: 'skipped', reason: decoded.reason, manual: unplanned };
  return withSelection(
    { ...base, source: decoded.source, bytes: decoded.bytes, before: decoded.source.text, changes },
    changes,
    parsed,
  );
}

/**
 * The plan for a file with only `selected` of its changes applied (the review's per-change choice).
 * `parsed`: the analysis's parse of the file, when it is still there (the rewrite re-parses from it).
 */
export function withSelection(plan: FilePlan, selected: Change[], parsed?: ParsedSource): FilePlan {
  if (!plan.source) return plan;
  const language = plan.file.kind === 'python' ? 'python' : 'text';
  const original = parsed?.text === plan.before ? parsed : undefined;
  const outcome = applyFixes(plan.before, selected, language, original);
  // Only files that parse get here (planFile skips the others), so the rewrite alone is checked.
  if (
    language === 'python' &&
    !parsesCleanly(outcome.text, original ? { parsed: original, edits: outcome.edits } : undefined)
  ) {
    return {
      ...plan,
      status: 'failed',
      reason: 'the rewrite did not parse; left untouched',
      after: plan.before,
      conflicts: outcome.conflicts,
    };
  }
  if (encodeSource(outcome.text, plan.source) === undefined) {
    // Node has no encoder for multi-byte codecs (Shift JIS, GBK, Big5): skipped, with why.
    return {
      ...plan,
      status: 'skipped',
      reason: `encoded in ${plan.source.encoding}, which migrate cannot write back; left untouched`,
      after: plan.before,
    };
  }
  const status: FileStatus = outcome.text === plan.before ? 'unchanged' : 'changed';
  // An env file whose only line was FLASK_DEBUG=1 is better gone than left empty (Python files never: __init__.py).
  const deleted = status === 'changed' && language === 'text' && outcome.text.trim() === '';
  return {
    ...plan,
    status,
    after: deleted ? '' : outcome.text,
    changes: outcome.applied,
    conflicts: outcome.conflicts,
    deleted,
    edits: outcome.edits,
  };
}

function hasEdits(fix: Fix): boolean {
  return fix.edits.length > 0 || (fix.newFiles?.length ?? 0) > 0 || (fix.appendLines?.length ?? 0) > 0;
}

/** New files (wsgi.py, gunicorn.conf.py) and appended requirement lines, merged across the fixes that ask for them. */
export function planExtras(files: FilePlan[], cwd: string, root: string): ExtraFile[] {
  const extras = new Map<string, ExtraFile>();
  const relativeTo = (base: string, path: string) => (path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path);
  const entry = (path: string, created: boolean, before: string) => {
    let extra = extras.get(path);
    if (!extra) {
      extra = {
        path,
        displayPath: relativeTo(cwd, path),
        rootPath: relativeTo(root, path),
        before,
        after: before,
        created,
      };
      extras.set(path, extra);
    }
    return extra;
  };
  for (const plan of files) {
    if (plan.status !== 'changed') continue;
    for (const change of plan.changes) {
      for (const newFile of change.fix.newFiles ?? []) {
        if (existsSync(newFile.path)) continue;
        const extra = entry(newFile.path, true, '');
        extra.after = newFile.contents;
      }
      for (const append of change.fix.appendLines ?? []) {
        if (!existsSync(append.path)) continue;
        const extra = entry(append.path, false, readFileSync(append.path, 'utf8'));
        if (!new RegExp(append.unlessMatches, 'im').test(extra.after)) {
          const line =
            append.pinnedLine !== undefined && pinsEverything(extra.before) ? append.pinnedLine : append.line;
          extra.after = `${extra.after}${extra.after === '' || extra.after.endsWith('\n') ? '' : '\n'}${line}\n`;
        }
      }
    }
  }
  return [...extras.values()].filter((extra) => extra.after !== extra.before);
}

/** True when every requirement of a requirements file is pinned with `==` (options, comments and blank lines aside). */
function pinsEverything(text: string): boolean {
  const requirements = text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'));
  return (
    requirements.length > 0 &&
    requirements.every((line) => /^[A-Za-z0-9][\w.-]*(?:\[[^\]]*\])?\s*===?\s*[^\s,;]+(?:\s*;.*)?$/.test(line))
  );
}
