import type { Fix, TextEdit } from '../rules/rule.js';
import { importsModuleGlobally, importStatementEdit } from '../python/imports.js';
import { reparsePython, withPythonTree, type Tree } from '../python/parser.js';
import { python3SyntaxError } from '../python/python3-syntax.js';
import { ModuleFacts } from '../python/module-facts.js';
import { withIntroducingComments } from './comment-hygiene.js';
import { EditIndex } from './edit-index.js';

export interface FixOutcome<T extends { fix: Fix }> {
  text: string;
  /**
   * Changes made, and those whose text another change rewrote whole
   * (their edits are not made, nothing is left of what they fixed).
   */
  applied: T[];
  /** Changes refused because their edits overlap an earlier change's. */
  conflicts: T[];
  /** The edits made, as offsets into the original text (what an incremental re-parse needs). */
  edits: TextEdit[];
}

/** A parse of the text the fixes are applied to, kept from the analysis: the rewrite re-parses from it. */
export interface ParsedSource {
  tree: Tree;
  text: string;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point are ordered, not overlapping; a replacement range must not cross another.
  if (a.start === a.end && b.start === b.end) return false;
  return a.start < b.end && b.start < a.end;
}

/**
 * Two deletions that overlap (`f(a=1, b=2)` losing both arguments, each with
 * its comma) agree on what goes: deleting twice is deleting the union. Any
 * overlap involving replacement text is a real conflict.
 */
function editsConflict(a: TextEdit, b: TextEdit): boolean {
  return overlaps(a, b) && (a.replacement !== '' || b.replacement !== '');
}

/** True when `outer` rewrites a range that holds all of `inner`: what `inner` would change is gone. */
function covers(outer: TextEdit, inner: TextEdit): boolean {
  return (
    outer.end > outer.start &&
    outer.start <= inner.start &&
    inner.end <= outer.end &&
    (inner.start < inner.end || (outer.start < inner.start && inner.start < outer.end))
  );
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.replacement === b.replacement && a.replacement !== '';
}

function mergeDeletions(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && last.replacement === '' && edit.replacement === '' && overlaps(last, edit))
      last.end = Math.max(last.end, edit.end);
    else merged.push({ ...edit });
  }
  return merged;
}

/**
 * Applies the changes whose edits do not overlap an earlier change's, adds the
 * imports they need once, and returns the new text. Pure: nothing is written.
 */
export function applyFixes<T extends { fix: Fix }>(
  text: string,
  changes: T[],
  language: 'python' | 'text',
  parsed?: ParsedSource,
): FixOutcome<T> {
  const accepted: TextEdit[] = [];
  const nearby = new EditIndex();
  const applied: T[] = [];
  const conflicts: T[] = [];
  const covered: T[] = [];
  // By position; at one position the change that rewrites more goes first, so it can cover the other.
  const first = (change: T) => Math.min(...change.fix.edits.map((e) => e.start));
  const last = (change: T) => Math.max(...change.fix.edits.map((e) => e.end));
  const ordered = [...changes].sort((a, b) => first(a) - first(b) || last(b) - last(a));
  for (const change of ordered) {
    // The same edit from two changes (one alias import both need) is made once.
    const near = (edit: TextEdit) => nearby.near(edit.start, edit.end);
    const fresh = change.fix.edits.filter((edit) => !near(edit).some((other) => sameEdit(edit, other)));
    if (fresh.some((edit) => near(edit).some((other) => editsConflict(edit, other)))) {
      // `--debug` dropped from a command another change replaces whole: the replacement already did it.
      if (fresh.every((edit) => near(edit).some((other) => covers(other, edit)))) covered.push(change);
      else conflicts.push(change);
      continue;
    }
    accepted.push(...fresh);
    for (const edit of fresh) nearby.add(edit);
    applied.push(change);
  }
  if (language === 'python' && applied.some((change) => change.fix.imports?.includes('os'))) {
    const importEdit = importOsEdit(text, parsed);
    if (importEdit) accepted.push(importEdit);
  }
  // Apply from the end so earlier offsets stay valid; insertions at one point keep their order.
  const sorted = withIntroducingComments(text, mergeDeletions(accepted))
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => b.edit.start - a.edit.start || b.order - a.order);
  const edits = sorted.map(({ edit }) => edit);
  return { text: editedText(text, edits), applied: [...applied, ...covered], conflicts, edits };
}

/**
 * The text with `edits` (last first) made one after another. When each edit ends where the one made
 * before it starts, or before (the usual case), that is the text between them joined once: slicing the
 * whole text again for every edit would cost the file's size times the number of edits.
 */
function editedText(text: string, lastFirst: readonly TextEdit[]): string {
  const apart = lastFirst.every((edit, index) => index === 0 || edit.end <= (lastFirst[index - 1]?.start ?? 0));
  if (!apart) {
    let result = text;
    for (const edit of lastFirst) result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
    return result;
  }
  const parts: string[] = [];
  let from = 0;
  for (let index = lastFirst.length - 1; index >= 0; index--) {
    const edit = lastFirst[index];
    if (!edit) continue;
    parts.push(text.slice(from, edit.start), edit.replacement);
    from = edit.end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** `import os` where the module's imports go; nothing when `os` is already imported as itself at module scope. */
export function importOsEdit(text: string, parsed?: ParsedSource): TextEdit | undefined {
  const edit = (tree: Tree) =>
    importsModuleGlobally(new ModuleFacts(tree, text), 'os') ? undefined : importStatementEdit(tree, text, 'import os');
  return parsed?.text === text ? edit(parsed.tree) : withPythonTree(text, edit);
}

/**
 * A Python rewrite is kept only if CPython 3 would compile it (as far as the grammar gate can tell).
 * With the original's parse (`parsed`, and the `edits` that made `text` from it), only what the edits
 * touched is parsed again.
 */
export function parsesCleanly(text: string, from?: { parsed: ParsedSource; edits: readonly TextEdit[] }): boolean {
  if (!from) return withPythonTree(text, (tree) => python3SyntaxError(tree, text) === undefined);
  const tree = reparsePython(from.parsed, from.edits, text);
  try {
    return python3SyntaxError(tree, text) === undefined;
  } finally {
    tree.delete();
  }
}
