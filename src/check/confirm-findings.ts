import { relative, sep } from 'node:path';
import {
  reachOfDeployFinding,
  reachOfPythonFinding,
  scopeFolderOf,
  scriptSettingOf,
  type FindingReach,
  type PythonReachOptions,
} from '../deploy/model-reach.js';
import type { DeployModel, Entrypoint } from '../deploy/model.js';
import { entrypointsGetting } from '../deploy/model-findings.js';
import { reachOfSelection } from '../deploy/selector-reach.js';
import { readSourceFile } from '../files/source-text.js';
import { applyStringTransforms } from '../python/syntax.js';
import { runsOnlyAsScript } from '../python/main-guard.js';
import { loadPythonParser } from '../python/parser.js';
import type { Requirement } from '../rules/rule.js';
import type { FileAnalysis, RawFinding } from './analyze-file.js';
import { configFileFromEnv } from './config-file-settings.js';
import { DashAppRuns } from './dash-app-runs.js';
import { ConfigKeySelections, projectFolderOf } from './config-key-selections.js';
import { DebugSelections } from './debug-selections.js';
import { DotenvLoaders } from './dotenv-loaders.js';
import type { DiscoveredFile } from '../files/discover.js';
import { ProjectModules } from './project-modules.js';
import { ProjectUses } from './project-uses.js';
import type { Screening } from './screen-file.js';

export interface ConfirmInput {
  root: string;
  /** Every Python file of the project: where imports resolve. */
  pythonFiles: string[];
  screened: readonly { file: DiscoveredFile; screening: Screening }[];
  analyses: readonly FileAnalysis[];
  deployModel: DeployModel;
  /**
   * The project's Python files that were not screened (a run that named some files): a
   * from_object() in one of them confirms a module-level DEBUG in a file that was named.
   */
  unscreenedPythonFiles: () => readonly string[];
}

/** What confirmation tells about one finding of the analysis: whether it stands, and how it reads. */
export interface FindingConfirmer {
  confirms(finding: RawFinding, file: DiscoveredFile): boolean;
  /** What a confirmed requirement adds to the message: the debug config class a variable selects. */
  note(finding: RawFinding, file: DiscoveredFile): string;
  /** Where the project's own code decides by the variable a version-bound warning is about. */
  appDecidesBy(finding: RawFinding, file: DiscoveredFile): { at: string; text: string } | undefined;
  /** Which deploy entrypoints reach the finding (deployment-aware severity). */
  reachOf(finding: RawFinding, file: DiscoveredFile, options?: PythonReachOptions): FindingReach;
  /** Frees the modules parsed to answer (WebAssembly memory). */
  dispose(): void;
}

/**
 * Confirms cross-file findings: a requirement a rule could not settle inside one file (is this
 * imported name a Flask app? does a from_object() load this module? does a deploy file run this
 * script?) is answered here, from the project's modules, parsed on demand. This thread parses
 * only when there are findings.
 */
