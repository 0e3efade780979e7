import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { RULES } from '../../codemods/index.js';
import type { FindingReach } from '../deploy/model-reach.js';
import type { DeployModel } from '../deploy/model.js';
import { appDecidingMessage } from '../deploy/debug-variables.js';
import type { Tree } from '../python/parser.js';
import { loadYaml } from '../files/yaml-library.js';
import type { Rule, Severity } from '../rules/rule.js';
import type { FileAnalysis, RawFinding } from './analyze-file.js';
import { findingConfirmer, type FindingConfirmer } from './confirm-findings.js';
import { discoverFiles, projectRootOf, type DiscoveredFile, type Discovery } from '../files/discover.js';
import { MODEL_KINDS, modelFileKind, projectDeployModel } from '../deploy/project-model.js';
import { CheckPool } from './pool.js';
import type { Screening } from './screen-file.js';
import { rulesThatCanReport } from './project-gate.js';
import { loadProjectConfig, rebasePattern, type ProjectConfig } from './project-config.js';
import { selectRules } from './rule-selection.js';
import type { PeerMarker } from './suppressions.js';
import { unusedSuppressions } from './unused-suppressions.js';
import { assignFingerprints } from './fingerprint.js';

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
  /**
   * With fixes (migrate): the parse of each Python file analyzed on this thread that has a fix, by
   * path, for the re-parse of its rewrite. The caller deletes them (they live in WebAssembly memory).
   */
  keptTrees?: Map<string, { tree: Tree; text: string }>;
}

/**
 * The whole of `secure-flask check`, without output, as a pipeline:
 * discover (walk the tree) -> screen (read each file once, keep those some rule's keywords
 * let through; this starts during the walk) -> analyze (parse and detect, only for rules that
 * can report in this project) -> confirm (cross-file requirements, deployment-aware severity)
 * -> report. A run over the whole project walks it once; a run that named some files walks the
 * project once more for what a result depends on outside them (scripts, imported modules,
 * deploy files, config loaders), so results never depend on the paths named.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { root } = projectRootOf(options.paths, options.cwd);
  const catalog = options.catalog ?? RULES;
  const firstPath = resolve(options.cwd, options.paths[0] ?? '.');
  const searchFrom = statSync(firstPath).isDirectory() ? firstPath : dirname(firstPath);
  const config =
    options.resolvedConfig ??
    loadProjectConfig({
      root,
      searchFrom,
      configFile: options.configFile,
      cwd: options.cwd,
      knownRuleIds: new Set(catalog.map((rule) => rule.id)),
    });
  const rules = selectRules(catalog, {
    select: options.select,
    ignore: options.ignore,
    configSelect: config.select,
    configIgnore: config.disable,
  });
  const fromCwd = (patterns: string[]) => patterns.map((pattern) => rebasePattern(pattern, root, options.cwd));
  const exclude = [
    ...(options.exclude ? fromCwd(options.exclude) : config.exclude),
    ...config.extendExclude,
    ...fromCwd(options.extendExclude ?? []),
  ];
  const discoveryOptions = { includeTests: options.includeTests, exclude, cwd: options.cwd };
  const wholeProject = namesWholeProject(options, root);
  const pool = new CheckPool(
    rules,
    options.jobs,
    catalog.map((rule) => rule.id),
  );
  let discovery: Discovery;
  let project: Discovery;
  let screened: { file: DiscoveredFile; screening: Screening }[];
  let deployModel: DeployModel;
  let analyses: FileAnalysis[];
  try {
    discovery = discoverFiles(options.paths, { ...discoveryOptions, onFile: (file) => pool.add(file) });
    screened = await pool.screenings();
    project = wholeProject ? discovery : discoverFiles([discovery.root], discoveryOptions);
    // One deploy model per run, before analysis: deploy rules read it, and severity reads the same object.
    deployModel = await projectModel(discovery.root, wholeProject ? screened : undefined, project.files, screened);
    analyses = await analyze(pool, rules, screened, wholeProject ? discovery : undefined, options, deployModel);
  } finally {
    await pool.close();
  }

  const keptTrees = new Map(
    analyses.flatMap((analysis) => (analysis.keptTree ? [[analysis.file.path, analysis.keptTree] as const] : [])),
  );
  try {
    const checked = await confirmAndReport(discovery, project, deployModel, screened, analyses, {
      config,
      catalog,
      rules,
    });
    if (keptTrees.size > 0) checked.keptTrees = keptTrees;
    return checked;
  } catch (error) {
    for (const { tree } of keptTrees.values()) tree.delete();
    throw error;
  }
}

/** confirm -> report: cross-file requirements and severity, then the report itself. */
async function confirmAndReport(
  discovery: Discovery,
  project: Discovery,
  deployModel: DeployModel,
  screened: { file: DiscoveredFile; screening: Screening }[],
  analyses: FileAnalysis[],
  { config, catalog, rules }: { config: ProjectConfig; catalog: readonly Rule[]; rules: readonly Rule[] },
): Promise<CheckReport> {
  const confirmer = await findingConfirmer({
    root: discovery.root,
    pythonFiles: project.pythonFiles,
    screened,
    analyses,
    deployModel,
    unscreenedPythonFiles: () => {
      if (project === discovery) return [];
      const screenedPaths = new Set(screened.map(({ file }) => file.path));
      return project.files.flatMap((file) =>
        file.kind === 'python' && !screenedPaths.has(file.path) ? [file.path] : [],
      );
    },
  });
  try {
    return report(discovery, config, catalog, rules, screened, analyses, deployModel, confirmer);
  } finally {
    confirmer.dispose();
  }
}

