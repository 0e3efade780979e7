import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What a checkout of the standard library would not contain.
const LEFT_OUT = new Set(['site-packages', '__pycache__']);

/** Mirrors `source` into `target` with hard links (a copy across file systems): the same bytes, no disk cost. */
function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (LEFT_OUT.has(entry.name)) continue;
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else if (entry.isFile()) {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/** A temporary tree holding `copies` copies of `source` side by side (copy-1 ... copy-N). */
export function repeatedTree(source: string, copies: number): string {
  const root = mkdtempSync(join(tmpdir(), `secure-flask-bench-${copies}x-`));
  for (let copy = 1; copy <= copies; copy++) linkTree(source, join(root, `copy-${copy}`));
  return root;
}