export async function findingConfirmer(input: ConfirmInput): Promise<FindingConfirmer> {
  const { root, analyses, deployModel } = input;
  if (analyses.some((analysis) => analysis.findings.length > 0)) await loadPythonParser();
  const modules = new ProjectModules(root, input.pythonFiles);
  const uses = new ProjectUses(root, input.pythonFiles, modules);
  const loadedConfigFiles = configFilesLoaded(input, modules);
  const debugSelections = new DebugSelections(root, input.pythonFiles);
  const keySelections = new ConfigKeySelections(input.pythonFiles);
  const dashRuns = new DashAppRuns(root, input.pythonFiles);
  const dotenvLoaders = new DotenvLoaders(input.pythonFiles);
  const scriptsRunBy = (entrypoints: readonly Entrypoint[]) =>
    new Set(entrypoints.flatMap((entrypoint) => entrypoint.scripts.map((script) => script.path)));
  const scriptsRun = scriptsRunBy(deployModel.entrypoints);
  // A start script no deploy file runs is an entrypoint of kind 'script' of its own.
  const scriptsRunByDeployFiles = scriptsRunBy(deployModel.entrypoints.filter((entry) => entry.kind !== 'script'));
  // A module no file of the project can be: no `<top>.py` nor `<top>/` anywhere (sys.path can reach any folder).
  const outsideProject = (module: string) => {
    const top = module.split('.')[0] ?? module;
    return !input.pythonFiles.some((path) => path.endsWith(`${sep}${top}.py`) || path.includes(`${sep}${top}${sep}`));
  };
  // A server or FLASK_APP that calls the factory itself: `gunicorn "app:create_app()"`.
  const calledBare = (name: string, factoryFile: string) => {
    const bare = new RegExp(`\\b${name}\\s*\\(\\s*\\)`);
    const named = deployModel.entrypoints.some(
      (entry) =>
        (entry.serves.target.kind === 'wsgi-server' || entry.serves.target.kind === 'flask-run') &&
        bare.test(entry.serves.target.app ?? '') &&
        factoryFile.startsWith(scopeFolderOf(entry.file) + sep),
    );
    return named || uses.factoryCalledBare(name, factoryFile);
  };
  const holds = (requirement: Requirement | undefined, file: DiscoveredFile): boolean => {
    if (!requirement) return true;
    switch (requirement.kind) {
      case 'imported-app':
        return (
          modules.isFlaskApp(requirement.ref, file.path) ||
          (requirement.packagedWrapper === true && outsideProject(requirement.ref.module))
        );
      case 'imported-quart-app':
        return modules.isQuartApp(requirement.ref, file.path);
      case 'config-module':
        return loadedConfigFiles.has(file.path);
      case 'imported-setting':
        return (
          (!requirement.app || modules.isFlaskApp(requirement.app, file.path)) &&
          (requirement.equals
            ? modules.importedReadDefaultsTo(requirement.ref, requirement.equals, file.path)
            : modules.importedSettingIsOn(requirement.ref, requirement.attribute, file.path))
        );
      case 'debug-config-class':
        return requirement.strict
          ? modules.configClassDebugState(requirement.ref, file.path) === 'on'
          : modules.configClassDebugState(requirement.ref, file.path) !== 'off';
      case 'named-config':
        return modules.namedConfigState(requirement.ref, requirement.key, requirement.via, file.path) === 'on';
      case 'read-elsewhere':
        return uses.isReadElsewhere(file.path, requirement.name) && holds(requirement.then, file);
      case 'factory-called-bare':
        return calledBare(requirement.name, file.path) && holds(requirement.then, file);
      case 'config-key-selected':
        return keySelections.isSelected(requirement.key) && holds(requirement.then, file);
      case 'inherited-debug':
        return modules.inheritedDebugState(requirement.ref, file.path);
      case 'dev-server-script':
        return modules.scriptRunsDevServer(requirement.script, file.path);
      case 'flask-cli-script':
        return modules.scriptIsFlaskCli(requirement.script, requirement.subcommand, file.path);
      case 'selects-debug-config':
        return (
          debugSelections.selectionOf(requirement.variable, requirement.value, scopeFolderOf(file.path)) !== undefined
        );
      case 'config-file-from-env':
        return configFileFromEnv(deployModel, root, file.path, requirement.variable, requirement.folder) !== undefined;
      case 'app-reads-variable':
        return true;
      case 'dash-run-reads-env':
        return dashRuns.runReadingEnvironment(scopeFolderOf(file.path)) !== undefined;
      case 'run-by-deploy-file':
        return (
          (requirement.deployFileOnly ? scriptsRunByDeployFiles : scriptsRun).has(file.path) &&
          holds(requirement.then, file)
        );
      case 'opt-in-set-by-deploy':
        return optInSetting(requirement, file) !== undefined;
    }
  };
  // What reaches a finding in `model` (the whole deploy model, or the part a config selector leaves).
  const pythonReach = (
    model: DeployModel,
    finding: RawFinding,
    file: DiscoveredFile,
    options: PythonReachOptions,
  ): FindingReach => {
    if (file.kind !== 'python')
      return reachOfDeployFinding(model, file.path, finding.start, finding.end, {
        codeLoadsDotenv: (folder) => dotenvLoaders.loadsDotenv(folder),
      });
    if (model.entrypoints.length === 0) return reachOfPythonFinding(model, file.path, false);
    const read = readSourceFile(file.path, true);
    return reachOfPythonFinding(
      model,
      file.path,
      read.ok && runsOnlyAsScript(read.source.text, finding.line),
      (path, folders) => modules.mayBeImported(path, folders),
      options,
    );
  };
  const optInSetting = (requirement: Extract<Requirement, { kind: 'opt-in-set-by-deploy' }>, file: DiscoveredFile) =>
    scriptSettingOf(deployModel, file.path, requirement.variable, (value) => optInAccepts(requirement, value));
  return {
    confirms: (finding, file) => holds(finding.requires, file),
    note(finding, file) {
      let requirement = finding.requires;
      while (
        requirement?.kind === 'run-by-deploy-file' ||
        requirement?.kind === 'factory-called-bare' ||
        requirement?.kind === 'read-elsewhere' ||
        requirement?.kind === 'config-key-selected'
      )
        requirement = requirement.then;
      if (requirement?.kind === 'config-file-from-env') {
        const found = configFileFromEnv(deployModel, root, file.path, requirement.variable, requirement.folder);
        return found ? `${found.note}; a relative name resolves from ${requirement.assumed}` : '';
      }
      if (requirement?.kind === 'opt-in-set-by-deploy') {
        const found = optInSetting(requirement, file);
        if (!found) return '';
        const at = `${relative(root, found.setting.at.path)}:${found.setting.at.line}`;
        return `, and ${found.entrypoint.name} sets ${requirement.variable}=${found.setting.value} (${at})`;
      }
      if (requirement?.kind === 'imported-app' && requirement.packagedWrapper) {
        const { module, name } = requirement.ref;
        return outsideProject(requirement.ref.module)
          ? ` (${name} comes from ${module}, a package outside this repository: like the app classes Flask ` +
              "packages ship, its run() is taken to pass debug on to Flask's)"
          : '';
      }
      if (requirement?.kind === 'dev-server-script') {
        const basis = modules.scriptConnexionBasis(requirement.script, file.path);
        return basis ? ` (a Connexion app: ${basis})` : '';
      }
      if (requirement?.kind === 'dash-run-reads-env') {
        const run = dashRuns.runReadingEnvironment(scopeFolderOf(file.path));
        return run ? ` (${run} starts the Dash app with debug unset, so DASH_DEBUG decides)` : '';
      }
      if (requirement?.kind !== 'selects-debug-config') return '';
      const selection = debugSelections.selectionOf(requirement.variable, requirement.value, scopeFolderOf(file.path));
      return selection
        ? `: ${selection.selectorAt} picks ${selection.className} (${selection.classAt}), which sets DEBUG = True`
        : '';
    },
    appDecidesBy(finding, file) {
      const requirement = finding.requires;
      if (requirement?.kind !== 'app-reads-variable') return undefined;
      // The code of the services that get the variable (their build context or folder), else the file's project.
      const getting = entrypointsGetting(deployModel, { path: file.path, start: finding.start, end: finding.end });
      const scopes = getting.map(
        (entrypoint) => entrypoint.buildContext ?? entrypoint.scope ?? scopeFolderOf(file.path),
      );
      for (const scope of scopes.length > 0 ? scopes : [scopeFolderOf(file.path)]) {
        const read = debugSelections.decidingRead(requirement.variable, scope);
        if (read) return read;
      }
      return undefined;
    },
    reachOf(finding, file, options = {}) {
      // A fallback's own variable, or the one that selects a map's "default" entry when unset.
      const key = finding.requires?.kind === 'config-key-selected' ? finding.requires.key : undefined;
      const variable =
        key === undefined ? undefined : keySelections.selectingVariable(key, projectFolderOf(file.path, root));
      const selector = finding.selector ?? (variable && key ? { variable, unset: key } : undefined);
      if (file.kind === 'python' && selector)
        return reachOfSelection(deployModel, selector, (model) => pythonReach(model, finding, file, options));
      return pythonReach(deployModel, finding, file, options);
    },
    dispose: () => modules.dispose(),
  };
}

