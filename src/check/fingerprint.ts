import { sha256Hex } from '../core/sha256.js';

/**
 * A finding's identity that survives moved lines: its rule, its file and its source line without
 * whitespace, plus which occurrence of that same line it is (two identical
 * `app.run(debug=True)` lines in one file stay two findings). Line numbers are left out, so
 * code added above a finding does not make it new. Baselines and SARIF partialFingerprints use it.
 */
export function assignFingerprints<
  T extends { ruleId: string; rootPath: string; snippet: string; fingerprint?: string },
>(findings: T[]): void {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    // Without any whitespace: a formatter's re-spacing (Black, Ruff) does not make a finding new.
    const code = finding.snippet.replace(/\s+/g, '');
    const key = `${finding.ruleId}\0${finding.rootPath}\0${code}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    finding.fingerprint = sha256Hex(`${key}\0${occurrence}`).slice(0, 32);
  }
}
