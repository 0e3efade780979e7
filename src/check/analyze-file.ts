import type { Document } from 'yaml';
import { parseYamlDocuments, yamlParseError } from '../deploy/yaml-nodes.js';
import type { Detection, FileKind, Fix, Requirement, Rule } from '../rules/rule.js';
import { decodeSource, readFileBytes } from '../files/source-text.js';
import { firstSyntaxError, parsePython, type Tree } from '../python/parser.js';
import { python3SyntaxError } from '../python/python3-syntax.js';
import { ModuleFacts } from '../python/module-facts.js';
import type { DiscoveredFile } from '../files/discover.js';
import { matchesPrefilter, rulesForKind } from './screen-file.js';
import { suppressionOf, type PeerMarker } from './suppressions.js';
import { TextPositions } from './text-position.js';
import { withLazyParsers } from '../deploy/lazy-parsers.js';
import type { DeployModel } from '../deploy/model.js';

export interface RawFinding {
  ruleId: string;
  message: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The first line of the finding, trimmed, for text output. */
  snippet: string;
  requires?: Requirement;
  warningOnly?: boolean;
  /** The detection's own hint, when the rule's does not fit its shape. */
  hint?: string;
  selector?: Detection['selector'];
  /** The rule's rewrite, when asked for (migrate) and the rule has a safe one. */
  fix?: Fix;
}

export interface AnalyzeOptions {
  /** Also compute each finding's fix (migrate); check leaves this off. */
  withFixes?: boolean;
}

export interface FileAnalysis {
  file: DiscoveredFile;
  findings: RawFinding[];
  suppressed: number;
  /** Findings suppressed by other tools' comments for the equivalent rule (`# noqa: S201`, `# nosec B201`). */
  suppressedByPeers?: Partial<Record<PeerMarker, number>>;
  /** The `secure-flask: ignore` comments that suppressed a finding, by line and rule (the others suppress nothing). */
  usedSuppressions?: { line: number; ruleId: string }[];
  /** Why the file could not be read, if it could not. */
  skipped?: string;
  /** True when the prefilter let it through and it was parsed. */
  parsed: boolean;
  /** Modules this file loads with `config.from_object(...)`, for config-module findings elsewhere. */
  configObjectModules: string[];
  /** Python that does not parse: findings still show, but migrate leaves the file untouched. */
  syntaxError?: { line: number; column: number; message?: string };
  /** A YAML deploy file that could hold a finding but does not parse (whole or in part): what was not read. */
  unreadYaml?: { line: number; message: string };
  /**
   * The file's parse, kept (only when asked, on the thread that will use it) for migrate: its rewrite
   * re-parses from it instead of from nothing. Whoever keeps it deletes it.
   */
  keptTree?: { tree: Tree; text: string };
}

const rulesByKind = new WeakMap<readonly Rule[], Map<FileKind, Rule[]>>();

/** The rules that read a kind of file, computed once per rule list. */
function rulesOfKind(rules: readonly Rule[], kind: FileKind): Rule[] {
  let byKind = rulesByKind.get(rules);
  if (!byKind) rulesByKind.set(rules, (byKind = new Map()));
  let forKind = byKind.get(kind);
  if (!forKind) byKind.set(kind, (forKind = rulesForKind(rules, kind)));
  return forKind;
}

/**
 * analyzeFile, loading the bash grammar or the yaml package first if a rule met shell text or YAML
 * (a deploy rule's fix, an app's YAML config): rules run synchronously, and most runs need neither.
 */
export function analyzeFileWithShell(
  file: DiscoveredFile,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
  deploy?: DeployModel,
  keepTree = false,
): Promise<FileAnalysis> {
  return withLazyParsers(() => analyzeFile(file, rules, options, deploy, keepTree));
}

/**
 * Reads one file and runs every rule that applies to it. A deploy file needs `deploy`, the run's
 * one deploy model (its rules read their file's entrypoints there); Python files do not.
 * `keepTree`: a Python file with fixes planned keeps its parse (FileAnalysis.keptTree) for migrate.
 */
export function analyzeFile(
  file: DiscoveredFile,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
  deploy?: DeployModel,
  keepTree = false,
): FileAnalysis {
  const parses: { tree: Tree; text: string }[] = [];
  let analysis: FileAnalysis | undefined;
  try {
    analysis = analyzeReadFile(file, rules, options, parses, deploy);
    const [parsed] = parses;
    if (keepTree && parsed && analysis.findings.some((finding) => finding.fix)) analysis.keptTree = parsed;
    return analysis;
  } finally {
    // The tree lives in WebAssembly memory: free it as soon as the file is done (findings are plain data).
    for (const { tree } of parses) if (tree !== analysis?.keptTree?.tree) tree.delete();
  }
}

