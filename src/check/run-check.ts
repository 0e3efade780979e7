import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { RULES } from '../../codemods/index.js';
import { reachOfDeployFinding, reachOfPythonFinding, scopeFolderOf, type FindingReach } from '../deploy/model-reach.js';
import type { DeployModel } from '../deploy/model.js';
import { readSourceFile } from '../files/source-text.js';
import { isUnderMainGuard } from '../python/main-guard.js';
import type { Requirement, Rule, Severity } from '../rules/rule.js';
import type { FileAnalysis, RawFinding } from './analyze-file.js';
import { discoverFiles, projectRootOf, type DiscoveredFile, type Discovery } from '../files/discover.js';
import { DebugSelections } from './debug-selections.js';
import { projectDeployModel } from '../deploy/project-model.js';
import { CheckPool } from './pool.js';
import type { Screening } from './screen-file.js';
import { rulesThatCanReport } from './project-gate.js';
import { loadProjectConfig, rebasePattern, type ProjectConfig } from './project-config.js';
import { selectRules } from './rule-selection.js';
import type { PeerMarker } from './suppressions.js';
import { unusedSuppressions } from './unused-suppressions.js';
import { assignFingerprints } from './fingerprint.js';
import { loadPythonParser } from '../python/parser.js';
import { ProjectModules } from './project-modules.js';

export interface Finding extends RawFinding {
  severity: Severity;
  title: string;
  hint: string;
  path: string;
  displayPath: string;
  rootPath: string;
  /** Which deploy entrypoints reach the finding, and the severity that follows (deployment-aware severity). */
  deployment: FindingReach;
  /** Rule, file and code, without the line number: what a baseline matches (see assignFingerprints). */
  fingerprint?: string;
}

export interface CheckOptions {
  paths: string[];
  includeTests: boolean;
  cwd: string;
  jobs?: number;
  /** Ask each rule for its fix too (migrate). */
  withFixes?: boolean;
  /** The rule catalog to run (default: every rule); select and ignore choose from it. */
  catalog?: readonly Rule[];
  /** `--select` / `--ignore`: rule ids, over the config file's. */
  select?: string[];
  ignore?: string[];
  /** `--exclude` (replaces the config's) and `--extend-exclude`: gitignore-style patterns relative to cwd. */
  exclude?: string[];
  extendExclude?: string[];
  /** `--config FILE` instead of looking for .secure-flask.json and pyproject.toml. */
  configFile?: string;
  /** Settings already read (a check of an older commit uses today's). */
  resolvedConfig?: ProjectConfig;
}

export interface CheckReport {
  root: string;
  findings: Finding[];
  /** Files read and matched against the rules. */
  filesChecked: number;
  /** Of those, files that could contain a finding and were parsed. */
  filesParsed: number;
  skipped: { displayPath: string; reason: string }[];
  suppressed: number;
  /** Findings suppressed by other tools' comments for the equivalent rule, by marker: counted apart. */
  suppressedByPeers: Partial<Record<PeerMarker, number>>;
  disabledRules: string[];
  rules: readonly Rule[];
  /** Python files that do not parse (display path -> first error position). */
  syntaxErrors: Map<string, { line: number; column: number; message?: string }>;
  /** Every file read and matched, with its discovery facts (migrate needs the unchanged ones too). */
  checkedFiles: DiscoveredFile[];
  /** Problems with the input that are not findings, e.g. a suppression naming an unknown rule id. */
  warnings: { displayPath: string; rootPath: string; line: number; message: string }[];
  /** What the repository's deploy files run (the same model migrate and verify use). */
  deployModel: DeployModel;
  /** The settings read from .secure-flask.json or pyproject.toml. */
  config: ProjectConfig;
  /** Findings left out because a baseline (--baseline, --baseline-ref) already had them. */
  baselined?: number;
}

