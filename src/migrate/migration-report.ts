import { statSync } from 'node:fs';
import { packageVersion } from '../core/version.js';
import type { Colors } from '../core/colors.js';
import { hangingLines } from '../core/terminal-text.js';
import { TextPositions } from '../check/text-position.js';
import { colorDiff, unifiedDiff } from '../files/patch.js';
import type { Change, ExtraFile, FilePlan, MigrationPlan } from './plan-types.js';

export function fileDiff(plan: FilePlan): string {
  const bom = plan.source?.hasBom ? '\uFEFF' : '';
  const deleted = plan.deleted ? { mode: gitMode(plan.file.path) } : undefined;
  return unifiedDiff({
    rootPath: plan.file.rootPath,
    before: bom + plan.before,
    after: deleted ? '' : bom + plan.after,
    ...(deleted ? { deleted } : {}),
    // The diff reads the edits against its `before`, which starts with the BOM.
    edits: plan.edits?.map((edit) => ({ ...edit, start: edit.start + bom.length, end: edit.end + bom.length })),
  });
}

function gitMode(path: string): string {
  try {
    return statSync(path).mode & 0o111 ? '100755' : '100644';
  } catch {
    return '100644';
  }
}

export function extraDiff(extra: ExtraFile): string {
  return unifiedDiff({ rootPath: extra.rootPath, before: extra.before, after: extra.after, created: extra.created });
}

/**
 * One patch for every change: each file's section in that file's own encoding,
 * so `git apply` and `patch -p1` match the bytes on disk (latin-1 files included).
 */
export function patchBytes(plans: FilePlan[], extras: ExtraFile[]): Buffer {
  const sections = plans.map((plan) =>
    Buffer.from(fileDiff(plan), plan.source?.encoding === 'latin1' ? 'latin1' : 'utf8'),
  );
  return Buffer.concat([...sections, ...extras.map((extra) => Buffer.from(extraDiff(extra), 'utf8'))]);
}

export function renderDiffs(plans: FilePlan[], extras: ExtraFile[], colors: Colors): string {
  return [...plans.map(fileDiff), ...extras.map(extraDiff)].map((diff) => colorDiff(diff, colors)).join('');
}

export interface Counts {
  changed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  manual: number;
}

export function countPlans(plan: MigrationPlan): Counts {
  const count = (status: FilePlan['status']) => plan.files.filter((file) => file.status === status).length;
  return {
    // A file a fix appends to (requirements.txt) is written like any changed file: count it as one.
    changed: count('changed') + plan.extras.filter((extra) => !extra.created).length,
    unchanged: count('unchanged'),
    skipped: count('skipped') + plan.report.skipped.filter((skip) => skip.reason !== 'test code').length,
    failed: count('failed'),
    manual: plan.files.reduce((sum, file) => sum + file.manual.length + file.conflicts.length, 0),
  };
}

/**
 * Why a change was not made: its edits cross another change's in the same text, and
 * neither contains the other, so no order of the two is right. A person merges them.
 */
export function conflictReason(file: FilePlan, conflict: Change): string {
  const crossed = file.changes.find(({ fix }) =>
    fix.edits.some((edit) => conflict.fix.edits.some((other) => edit.start < other.end && other.start < edit.end)),
  );
  const other = crossed ? ` (${crossed.finding.ruleId}, line ${crossed.finding.line})` : '';
  return `its rewrite crosses another change to the same text${other}; make this one by hand on top of it`;
}

/** The summary a reviewer reads last: counts, then every finding that still needs a person. */
export function renderSummary(
  plan: MigrationPlan,
  counts: Counts,
  colors: Colors,
  verb: string,
  width = Infinity,
): string {
  const lines: string[] = [];
  for (const file of plan.files) {
    if (file.status === 'skipped' || file.status === 'failed')
      lines.push(colors.yellow(`${file.status}: ${file.file.displayPath}: ${file.reason}`));
    for (const finding of file.manual)
      lines.push(
        `manual: ${finding.displayPath}:${finding.line}:${finding.column} ` +
          `${finding.ruleId}: ${finding.fix?.manual ?? finding.hint}`,
      );
    for (const conflict of file.conflicts)
      lines.push(
        `manual: ${conflict.finding.displayPath}:${conflict.finding.line} ` +
          `${conflict.finding.ruleId}: ${conflictReason(file, conflict)}`,
      );
  }
  for (const notice of notices(plan))
    lines.push(...hangingLines('notice: ', notice, width).map((line) => colors.cyan(line)));
  const newFiles = plan.extras.filter((extra) => extra.created).length;
  const deletedFiles = plan.files.filter((file) => file.status === 'changed' && file.deleted).length;
  const extraText = `${newFiles > 0 ? `, ${newFiles} new` : ''}${deletedFiles > 0 ? `, ${deletedFiles} deleted` : ''}`;
  lines.push(
    colors.bold(
      `${verb}: ${counts.changed} changed${extraText}, ` +
        `${counts.unchanged} unchanged, ${counts.skipped} skipped, ${counts.failed} failed` +
        (counts.manual > 0
          ? `; ${counts.manual} finding${counts.manual === 1 ? ' needs' : 's need'} a manual change`
          : ''),
    ),
  );
  return `${lines.join('\n')}\n`;
}

export function renderJson(plan: MigrationPlan, counts: Counts): string {
  const files = plan.files
    .filter((file) => file.status !== 'unchanged' || file.manual.length > 0)
    .map((file) => {
      const positions = new TextPositions(file.before);
      return {
        path: file.file.rootPath,
        status: file.status,
        ...(file.reason ? { reason: file.reason } : {}),
        ...(file.deleted ? { deleted: true } : {}),
        changes: file.changes.map(({ finding, fix }) => ({
          ruleId: finding.ruleId,
          line: finding.line,
          column: finding.column,
          title: fix.title,
          ...(fix.notice ? { notice: fix.notice } : {}),
          edits: fix.edits.map((edit) => {
            const from = positions.at(edit.start);
            const to = positions.at(edit.end);
            return {
              start: edit.start,
              end: edit.end,
              replacement: edit.replacement,
              startLine: from.line,
              startColumn: from.column,
              endLine: to.line,
              endColumn: to.column,
            };
          }),
        })),
        manual: file.manual.map((finding) => ({
          ruleId: finding.ruleId,
          line: finding.line,
          column: finding.column,
          message: finding.message,
          ...(finding.fix?.manual ? { reason: finding.fix.manual } : {}),
        })),
      };
    });
  const extras = plan.extras.map((extra) => ({ path: extra.rootPath, created: extra.created, contents: extra.after }));
  const summary = { ...counts, deleted: plan.files.filter((file) => file.status === 'changed' && file.deleted).length };
  const report = {
    tool: { name: 'secure-flask', version: packageVersion() },
    files,
    extraFiles: extras,
    notices: notices(plan),
    summary,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Every change beyond removing debug, in a developer's words: the fixes' own
 * notices (a dev server replaced, a config default switched) and the files deleted.
 */
export function notices(plan: MigrationPlan): string[] {
  const found: string[] = [];
  for (const file of plan.files) {
    if (file.status !== 'changed') continue;
    for (const { fix } of file.changes) {
      const notice = fix.notice && `${file.file.rootPath}: ${fix.notice}`;
      if (notice && !found.includes(notice)) found.push(notice);
    }
    if (file.deleted)
      found.push(
        `${file.file.rootPath} is deleted: the debug setting was all it held. ` +
          'Set FLASK_DEBUG=1 in a git-ignored .env or run `flask run --debug` on your machine.',
      );
  }
  return found;
}
