import { escapeRegExp } from '../core/escape-regexp.js';
import { isUtf8 } from 'node:buffer';
import { decodeSource, readFileBytesTransient } from '../files/source-text.js';
import { mayDefineDeployment } from '../deploy/deploy-shape.js';
import { MODEL_KINDS } from '../deploy/model.js';
import { isGunicornConfigFile } from '../deploy/formats/gunicorn-config-file.js';
import { isLambdaHandlerFile } from '../deploy/formats/lambda-handler.js';
import { CONFIG_LOADING_KEYWORDS } from '../python/module-facts.js';
import type { FileKind, Rule, TextTest } from '../rules/rule.js';
import type { DiscoveredFile } from '../files/discover.js';
import { SUPPRESSION_MARK, suppressionComments, unknownSuppressionIds } from './suppressions.js';

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
  /** Every `secure-flask: ignore` comment, to tell which suppress nothing once the file is analyzed. */
  suppressionComments?: { line: number; ids: Set<string> | 'all' }[];
  /** The file's size, for a file with any keyword: what parsing it would cost. */
  bytes?: number;
  /**
   * A deploy file the deploy model reads (its text has the shape of one, see mayDefineDeployment), or a shell
   * script that starts a WSGI server (a start script, read when no deploy file runs it).
   */
  definesDeployment?: true;
}

/** The screening of a file with no keyword at all (most files): one shared object. */
export const SCREENED_OUT: Screening = Object.freeze({ ruleIds: [], loadsConfig: false, projectKeywords: [] });
/** The same for a deploy file with no keyword that the deploy model still reads (a Dockerfile running gunicorn). */
export const SCREENED_OUT_DEPLOYMENT: Screening = Object.freeze({ ...SCREENED_OUT, definesDeployment: true as const });

// gunicorn3: Debian's name for gunicorn.
const STARTS_WSGI_SERVER = /\b(?:gunicorn3?|waitress-serve|uwsgi)\b/;

/** How one kind of file is scanned: one regex pass over the text finds every keyword in it. */
interface Scan {
  rules: Rule[];
  /**
   * The words to look for, as one alternation: its cost grows with each alternative, so a
   * word that contains another (`secure-flask:`, `flask`) is not one: it is looked for only
   * where the shorter word was found (`within`).
   */
  words: RegExp;
  within: Map<string, string[]>;
  /** Project keywords this scan still looks for. */
  projectKeywords: string[];
}

/**
 * Screens one run's files on one thread. It keeps what it learned: a rule waits for
 * one of its project keywords anywhere in the project, so once a file has one (an
 * import of flask), later files are scanned without that rule's project keywords.
 */
export class Screener {
  /** Rules with project keywords that no file screened here has shown yet. */
  private waiting: Rule[];
  private scans = new Map<FileKind, Scan>();
  private readonly ruleIds: Set<string>;

  /** `knownRuleIds`: every rule of the catalog, also those this run leaves out (an id of those is no typo). */
  constructor(
    private readonly rules: readonly Rule[],
    knownRuleIds: Iterable<string> = rules.map((rule) => rule.id),
  ) {
    this.ruleIds = new Set(knownRuleIds);
    this.waiting = rules.filter((rule) => rule.projectKeywords);
  }

  /**
   * Reads a file once and screens it by keyword. Keywords are ASCII, so looking
   * for them in the Latin-1 view of the bytes is valid before decoding, in every
   * encoding a Python file may declare; the bytes themselves are not kept.
   */
  screen(file: DiscoveredFile): Screening {
    const read = readFileBytesTransient(file.path);
    if (!read.ok) return { ...SCREENED_OUT, skipped: read.reason };
    const text = read.bytes.toString('latin1');
    const scan = this.scanFor(file.kind);
    const found = new Set<string>();
    scan.words.lastIndex = 0;
    for (let match = scan.words.exec(text); match; match = scan.words.exec(text)) found.add(match[0]);
    // A YAML, ini or unit file without the shape of a deploy file is never parsed, by the model or a rule.
    // A shell script that starts a WSGI server may be how production runs the app, with no deploy file naming it.
    // A gunicorn config file (gunicorn.conf.py) or a Lambda handler (lambda.py handing the app to serverless_wsgi)
    // says how production serves the app, with no command naming it.
    const definesDeployment =
      (MODEL_KINDS.has(file.kind) && mayDefineDeployment(file.kind, text)) ||
      (file.kind === 'script' && STARTS_WSGI_SERVER.test(text)) ||
      (file.kind === 'python' && (isGunicornConfigFile(file.path, text) || isLambdaHandlerFile(file.path, text)));
    for (const word of [...found])
      for (const other of scan.within.get(word) ?? []) if (!found.has(other) && text.includes(other)) found.add(other);
    // `import events` matched `import eve`: gone, and the file may have no keyword left.
    for (const word of found) if (!containsKeyword(text, word)) found.delete(word);
    if (found.size === 0) return definesDeployment ? SCREENED_OUT_DEPLOYMENT : SCREENED_OUT;
    let rules =
      MODEL_KINDS.has(file.kind) && !definesDeployment
        ? []
        : scan.rules.filter((rule) => rule.keywords.some((keyword) => found.has(keyword)));
    // A file some rule could read is decoded now (one that cannot be is reported as skipped, whatever
    // the project holds). A rule every project can trigger, or one whose project keywords a file screened
    // here already showed, is prefiltered now, on this thread: a file no prefilter lets through is not read
    // again for analysis. One still waiting for its project keywords is prefiltered where it is analyzed,
    // if the project has them.
    const waiting = this.waiting;
    if (rules.some((rule) => !waiting.includes(rule))) {
      const decoded = decodeSource(read.bytes, file.kind === 'python');
      if (!decoded.ok) return { ...SCREENED_OUT, skipped: decoded.reason };
      rules = rules.filter((rule) => waiting.includes(rule) || matchesPrefilter(rule, decoded.source.text));
    } else if (rules.length > 0 && !isUtf8(read.bytes)) {
      // Only rules that wait for project keywords: valid UTF-8 needs no text yet; anything else may
      // still decode by its coding cookie, and is skipped if it does not.
      const decoded = decodeSource(read.bytes, file.kind === 'python');
      if (!decoded.ok) return { ...SCREENED_OUT, skipped: decoded.reason };
    }
    const projectKeywords = scan.projectKeywords.filter((keyword) => found.has(keyword));
    if (projectKeywords.length > 0) this.learn(projectKeywords);
    const screening: Screening = {
      ruleIds: rules.map((rule) => rule.id),
      loadsConfig: file.kind === 'python' && CONFIG_LOADING_KEYWORDS.some((keyword) => found.has(keyword)),
      projectKeywords,
      bytes: read.bytes.length,
      ...(definesDeployment ? { definesDeployment: true as const } : {}),
    };
    if (found.has(SUPPRESSION_MARK)) {
      const unknown = unknownSuppressionIds(text, this.ruleIds);
      if (unknown.length > 0) screening.unknownSuppressions = unknown;
      const comments = suppressionComments(text);
      if (comments.length > 0) screening.suppressionComments = comments;
    }
    return screening;
  }

