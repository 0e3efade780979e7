import type { Detection, DeployRule } from '../../src/rules/rule.js';
import {
  DEBUG_VARIABLE_KEYWORDS,
  DEBUG_VARIABLE_PREFILTER,
  debugVariableFinding,
  FAMILY_VARIABLES_DOC,
} from '../../src/deploy/debug-variables.js';
import { composeEnvironment, kubernetesEnv, mapValue, mapsWithKey, isScalar } from '../../src/deploy/yaml-nodes.js';
import { removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const kubernetesDebugEnv: DeployRule = {
  id: 'kubernetes-debug-env',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: 'a Kubernetes workload or ConfigMap turns debug mode on',
  severity: 'error',
  hint: 'remove the FLASK_DEBUG/FLASK_ENV entry from the manifest',
  keywords: DEBUG_VARIABLE_KEYWORDS,
  prefilter: DEBUG_VARIABLE_PREFILTER,
  doc: {
    why:
      'An `env:` entry `FLASK_DEBUG: "1"` on a container, or the same key in a ConfigMap the pod loads with ' +
      '`envFrom`, runs the cluster workload with the interactive debugger.' +
      FAMILY_VARIABLES_DOC,
    example:
      'containers:\n  - name: web\n    image: example/web\n    env:\n      - name: FLASK_DEBUG\n        value: "1"',
    fix: 'Delete the entry. Production manifests set nothing; local clusters can patch it in with an overlay.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ path, yamlDocuments }) {
    const detections: Detection[] = [];
    for (const document of yamlDocuments) {
      const kind = mapValue(document.contents, 'kind');
      if (!isScalar(kind)) continue;
      const entries =
        kind.value === 'ConfigMap'
          ? composeEnvironment(mapValue(document.contents, 'data'))
          : mapsWithKey(document.contents, 'image').flatMap((container) => kubernetesEnv(mapValue(container, 'env')));
      for (const entry of entries) {
        const found = debugVariableFinding(entry.name, entry.value, path);
        if (found)
          detections.push({
            start: entry.start,
            end: entry.end,
            message: `${String(kind.value)}: ${found.effect}`,
            ...(found.warningOnly ? { warningOnly: true } : {}),
            ...(found.requires ? { requires: found.requires } : {}),
          });
      }
    }
    return detections;
  },
  fix({ source }, detection) {
    return {
      title: 'remove the entry from the manifest',
      edits: [removeLines(source, detection.start, detection.end)],
    };
  },
};
