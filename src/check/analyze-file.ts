import { parseAllDocuments, type Document } from 'yaml';
import type { Requirement, Rule } from '../rules/rule.js';
import { readSourceFile } from '../files/source-text.js';
import { parsePython } from '../python/parser.js';
import { ModuleFacts } from '../python/module-facts.js';
import type { DiscoveredFile } from './discover.js';
import { isSuppressed } from './suppressions.js';
import { TextPositions } from './text-position.js';

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
}

export interface FileAnalysis {
  file: DiscoveredFile;
  findings: RawFinding[];
  suppressed: number;
  /** Why the file could not be read, if it could not. */
  skipped?: string;
  /** True when the prefilter let it through and it was parsed. */
  parsed: boolean;
  /** Modules this file loads with `config.from_object(...)`, for config-module findings elsewhere. */
  configObjectModules: string[];
}

// A module is loaded as config by `from_object`/`from_pyfile`; those files are parsed so
// the engine learns which modules' module-level settings matter.
const CONFIG_LOADING = /from_object|from_pyfile/;

/** Reads one file and runs every rule that applies to it. Runs in worker threads. */
export function analyzeFile(file: DiscoveredFile, rules: readonly Rule[]): FileAnalysis {
  const analysis: FileAnalysis = { file, findings: [], suppressed: 0, parsed: false, configObjectModules: [] };
  const read = readSourceFile(file.path, file.kind === 'python');
  if (!read.ok) return { ...analysis, skipped: read.reason };
  const text = read.source.text;
  const applicable = rules.filter((rule) =>
    file.kind === 'python' ? rule.language === 'python' : rule.language === 'deploy' && rule.fileKinds.includes(file.kind),
  );
  const candidates = applicable.filter((rule) => rule.prefilter.test(text));
  const loadsConfig = file.kind === 'python' && CONFIG_LOADING.test(text);
  if (candidates.length === 0 && !loadsConfig) return analysis;
  analysis.parsed = true;

  const detections: { ruleId: string; detection: ReturnType<Rule['detect']>[number] }[] = [];
  if (file.kind === 'python') {
    const facts = new ModuleFacts(parsePython(text));
    analysis.configObjectModules = facts.configObjectModules;
    const context = { path: file.path, source: text, facts };
    for (const rule of candidates) {
      if (rule.language !== 'python') continue;
      for (const detection of rule.detect(context)) detections.push({ ruleId: rule.id, detection });
    }
  } else {
    const yamlDocuments = file.kind === 'yaml' ? parseYaml(text) : [];
    const context = { kind: file.kind, path: file.path, source: text, gitIgnored: file.gitIgnored, yamlDocuments };
    for (const rule of candidates) {
      if (rule.language !== 'deploy') continue;
      for (const detection of rule.detect(context)) detections.push({ ruleId: rule.id, detection });
    }
  }
  if (detections.length === 0) return analysis;

  const positions = new TextPositions(text);
  const lines = text.split('\n');
  for (const { ruleId, detection } of detections) {
    const from = positions.at(detection.start);
    const to = positions.at(Math.max(detection.start, detection.end));
    if (isSuppressed(lines, ruleId, from.line, to.line)) {
      analysis.suppressed++;
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
    });
  }
  return analysis;
}

/** YAML documents that parsed; templated manifests (Helm) that do not parse yield none. */
function parseYaml(text: string): Document[] {
  try {
    const documents: Document[] = parseAllDocuments(text, { uniqueKeys: false });
    return documents.filter((document) => document.errors.length === 0);
  } catch {
    return [];
  }
}
