import { decodeSource, readFileBytesTransient } from '../files/source-text.js';
import { CONFIG_LOADING_KEYWORDS } from '../python/module-facts.js';
import type { FileKind, Rule, TextTest } from '../rules/rule.js';
import type { DiscoveredFile } from './discover.js';
import { SUPPRESSION_MARK, unknownSuppressionIds } from './suppressions.js';

/**
 * What one pass over a file's text tells before anything is decoded or parsed:
 * which rules could report on it, and which project keywords it holds.
 * Most files of a repository hold no keyword at all and end here.
 */
export interface Screening {
  /** Why the file could not be read, if it could not. */
  skipped?: string;
  /**
   * The rules (of those that read its kind) that could report on the file: its text has their
   * keywords, and passes the prefilter of those without project keywords.
   */
  ruleIds: readonly string[];
  /** A Python file calling from_object/from_pyfile: its loaded modules confirm config-module findings. */
  loadsConfig: boolean;
  /** The rules' project keywords (Rule.projectKeywords) the file contains. */
  projectKeywords: readonly string[];
  /** Suppression comments naming a rule id that does not exist. */
  unknownSuppressions?: { line: number; id: string }[];
  /** The file's size, for a file with any keyword: what parsing it would cost. */
  bytes?: number;
}

/** The screening of a file with no keyword at all (most files): one shared object. */
export const SCREENED_OUT: Screening = Object.freeze({ ruleIds: [], loadsConfig: false, projectKeywords: [] });

interface KindScreen {
  rules: Rule[];
  /**
   * Every word that makes the file worth a closer look, as one alternation: one pass
   * finds all of them (most files: none). Longer words come first.
   */
  words: RegExp;
  /** The shorter words inside each word (`flask` in `secure-flask:`), which the pass does not see again. */
  wordsWithin: Map<string, string[]>;
  projectKeywords: string[];
}

const screensByRules = new WeakMap<readonly Rule[], Map<FileKind, KindScreen>>();

function screenFor(rules: readonly Rule[], kind: FileKind): KindScreen {
  let byKind = screensByRules.get(rules);
  if (!byKind) screensByRules.set(rules, (byKind = new Map()));
  let screen = byKind.get(kind);
  if (!screen) {
    const forKind = rulesForKind(rules, kind);
    const keywords = [...forKind.flatMap((rule) => rule.keywords), ...(kind === 'python' ? CONFIG_LOADING_KEYWORDS : [])];
    // Project keywords can sit in any Python file of the project, whatever rules read it.
    const projectKeywords = kind === 'python' ? [...new Set(rules.flatMap((rule) => rule.projectKeywords ?? []))] : [];
    const all = [...new Set([...keywords, ...projectKeywords, SUPPRESSION_MARK])].sort((a, b) => b.length - a.length);
    const words = new RegExp(all.map(escapeRegExp).join('|'), 'g');
    const wordsWithin = new Map(all.map((word) => [word, all.filter((other) => other !== word && word.includes(other))]));
    screen = { rules: forKind, words, wordsWithin, projectKeywords };
    byKind.set(kind, screen);
  }
  return screen;
}

/** True when the rule's prefilter (one pattern, or any of several) matches the text. */
export function matchesPrefilter(rule: Rule, text: string): boolean {
  const patterns: readonly TextTest[] = Array.isArray(rule.prefilter) ? rule.prefilter : [rule.prefilter as TextTest];
  return patterns.some((pattern) => pattern.test(text));
}

/** The rules that read a kind of file. */
export function rulesForKind(rules: readonly Rule[], kind: FileKind): Rule[] {
  return rules.filter((rule) => (kind === 'python' ? rule.language === 'python' : rule.language === 'deploy' && rule.fileKinds.includes(kind)));
}

/**
 * Reads a file once and screens it by keyword. Keywords are ASCII, so looking
 * for them in the Latin-1 view of the bytes is valid before decoding, in every
 * encoding a Python file may declare; the bytes themselves are not kept.
 */
export function screenFile(file: DiscoveredFile, rules: readonly Rule[]): Screening {
  const read = readFileBytesTransient(file.path);
  if (!read.ok) return { ...SCREENED_OUT, skipped: read.reason };
  const text = read.bytes.toString('latin1');
  const screen = screenFor(rules, file.kind);
  const found = new Set<string>();
  screen.words.lastIndex = 0;
  for (let match = screen.words.exec(text); match; match = screen.words.exec(text)) {
    found.add(match[0]);
    for (const within of screen.wordsWithin.get(match[0])!) found.add(within);
  }
  if (found.size === 0) return SCREENED_OUT;
  let ruleIds = screen.rules.filter((rule) => rule.keywords.some((keyword) => found.has(keyword)));
  // A rule every project can trigger is prefiltered now, on this thread; one that waits for its
  // project keywords is prefiltered where it is analyzed, if the project has them.
  if (ruleIds.some((rule) => !rule.projectKeywords)) {
    const decoded = decodeSource(read.bytes, file.kind === 'python');
    if (!decoded.ok) return { ...SCREENED_OUT, skipped: decoded.reason };
    ruleIds = ruleIds.filter((rule) => rule.projectKeywords !== undefined || matchesPrefilter(rule, decoded.source.text));
  }
  const screening: Screening = {
    ruleIds: ruleIds.map((rule) => rule.id),
    loadsConfig: file.kind === 'python' && CONFIG_LOADING_KEYWORDS.some((keyword) => found.has(keyword)),
    projectKeywords: screen.projectKeywords.filter((keyword) => found.has(keyword)),
    bytes: read.bytes.length,
  };
  if (found.has(SUPPRESSION_MARK)) {
    const unknown = unknownSuppressionIds(text, new Set(rules.map((rule) => rule.id)));
    if (unknown.length > 0) screening.unknownSuppressions = unknown;
  }
  return screening;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
