import { pathToFileURL } from 'node:url';
import { packageVersion } from '../../core/version.js';
import type { Rule } from '../../rules/rule.js';
import { rulePageUrl, ruleTags } from '../../rules/rule-pages.js';
import type { CheckReport } from '../run-check.js';
import { deploymentEvidence } from './summary.js';

// GitHub code scanning ranks security alerts by this CVSS-like score: the debugger is remote code execution.
const SECURITY_SEVERITY = { error: '9.8', warning: '5.3' } as const;

function ruleDescriptor(rule: Rule) {
  const fence = '```';
  const markdown =
    `${rule.doc.why}\n\n**Example**\n\n${fence}\n${rule.doc.example}\n${fence}\n\n` + `**Fix**\n\n${rule.doc.fix}`;
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_m: string, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.doc.why },
    helpUri: rulePageUrl(rule.id),
    help: { text: `${rule.doc.why}\n\nFix: ${rule.hint}`, markdown },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ruleTags(rule), precision: 'high', 'security-severity': SECURITY_SEVERITY[rule.severity] },
  };
}

/**
 * SARIF 2.1.0 as GitHub code scanning takes it: every rule described once, results
 * pointing at root-relative URIs under the %SRCROOT% base.
 */
export function formatSarif(report: CheckReport): string {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-flask',
            semanticVersion: packageVersion(),
            rules: report.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(report.root).href}/` } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId) ?? 0,
          level: finding.severity,
          message: { text: `${finding.message}. Fix: ${finding.hint}` },
          // Deployment-aware severity: which entrypoints reach the finding (production: error, development
          // only: warning).
          properties: { deployment: deploymentEvidence(report, finding) },
          // Rule, file and code without the line number: code scanning keeps an alert open, not new, when lines move.
          ...(finding.fingerprint ? { partialFingerprints: { 'secureFlaskFindingHash/v1': finding.fingerprint } } : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(finding.rootPath), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endLine: finding.endLine,
                  endColumn: finding.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