/** The whole of `secure-flask check`, without output: discover, analyze in parallel, confirm cross-file findings. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { root } = projectRootOf(options.paths, options.cwd);
  const catalog = options.catalog ?? RULES;
  const firstPath = resolve(options.cwd, options.paths[0] ?? '.');
  const searchFrom = statSync(firstPath).isDirectory() ? firstPath : dirname(firstPath);
  const config = options.resolvedConfig ?? loadProjectConfig({ root, searchFrom, configFile: options.configFile, cwd: options.cwd, knownRuleIds: new Set(catalog.map((rule) => rule.id)) });
  const rules = selectRules(catalog, { select: options.select, ignore: options.ignore, configSelect: config.select, configIgnore: config.disable });
  const fromCwd = (patterns: string[]) => patterns.map((pattern) => rebasePattern(pattern, root, options.cwd));
  const exclude = [...(options.exclude ? fromCwd(options.exclude) : config.exclude), ...config.extendExclude, ...fromCwd(options.extendExclude ?? [])];
  const pool = new CheckPool(rules, options.jobs, catalog.map((rule) => rule.id));
  let screened: { file: DiscoveredFile; screening: Screening }[];
  let analyses: FileAnalysis[];
  let discovery: Discovery;
  try {
    const onFile = (file: DiscoveredFile) => pool.add(file);
    discovery = discoverFiles(options.paths, { includeTests: options.includeTests, exclude, cwd: options.cwd, onFile });
    screened = await pool.screenings();
    // Only files some rule's keywords let through are parsed, and only for rules that can report in this project.
    const liveRules = rulesThatCanReport(rules, screened, namesWholeProject(options, discovery.root) ? discovery : undefined);
    const liveIds = new Set(liveRules.map((rule) => rule.id));
    const toAnalyze = screened.flatMap(({ file, screening }) =>
      screening.ruleIds.some((id) => liveIds.has(id)) ? [{ file, bytes: screening.bytes ?? 0 }] : [],
    );
    analyses = await pool.analyze(toAnalyze, [...liveIds], { withFixes: options.withFixes === true });
  } finally {
    await pool.close();
  }

  // This thread parses again only when there are findings: to confirm them (cross-file requirements)
  // and, for migrate, to check that each rewrite still parses.
  if (analyses.some((analysis) => analysis.findings.length > 0)) await loadPythonParser();
  // A run that named some files (a pre-commit hook, an editor) must find what a run over the whole
  // project finds in them: the scripts a deploy file runs, the modules an import names, the deploy
  // files themselves are looked up in the whole project, whatever paths were named.
  const project = namesWholeProject(options, discovery.root)
    ? discovery
    : discoverFiles([discovery.root], { includeTests: options.includeTests, exclude, cwd: options.cwd });
  const modules = new ProjectModules(discovery.root, project.pythonFiles);
  // A module-level DEBUG is confirmed by a from_object() somewhere: only then are the loaders read.
  const awaitsConfigLoader = analyses.some((analysis) => analysis.findings.some((finding) => finding.requires?.kind === 'config-module'));
  const loadedConfigFiles = new Set<string>();
  if (awaitsConfigLoader) {
    const parsed = new Map(analyses.filter((analysis) => analysis.parsed).map((analysis) => [analysis.file.path, analysis.configObjectModules]));
    for (const { file, screening } of screened) {
      if (screening.loadsConfig) for (const loaded of modules.configFilesLoadedBy(file.path, parsed.get(file.path))) loadedConfigFiles.add(loaded);
    }
  }
  // A module-level DEBUG is confirmed by a from_object() in a file not named, too.
  if (awaitsConfigLoader && project !== discovery) {
    const screenedPaths = new Set(screened.map(({ file }) => file.path));
    for (const file of project.files) {
      if (file.kind === 'python' && !screenedPaths.has(file.path)) for (const loaded of modules.configFilesLoadedBy(file.path)) loadedConfigFiles.add(loaded);
    }
  }
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const deployModel = await projectDeployModel(discovery.root, project.files);
  const debugSelections = new DebugSelections(discovery.root, project.pythonFiles);
  const scriptsRun = new Set(deployModel.entrypoints.flatMap((entrypoint) => entrypoint.scripts.map((script) => script.path)));
  const holds = (requirement: Requirement | undefined, file: DiscoveredFile): boolean => {
    if (!requirement) return true;
    switch (requirement.kind) {
      case 'imported-app':
        return modules.isFlaskApp(requirement.ref, file.path);
      case 'config-module':
        return loadedConfigFiles.has(file.path);
      case 'imported-setting':
        return (!requirement.app || modules.isFlaskApp(requirement.app, file.path)) && (requirement.equals ? modules.importedReadDefaultsTo(requirement.ref, requirement.equals, file.path) : modules.importedSettingIsOn(requirement.ref, requirement.attribute, file.path));
      case 'debug-config-class':
        return modules.configClassDebugState(requirement.ref, file.path) !== 'off';
      case 'named-config':
        return modules.namedConfigState(requirement.ref, requirement.key, requirement.via, file.path) === 'on';
      case 'dev-server-script':
        return modules.scriptRunsDevServer(requirement.script, file.path);
      case 'flask-cli-script':
        return modules.scriptIsFlaskCli(requirement.script, requirement.subcommand, file.path);
      case 'selects-debug-config':
        return debugSelections.selectionOf(requirement.variable, requirement.value, scopeFolderOf(file.path)) !== undefined;
      case 'run-by-deploy-file':
        return scriptsRun.has(file.path) && holds(requirement.then, file);
    }
  };
  const confirms = (finding: RawFinding, file: DiscoveredFile): boolean => holds(finding.requires, file);
  // What a confirmed requirement adds to the message: the debug config class a variable selects.
  const requirementNote = (requirement: Requirement | undefined, file: DiscoveredFile): string => {
    if (requirement?.kind !== 'selects-debug-config') return '';
    const selection = debugSelections.selectionOf(requirement.variable, requirement.value, scopeFolderOf(file.path));
    return selection ? `: ${selection.selectorAt} picks ${selection.className} (${selection.classAt}), which sets DEBUG = True` : '';
  };
  const reachOf = (finding: RawFinding, file: DiscoveredFile): FindingReach => {
    if (file.kind !== 'python') return reachOfDeployFinding(deployModel, file.path, finding.start, finding.end);
    if (deployModel.entrypoints.length === 0) return reachOfPythonFinding(deployModel, file.path, false);
    const read = readSourceFile(file.path, true);
    return reachOfPythonFinding(deployModel, file.path, read.ok && isUnderMainGuard(read.source.text, finding.line));
  };

  const report: CheckReport = {
    root: discovery.root,
    findings: [],
    filesChecked: 0,
    filesParsed: 0,
    skipped: discovery.skipped.map(({ displayPath, reason }) => ({ displayPath, reason })),
    suppressed: 0,
    suppressedByPeers: {},
    disabledRules: catalog.filter((rule) => !rules.includes(rule)).map((rule) => rule.id),
    rules,
    syntaxErrors: new Map(),
    checkedFiles: [],
    warnings: [],
    deployModel,
    config,
  };
  const activeRuleIds = new Set(rules.map((rule) => rule.id));
  const analysisOf = new Map(analyses.map((analysis) => [analysis.file.path, analysis]));
  for (const { file, screening } of screened) {
    const skipped = screening.skipped ?? analysisOf.get(file.path)?.skipped;
    if (skipped) {
      report.skipped.push({ displayPath: file.displayPath, reason: skipped });
      continue;
    }
    report.filesChecked++;
    report.checkedFiles.push(file);
    for (const { line, id } of screening.unknownSuppressions ?? []) {
      const message = `unknown rule id "${id}" in a secure-flask: ignore comment (see secure-flask rules)`;
      report.warnings.push({ displayPath: file.displayPath, rootPath: file.rootPath, line, message });
    }
    const analysis = analysisOf.get(file.path);
    for (const { line, message } of unusedSuppressions(screening.suppressionComments ?? [], analysis?.usedSuppressions ?? [], activeRuleIds)) {
      report.warnings.push({ displayPath: file.displayPath, rootPath: file.rootPath, line, message });
    }
    if (!analysis) continue;
    for (const [marker, count] of Object.entries(analysis.suppressedByPeers ?? {}) as [PeerMarker, number][]) {
      report.suppressedByPeers[marker] = (report.suppressedByPeers[marker] ?? 0) + count;
    }
    if (analysis.parsed) report.filesParsed++;
    if (analysis.syntaxError) report.syntaxErrors.set(file.displayPath, analysis.syntaxError);
    report.suppressed += analysis.suppressed;
    for (const finding of analysis.findings) {
      const rule = byId.get(finding.ruleId);
      if (!rule || !confirms(finding, file)) continue;
      const { requires: _requires, warningOnly, ...rest } = finding;
      const deployment = reachOf(finding, file);
      const message = `${finding.message}${requirementNote(finding.requires, file)}`;
      report.findings.push({
        ...rest,
        message: deployment.reason ? `${message}; ${deployment.reason}` : message,
        // A rule's own warning stays a warning; an error is demoted when only development reaches it.
        severity: rule.severity === 'warning' || warningOnly ? 'warning' : deployment.level,
        deployment,
        title: rule.title,
        hint: rule.hint,
        path: file.path,
        displayPath: file.displayPath,
        rootPath: file.rootPath,
      });
    }
  }
  modules.dispose();
  report.findings.sort(
    (a, b) => compare(a.displayPath, b.displayPath) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId),
  );
  assignFingerprints(report.findings);
  return report;
}

function namesWholeProject(options: CheckOptions, root: string): boolean {
  return options.paths.some((path) => resolve(options.cwd, path) === root);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