/** The files a from_object()/from_pyfile() somewhere loads as config: read only when a finding awaits one. */
function configFilesLoaded(input: ConfirmInput, modules: ProjectModules): Set<string> {
  const loaded = new Set<string>();
  const awaitsConfigLoader = input.analyses.some((analysis) =>
    analysis.findings.some((finding) => finding.requires?.kind === 'config-module'),
  );
  if (!awaitsConfigLoader) return loaded;
  const parsed = new Map(
    input.analyses
      .filter((analysis) => analysis.parsed)
      .map((analysis) => [analysis.file.path, analysis.configObjectModules]),
  );
  for (const { file, screening } of input.screened) {
    if (screening.loadsConfig)
      for (const path of modules.configFilesLoadedBy(file.path, parsed.get(file.path))) loaded.add(path);
  }
  for (const loader of input.unscreenedPythonFiles())
    for (const path of modules.configFilesLoadedBy(loader)) loaded.add(path);
  return loaded;
}

/** Whether a deploy value turns an environment opt-in on, read as the guard reads it. */
function optInAccepts(requirement: Extract<Requirement, { kind: 'opt-in-set-by-deploy' }>, value: string): boolean {
  const text = applyStringTransforms(value, requirement.transforms);
  return requirement.equals ? requirement.equals.includes(text) : text !== '';
}
