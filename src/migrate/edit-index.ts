import type { TextEdit } from '../core/findings.js';

/**
 * Edits by start offset, to find those near a range without testing every edit: a file with
 * thousands of fixes would otherwise compare each new edit with all the others (quadratic).
 * An edit that can overlap, touch or hold the range [start, end] starts at most the longest
 * edit's length before it, and not after its end: only those are returned.
 */
export class EditIndex {
  private readonly byStart: TextEdit[] = [];
  private longest = 0;

  add(edit: TextEdit): void {
    this.byStart.splice(this.firstStartingAt(edit.start + 1), 0, edit);
    this.longest = Math.max(this.longest, edit.end - edit.start);
  }

  /** Every edit starting in [start - longest, end]: a superset of those that overlap or touch [start, end]. */
  near(start: number, end: number): TextEdit[] {
    return this.byStart.slice(this.firstStartingAt(start - this.longest), this.firstStartingAt(end + 1));
  }

  /** The index of the first edit that starts at or after `offset`. */
  private firstStartingAt(offset: number): number {
    let low = 0;
    let high = this.byStart.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.byStart[middle]?.start ?? offset) < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