/** Parses the files screening let through, for the rules that can report here (see rulesThatCanReport). */
async function analyze(
  pool: CheckPool,
  rules: readonly Rule[],
  screened: readonly { file: DiscoveredFile; screening: Screening }[],
  project: Discovery | undefined,
  options: CheckOptions,
  deployModel: DeployModel,
): Promise<FileAnalysis[]> {
  const liveIds = new Set(rulesThatCanReport(rules, screened, project).map((rule) => rule.id));
  const toAnalyze = screened.flatMap(({ file, screening }) =>
    screening.ruleIds.some((id) => liveIds.has(id)) ? [{ file, bytes: screening.bytes ?? 0 }] : [],
  );
  return pool.analyze(toAnalyze, [...liveIds], { withFixes: options.withFixes === true }, deployModel);
}

/**
 * The deploy model, from the whole repository's deploy files whatever paths were named, and the
 * deploy files named themselves (a git-ignored one named on the command line is checked, so it is
 * in the model its rules read). Over the whole project, screening already said which files have the
 * shape of a deploy file: the others are not read again.
 */
async function projectModel(
  root: string,
  wholeProject: readonly { file: DiscoveredFile; screening: Screening }[] | undefined,
  projectFiles: readonly DiscoveredFile[],
  named: readonly { file: DiscoveredFile; screening: Screening }[],
): Promise<DeployModel> {
  const deployKinds = (wholeProject ? wholeProject.map(({ file }) => file) : projectFiles).filter((file) =>
    MODEL_KINDS.has(file.kind),
  );
  const shaped = (list: readonly { file: DiscoveredFile; screening: Screening }[]) =>
    list.flatMap(({ file, screening }) => (screening.definesDeployment ? [file] : []));
  let files = wholeProject ? shaped(wholeProject) : projectFiles.filter((file) => modelFileKind(file) !== undefined);
  if (!wholeProject) {
    const walked = new Set(files.map((file) => file.path));
    files = [...files, ...shaped(named).filter((file) => !walked.has(file.path))];
  }
  if (files.some((file) => file.kind === 'yaml' || file.kind === 'zappa')) await loadYaml();
  // Shell scripts some rule screened in, or that start a WSGI server, may start the app with no deploy file
  // naming them.
  const startScripts = (wholeProject ?? named)
    .filter(
      ({ file, screening }) => file.kind === 'script' && (screening.ruleIds.length > 0 || screening.definesDeployment),
    )
    .map(({ file }) => file.path);
  return projectDeployModel(
    root,
    files,
    deployKinds.map((file) => dirname(file.path)),
    startScripts,
  );
}