  private learn(projectKeywords: string[]): void {
    this.waiting = this.waiting.filter(
      (rule) => !(rule.projectKeywords ?? []).some((keyword) => projectKeywords.includes(keyword)),
    );
    this.scans = new Map(); // rebuilt without the keywords no rule waits for any more
  }

  private scanFor(kind: FileKind): Scan {
    let scan = this.scans.get(kind);
    if (!scan) {
      const forKind = rulesForKind(this.rules, kind);
      // Project keywords can sit in any Python file of the project, whatever rules read it.
      const projectKeywords =
        kind === 'python' ? [...new Set(this.waiting.flatMap((rule) => rule.projectKeywords ?? []))] : [];
      const wanted = [
        ...new Set([
          ...forKind.flatMap((rule) => rule.keywords),
          ...(kind === 'python' ? CONFIG_LOADING_KEYWORDS : []),
          ...projectKeywords,
          SUPPRESSION_MARK,
        ]),
      ];
      const shortest = wanted.filter((word) => !wanted.some((other) => other !== word && word.includes(other)));
      // A match consumes its text: `make_app` found in `make_app(` hides `_app(`. Words that contain
      // a word found, or overlap it, are looked for again in the whole text.
      const within = new Map(
        shortest.map((word) => [
          word,
          wanted.filter((other) => other !== word && (other.includes(word) || overlap(word, other))),
        ]),
      );
      const words = new RegExp(shortest.map(escapeRegExp).join('|'), 'g');
      scan = { rules: forKind, words, within, projectKeywords };
      this.scans.set(kind, scan);
    }
    return scan;
  }
}

// An import keyword (`import eve`, `from dash`) names a module: `import events` or `from dashboard` is not it.
const IMPORT_KEYWORD = /^(?:import|from) \w+$/;
const importKeywordPatterns = new Map<string, RegExp>();

/**
 * True when `text` holds `keyword`: anywhere for a word, but an import keyword only where the module
 * name ends (`import eve`, `import eve.io`, `from dash_table`; never `import events`). Keywords are
 * ASCII, so this holds in the Latin-1 view of a file's bytes too.
 */
export function containsKeyword(text: string, keyword: string): boolean {
  if (!IMPORT_KEYWORD.test(keyword)) return text.includes(keyword);
  let pattern = importKeywordPatterns.get(keyword);
  if (!pattern) importKeywordPatterns.set(keyword, (pattern = new RegExp(`${keyword}(?![A-Za-z0-9])`)));
  return pattern.test(text);
}

/** True when the rule's prefilter (one pattern, or any of several) matches the text. */
export function matchesPrefilter(rule: Rule, text: string): boolean {
  const patterns: readonly TextTest[] = Array.isArray(rule.prefilter) ? rule.prefilter : [rule.prefilter as TextTest];
  return patterns.some((pattern) => pattern.test(text));
}

/** The rules that read a kind of file. */
export function rulesForKind(rules: readonly Rule[], kind: FileKind): Rule[] {
  return rules.filter((rule) =>
    kind === 'python' ? rule.language === 'python' : rule.language === 'deploy' && rule.fileKinds.includes(kind),
  );
}

/** True when `found` ends with the start of `hidden` (`make_app` and `_app(`): a match of one can hide the other. */
function overlap(found: string, hidden: string): boolean {
  for (let length = 1; length < Math.min(found.length, hidden.length); length++)
    if (found.endsWith(hidden.slice(0, length))) return true;
  return false;
}
