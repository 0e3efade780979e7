import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must } from '../support/must.js';

// What a checkout of the standard library would not contain: the packages installed into it (they vary
// by machine: pyenv's site-packages holds ~10,000 Python files, Flask among them) and bytecode caches.
const LEFT_OUT = new Set(['site-packages', 'dist-packages', '__pycache__']);
// The metadata folder pip writes beside every package it installs.
const INSTALLED_PACKAGE = /\.(?:dist|egg)-info$/;

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

/**
 * Throws if a tree built from the standard library holds an installed package (its metadata
 * folder): the stdlib rows would then time the packages, not the standard library.
 */
export function assertNoInstalledPackages(tree: string): void {
  const installed = readdirSync(tree, { withFileTypes: true, recursive: true }).filter(
    (entry) => entry.isDirectory() && INSTALLED_PACKAGE.test(entry.name),
  );
  if (installed.length > 0) {
    const first = must(installed[0]);
    throw new Error(`${join(first.parentPath, first.name)}: an installed package in the stdlib tree`);
  }
}

/** A temporary tree holding `copies` copies of `source` side by side (copy-1 ... copy-N). */
export function repeatedTree(source: string, copies: number): string {
  const root = mkdtempSync(join(tmpdir(), `secure-flask-bench-${copies}x-`));
  for (let copy = 1; copy <= copies; copy++) linkTree(source, join(root, `copy-${copy}`));
  return root;
}
