import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../check/run-check.js';
import { planExtras, withSelection, type FilePlan } from '../migrate/plan.js';
import { DIAGNOSTIC_SOURCE, diagnosticOf, isFindingKey } from './diagnostics.js';
import { suppressionEdit } from './suppress-comment.js';
import { textEditsBetween, workspaceEditOf, type EditSupport } from './text-edits.js';
import type { DocumentAnalysis } from './workspace-analysis.js';

/** The kind editors ask for on save ("fix all"), scoped to this tool as Ruff and ESLint scope theirs. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.secure-flask`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/**
 * The actions for a request: for each of our diagnostics in the context, the
 * rewrite migrate plans for it (a quick fix, possibly creating or extending a
 * second file) and a suppression comment; and every planned rewrite of the
 * file at once as `source.fixAll.secure-flask`. The edits are migrate's, as
 * data: the client applies them, the server writes nothing.
 */
export function codeActionsFor(
  analysis: DocumentAnalysis,
  params: CodeActionParams,
  support: EditSupport,
): CodeAction[] {
  const wanted = (kind: string) =>
    params.context.only === undefined ||
    params.context.only.some((only) => kind === only || kind.startsWith(`${only}.`));
  const actions: CodeAction[] = [];
  const { document } = analysis;
  // Edits are computed against the text the plan read; a buffer that moved on since gets none.
  const plan = analysis.plan?.source && analysis.plan.before === document.text ? analysis.plan : undefined;
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const finding = findingShownBy(diagnostic, analysis.findings);
    if (!finding) continue;
    if (wanted(CodeActionKind.QuickFix)) {
      const fix = plan && quickFixFor(finding, plan, analysis, support);
      if (fix) actions.push({ ...fix, diagnostics: [diagnostic] });
      const kind = analysis.plan?.file.kind;
      const suppression = kind && suppressionEdit(document.text, kind, finding.ruleId, finding.line, finding.endLine);
      if (suppression) {
        actions.push({
          title: `Suppress ${finding.ruleId} here with a comment`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [document.uri]: [suppression] } },
        });
      }
    }
  }
  if (plan && wanted(FIX_ALL_KIND) && plan.status === 'changed') {
    const edit = workspaceEditOf(
      document,
      textEditsBetween(plan.before, plan.after),
      planExtras([plan], analysis.migration.report.root, analysis.migration.report.root),
      support,
    );
    if (edit)
      actions.push({
        title: 'Fix all secure-flask findings in this file',
        kind: FIX_ALL_KIND,
        edit,
        diagnostics: plan.changes.map((change) => diagnosticOf(change.finding)),
      });
  }
  return actions;
}

/** The one change migrate plans for a finding, applied alone. */
function quickFixFor(
  finding: Finding,
  plan: FilePlan,
  analysis: DocumentAnalysis,
  support: EditSupport,
): CodeAction | undefined {
  const change =
    plan.changes.find((candidate) => sameFinding(candidate.finding, finding)) ??
    plan.conflicts.find((candidate) => sameFinding(candidate.finding, finding));
  if (!change) return undefined;
  const single = withSelection(plan, [change]);
  if (single.status !== 'changed') return undefined;
  const root = analysis.migration.report.root;
  const edit = workspaceEditOf(
    analysis.document,
    textEditsBetween(single.before, single.after),
    planExtras([single], root, root),
    support,
  );
  if (!edit) return undefined;
  const title = change.fix.manual
    ? `${change.fix.title} (the rest is left for you: ${change.fix.manual})`
    : change.fix.title;
  return { title, kind: CodeActionKind.QuickFix, isPreferred: change.fix.manual === undefined, edit };
}

/** The finding a diagnostic shows: by the key it carries, or by rule and range when the client dropped `data`. */
function findingShownBy(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const key = diagnostic.data;
  if (isFindingKey(key)) return findings.find((finding) => sameFinding(finding, key));
  return findings.find((finding) => {
    const shown = diagnosticOf(finding).range;
    return (
      finding.ruleId === diagnostic.code &&
      shown.start.line === diagnostic.range.start.line &&
      shown.start.character === diagnostic.range.start.character
    );
  });
}

function sameFinding(
  a: { ruleId: string; start: number; end: number },
  b: { ruleId: string; start: number; end: number },
): boolean {
  return a.ruleId === b.ruleId && a.start === b.start && a.end === b.end;
}
