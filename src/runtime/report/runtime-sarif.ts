import { pathToFileURL } from 'node:url';
import { packageVersion } from '../../core/version.js';
import { EXPOSURE_KINDS, type Exposure, type ExposureKind } from '../exposures.js';

// What the server gives away is CWE-489 (active debug code) and CWE-215 (debugging information),
// tagged as check's SARIF tags its rules; the security-severity is code scanning's ranking score.
const TAGS = ['security', 'external/cwe/cwe-489', 'external/cwe/cwe-215'];
const SECURITY_SEVERITY = { error: '9.8', warning: '5.3' } as const;

/** Where a runtime result points: the probed URL, or the deploy file whose entrypoint served it. */
export interface RuntimeLocation {
  uri: string;
  /** Set for repository files: the uri is relative to the root. */
  inRepository: boolean;
  line?: number;
}

export interface RuntimeSarifInput {
  results: { exposure: Exposure; location: RuntimeLocation; context: string }[];
  /** Targets that could not be checked (unreachable, did not start): invocation notifications. */
  failures: string[];
  /** The repository root, for verify. */
  root?: string;
}

function ruleDescriptor(kind: ExposureKind) {
  return {
    id: kind.id,
    name: kind.id.replace(/(^|-)(\w)/g, (_m: string, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: kind.title },
    fullDescription: { text: kind.why },
    help: { text: `${kind.why}\n\nFix: ${kind.fix}`, markdown: `${kind.why}\n\n**Fix**\n\n${kind.fix}` },
    defaultConfiguration: { level: kind.severity },
    properties: { tags: TAGS, precision: 'very-high', 'security-severity': SECURITY_SEVERITY[kind.severity] },
  };
}

/** SARIF 2.1.0 with the same conventions as check's: every exposure kind described once. */
export function formatRuntimeSarif(input: RuntimeSarifInput): string {
  const kinds = Object.values(EXPOSURE_KINDS);
  const ruleIndex = new Map(kinds.map((kind, index) => [kind.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'secure-flask', semanticVersion: packageVersion(), rules: kinds.map(ruleDescriptor) } },
        ...(input.root ? { originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(input.root).href}/` } } } : {}),
        invocations: [
          {
            executionSuccessful: input.failures.length === 0,
            toolExecutionNotifications: input.failures.map((text) => ({ level: 'error', message: { text } })),
          },
        ],
        results: input.results.map(({ exposure, location, context }) => ({
          ruleId: exposure.id,
          ruleIndex: ruleIndex.get(exposure.id) ?? 0,
          level: exposure.severity,
          message: {
            text: `${context}: ${exposure.message} (${exposure.evidence}). Fix: ${EXPOSURE_KINDS[exposure.id].fix}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location.inRepository
                  ? { uri: encodeURI(location.uri), uriBaseId: '%SRCROOT%' }
                  : { uri: location.uri },
                ...(location.line ? { region: { startLine: location.line } } : {}),
              },
            },
          ],
          properties: { url: exposure.url, evidence: exposure.evidence },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