function analyzeReadFile(
  file: DiscoveredFile,
  rules: readonly Rule[],
  options: AnalyzeOptions,
  parses: { tree: Tree; text: string }[],
  deploy: DeployModel | undefined,
): FileAnalysis {
  const analysis: FileAnalysis = { file, findings: [], suppressed: 0, parsed: false, configObjectModules: [] };
  const read = readFileBytes(file.path);
  if (!read.ok) return { ...analysis, skipped: read.reason };
  const forKind = rulesOfKind(rules, file.kind);
  if (forKind.length === 0) return analysis;
  // Screening let this file through for some rule: it decodes. Keywords are ASCII, looked for in the text.
  const decoded = decodeSource(read.bytes, file.kind === 'python');
  if (!decoded.ok) return { ...analysis, skipped: decoded.reason };
  const text = decoded.source.text;
  const candidates = forKind.filter(
    (rule) => rule.keywords.some((keyword) => text.includes(keyword)) && matchesPrefilter(rule, text),
  );
  if (candidates.length === 0) return analysis;
  analysis.parsed = true;

  // Each detection keeps a way to ask its rule for the fix, in the context it was found in.
  const detections: { ruleId: string; detection: Detection; fix: () => Fix | undefined }[] = [];
  if (file.kind === 'python') {
    const tree = parsePython(text);
    parses.push({ tree, text });
    const facts = new ModuleFacts(tree, text);
    analysis.configObjectModules = facts.configObjectModules;
    const context = { path: file.path, source: text, facts };
    for (const rule of candidates) {
      if (rule.language !== 'python') continue;
      for (const detection of rule.detect(context))
        detections.push({ ruleId: rule.id, detection, fix: () => rule.fix?.(context, detection) });
    }
    if (options.withFixes && detections.length > 0) {
      // Before migrate rewrites it: would CPython 3 compile it? (tree-sitter also reads Python 2 and bad
      // indentation.) Walking the whole tree costs, so only a file with something to rewrite is asked.
      const rejected = python3SyntaxError(tree, text);
      if (rejected) analysis.syntaxError = rejected;
    } else {
      const broken = firstSyntaxError(tree);
      if (broken)
        analysis.syntaxError = { line: broken.startPosition.row + 1, column: broken.startPosition.column + 1 };
    }
  } else {
    // The pool analyzes deploy files where the model is (this thread): none reaches a worker.
    if (!deploy) throw new Error(`${file.displayPath}: a deploy file is analyzed with the run's deploy model`);
    const root = file.path.slice(0, file.path.length - file.rootPath.length).replace(/[\\/]$/, '') || file.path;
    let yamlDocuments: Document[] | undefined;
    const context = {
      kind: file.kind,
      path: file.path,
      source: text,
      gitIgnored: file.gitIgnored,
      root,
      // Parsed when a rule asks (most read the deploy model, which parses the same text once).
      get yamlDocuments(): Document[] {
        return (yamlDocuments ??= file.kind === 'yaml' ? parseYamlDocuments(text) : []);
      },
      deploy,
    };
    for (const rule of candidates) {
      if (rule.language !== 'deploy') continue;
      for (const detection of rule.detect(context))
        detections.push({ ruleId: rule.id, detection, fix: () => rule.fix?.(context, detection) });
    }
    // Its words passed a rule's screen, so a setting may sit in the part that does not parse: say so.
    const unread = file.kind === 'yaml' ? yamlParseError(text) : undefined;
    if (unread) analysis.unreadYaml = unread;
  }
  if (detections.length === 0) return analysis;

  const positions = new TextPositions(text);
  const lines = text.split('\n');
  const ruleById = new Map(candidates.map((rule) => [rule.id, rule]));
  for (const { ruleId, detection, fix } of detections) {
    const from = positions.at(detection.start);
    const to = positions.at(Math.max(detection.start, detection.end));
    const rule = ruleById.get(ruleId);
    const suppression = rule && suppressionOf(lines, rule, from.line, to.line);
    if (suppression?.by === 'secure-flask') {
      analysis.suppressed++;
      (analysis.usedSuppressions ??= []).push({ line: suppression.line, ruleId });
      continue;
    }
    if (suppression) {
      analysis.suppressedByPeers ??= {};
      analysis.suppressedByPeers[suppression.by] = (analysis.suppressedByPeers[suppression.by] ?? 0) + 1;
      continue;
    }
    const snippet = (lines[from.line - 1] ?? '').replace(/\r$/, '').trim();
    analysis.findings.push({
      ruleId,
      message: detection.message,
      start: detection.start,
      end: detection.end,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      snippet: snippet.length > 160 ? `${snippet.slice(0, 157)}...` : snippet,
      ...(detection.requires ? { requires: detection.requires } : {}),
      ...(detection.warningOnly ? { warningOnly: true } : {}),
      ...(detection.hint ? { hint: detection.hint } : {}),
      ...(detection.selector ? { selector: detection.selector } : {}),
    });
    if (options.withFixes && !analysis.syntaxError) {
      const planned = fix();
      const last = analysis.findings.at(-1);
      if (planned && last) last.fix = planned;
    }
  }
  return analysis;
}
