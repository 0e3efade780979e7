import { basename, dirname } from 'node:path';
import { GUNICORN_ENV_DOC, GUNICORN_KEYWORD, GUNICORN_PREFILTER } from '../../src/deploy/debug-variables.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import type { Detection, DeployRule } from '../../src/rules/rule.js';
import {
  DEBUG_VARIABLE_KEYWORDS,
  DEBUG_VARIABLE_PREFILTER,
  DEVELOPMENT_ONLY_NAME,
  FAMILY_VARIABLES_DOC,
} from '../../src/deploy/debug-variables.js';
import {
  composeEnvironment,
  environmentLikeEntries,
  kubernetesEnv,
  mapValue,
  mapsWithKey,
  isScalar,
} from '../../src/deploy/yaml-nodes.js';
import { debugSelectorCandidateOf, debugVariableFindingAt } from '../../src/deploy/model-findings.js';
import { isHelmChart } from '../../src/deploy/model-reach.js';
import { removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

/** The entrypoints whose commands this rule reports gunicorn's settings of. */
const KUBERNETES_KINDS: ReadonlySet<string> = new Set(['kubernetes']);

export const kubernetesDebugEnv: DeployRule = {
  id: 'kubernetes-debug-env',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: 'a Kubernetes workload or ConfigMap turns debug mode on',
  severity: 'error',
  hint:
    'remove the FLASK_DEBUG/FLASK_ENV entry from the manifest; point an entry that names a config class at the ' +
    'production one',
  // `Config`, `Settings`: a class path a from_object() may load (`APP_SETTINGS: config.DevelopmentConfig`).
  keywords: [...DEBUG_VARIABLE_KEYWORDS, 'DEBUG', 'Config', 'Settings', GUNICORN_KEYWORD],
  prefilter: [
    DEBUG_VARIABLE_PREFILTER,
    GUNICORN_PREFILTER,
    /DEBUG|:[ \t]*["']?\w+(?:\.\w+)*\.[A-Z]\w*(?:Config|Settings)\b/,
  ],
  doc: {
    why:
      'An `env:` entry `FLASK_DEBUG: "1"` on a container, or the same key in a ConfigMap the pod loads with ' +
      '`envFrom`, runs the cluster workload in debug mode (with the interactive debugger when it runs ' +
      '`flask run` or `app.run()`). So does an entry naming a config ' +
      'class (`APP_SETTINGS: config.DevelopmentConfig`) that the app loads with ' +
      '`app.config.from_object(os.environ["APP_SETTINGS"])` when that class sets `DEBUG = True`. ' +
      'In a Helm chart, the templates under `templates/` are read as manifests with their `{{ }}` actions ' +
      'left out: a literal `value: "1"` for FLASK_DEBUG is found, a value a template takes from the values is ' +
      "not. The chart's values files (`values.yaml`, `values-prod.yaml`) are read for environment-like entries " +
      'anywhere in their tree (an error), and `values-dev.yaml` or `values-local.yaml` only as a warning; ' +
      'whether a template really passes the entry to a container is not followed.' +
      FAMILY_VARIABLES_DOC +
      GUNICORN_ENV_DOC,
    example:
      'containers:\n  - name: web\n    image: example/web\n    env:\n      - name: FLASK_DEBUG\n        value: "1"',
    fix: 'Delete the entry. Production manifests set nothing; local clusters can patch it in with an overlay.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ path, yamlDocuments, deploy }) {
    const detections: Detection[] = [];
    const helmValues = isHelmValues(path);
    // values-dev.yaml, values.local.yaml: the values a developer installs the chart with.
    const developmentValues = helmValues && DEVELOPMENT_ONLY_NAME.test(basename(path).replace(/\.ya?ml$/i, ''));
    for (const document of yamlDocuments) {
      const kind = mapValue(document.contents, 'kind');
      if (!isScalar(kind) && !helmValues) continue;
      const entries = !isScalar(kind)
        ? environmentLikeEntries(document.contents)
        : kind.value === 'ConfigMap'
          ? composeEnvironment(mapValue(document.contents, 'data'))
          : mapsWithKey(document.contents, 'image').flatMap((container) => kubernetesEnv(mapValue(container, 'env')));
      const where = isScalar(kind)
        ? String(kind.value)
        : developmentValues
          ? `Helm values ${basename(path)} (named for development)`
          : 'Helm values';
      for (const entry of entries) {
        const at = { path, start: entry.start, end: entry.end };
        const found = debugVariableFindingAt(deploy, entry.name, entry.value, at);
        // `APP_CONFIG: config.DevelopmentConfig`: a finding once
        // the app is shown to load that class, and it sets DEBUG.
        const candidate = found ? undefined : debugSelectorCandidateOf(entry.name, entry.value);
        if (found)
          detections.push({
            start: entry.start,
            end: entry.end,
            message: `${where}: ${found.effect}`,
            ...(found.warningOnly || developmentValues ? { warningOnly: true } : {}),
            ...(found.requires ? { requires: found.requires } : {}),
          });
        else if (candidate)
          detections.push({
            start: entry.start,
            end: entry.end,
            message: `${where}: ${candidate.message}`,
            requires: candidate.requires,
          });
      }
    }
    return [...detections, ...serverSettingDetections(deploy, path, KUBERNETES_KINDS)];
  },
  fix({ source, path, deploy }, detection) {
    const server = serverSettingFix(deploy, source, detection);
    if (server) return server;
    // A chart's development values are what a developer installs with: theirs to keep.
    if (detection.message.includes('(named for development)'))
      return {
        title: 'left for a person',
        edits: [],
        manual: `${basename(path)} is for development only; it keeps its debug setting`,
      };
    // Without the entry, `from_object(os.environ["X"])` would not
    // start: which class production means is a person's call.
    if (detection.message.includes(' as its config')) return undefined;
    return {
      title: 'remove the entry from the manifest',
      edits: [removeLines(source, detection.start, detection.end)],
    };
  },
};

/** A Helm chart's values file: `values.yaml` (or `values-prod.yaml`) beside the chart's Chart.yaml. */
function isHelmValues(path: string): boolean {
  return /^values(?:[-.][\w-]+)?\.ya?ml$/i.test(basename(path)) && isHelmChart(dirname(path));
}
