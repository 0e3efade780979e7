/**
 * The parses of the texts read last, up to a budget of text length: a check parses a deploy file for the
 * model and again for the rules that read it (and a model built again once a grammar has loaded parses its
 * files again), always the same text. The oldest parse goes first once the budget is spent; a text over
 * the budget on its own is never kept.
 */
export class RecentParses<Parse> {
  private readonly parses = new Map<string, Parse>();
  private length = 0;

  constructor(private readonly budget: number) {}

  /** The kept parse of `text`, or `parse(text)`, kept. */
  parse(text: string, parse: (text: string) => Parse): Parse {
    const kept = this.parses.get(text);
    if (kept !== undefined) return kept;
    const parsed = parse(text);
    if (text.length > this.budget) return parsed;
    for (const oldest of this.parses.keys()) {
      if (this.length + text.length <= this.budget) break;
      this.parses.delete(oldest);
      this.length -= oldest.length;
    }
    this.parses.set(text, parsed);
    this.length += text.length;
    return parsed;
  }
}
