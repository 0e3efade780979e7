import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../check/run-check.js';
import { rulePageUrl } from '../rules/rule-pages.js';

export const DIAGNOSTIC_SOURCE = 'secure-flask';

/** What a diagnostic carries back to the server in a code action request: which finding it shows. */
export interface FindingKey {
  ruleId: string;
  start: number;
  end: number;
}

/**
 * A finding as the editor shows it: the deploy-aware severity (error when a
 * production entrypoint reaches it, warning when only development does), the
 * rule id as code with its page as the link, and the hint after the message.
 */
export function diagnosticOf(finding: Finding): Diagnostic {
  const key: FindingKey = { ruleId: finding.ruleId, start: finding.start, end: finding.end };
  return {
    range: {
      start: { line: finding.line - 1, character: finding.column - 1 },
      end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
    },
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: finding.ruleId,
    codeDescription: { href: rulePageUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: `${finding.message}\nFix: ${finding.hint}`,
    data: key,
  };
}

/** A problem with the input that is not a finding (an unknown rule id in a suppression comment): the whole line. */
export function inputWarningOf(warning: { line: number; message: string }, lineText: string): Diagnostic {
  return {
    range: {
      start: { line: warning.line - 1, character: 0 },
      end: { line: warning.line - 1, character: lineText.length },
    },
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: warning.message,
  };
}

export function isFindingKey(value: unknown): value is FindingKey {
  if (typeof value !== 'object' || value === null) return false;
  const key = value as Record<string, unknown>;
  return typeof key.ruleId === 'string' && typeof key.start === 'number' && typeof key.end === 'number';
}