/** Assembles the report: skipped files, warnings, and each confirmed finding with its severity. */
function report(
  discovery: Discovery,
  config: ProjectConfig,
  catalog: readonly Rule[],
  rules: readonly Rule[],
  screened: readonly { file: DiscoveredFile; screening: Screening }[],
  analyses: readonly FileAnalysis[],
  deployModel: DeployModel,
  confirmer: FindingConfirmer,
): CheckReport {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const result: CheckReport = {
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
    const analysis = analysisOf.get(file.path);
    const skipped = screening.skipped ?? analysis?.skipped;
    if (skipped) {
      result.skipped.push({ displayPath: file.displayPath, reason: skipped });
      continue;
    }
    result.filesChecked++;
    result.checkedFiles.push(file);
    for (const { line, id } of screening.unknownSuppressions ?? []) {
      const message = `unknown rule id "${id}" in a secure-flask: ignore comment (see secure-flask rules)`;
      result.warnings.push({ displayPath: file.displayPath, rootPath: file.rootPath, line, message });
    }
    for (const { line, message } of unusedSuppressions(
      screening.suppressionComments ?? [],
      analysis?.usedSuppressions ?? [],
      activeRuleIds,
    )) {
      result.warnings.push({ displayPath: file.displayPath, rootPath: file.rootPath, line, message });
    }
    if (!analysis) continue;
    if (analysis.unreadYaml) {
      const { line, message } = analysis.unreadYaml;
      const warning = `not valid YAML (${message}): its settings there were not checked`;
      result.warnings.push({ displayPath: file.displayPath, rootPath: file.rootPath, line, message: warning });
    }
    for (const [marker, count] of Object.entries(analysis.suppressedByPeers ?? {}) as [PeerMarker, number][]) {
      result.suppressedByPeers[marker] = (result.suppressedByPeers[marker] ?? 0) + count;
    }
    if (analysis.parsed) result.filesParsed++;
    if (analysis.syntaxError) result.syntaxErrors.set(file.displayPath, analysis.syntaxError);
    result.suppressed += analysis.suppressed;
    for (const finding of analysis.findings) {
      const rule = byId.get(finding.ruleId);
      if (!rule || !confirmer.confirms(finding, file)) continue;
      result.findings.push(reported(finding, rule, file, confirmer));
    }
  }
  result.findings.sort(
    (a, b) =>
      compare(a.displayPath, b.displayPath) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId),
  );
  assignFingerprints(result.findings);
  return result;
}

function reported(finding: RawFinding, rule: Rule, file: DiscoveredFile, confirmer: FindingConfirmer): Finding {
  // The selector only steers the reach (confirmer.reachOf reads it off the finding): not part of the report.
  const { requires: _requires, warningOnly, hint, selector: _selector, ...rest } = finding;
  const deployment = confirmer.reachOf(finding, file, { debugThroughConfig: rule.debugThroughConfig === true });
  // FLASK_ENV the app decides by itself: an error or a warning as the deploy files say, whatever Flask's version.
  const appRead = warningOnly ? confirmer.appDecidesBy(finding, file) : undefined;
  const own = appRead ? appDecidingMessage(finding.message, appRead) : finding.message;
  const message = `${own}${confirmer.note(finding, file)}`;
  return {
    ...rest,
    message: deployment.reason ? `${message}; ${deployment.reason}` : message,
    // A rule's own warning stays a warning; an error is demoted when only development reaches it.
    severity: rule.severity === 'warning' || (warningOnly && !appRead) ? 'warning' : deployment.level,
    deployment,
    title: rule.title,
    hint: hint ?? rule.hint,
    path: file.path,
    displayPath: file.displayPath,
    rootPath: file.rootPath,
  };
}

function namesWholeProject(options: CheckOptions, root: string): boolean {
  return options.paths.some((path) => resolve(options.cwd, path) === root);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
