import { basename } from 'node:path';
import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEBUG_VARIABLE_PREFILTER, DEVELOPMENT_ONLY_NAME, debugVariableEffect } from '../../src/deploy/debug-variables.js';
import { composeEnvironment, composeServices, isMap, isScalar, mapValue } from '../../src/deploy/yaml-nodes.js';
import { removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const composeDebugEnv: DeployRule = {
  id: 'compose-debug-env',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: 'a compose service turns debug mode on',
  severity: 'error',
  hint: 'remove FLASK_DEBUG/FLASK_ENV from the service; keep them in a compose.override.yml or .env used only locally',
  keywords: ['FLASK_'],
  prefilter: DEBUG_VARIABLE_PREFILTER,
  doc: {
    why:
      'A compose file that sets `FLASK_DEBUG=1` (in `environment:`, map or list form) runs the service with the ' +
      'interactive debugger wherever the file is used, and compose files are routinely used on servers.',
    example: 'services:\n  web:\n    build: .\n    environment:\n      FLASK_DEBUG: "1"',
    fix: 'Drop the entry; put development settings in `compose.override.yml` (loaded only where it exists) or a git-ignored `.env`.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ path, yamlDocuments }) {
    if (DEVELOPMENT_ONLY_NAME.test(basename(path).replace(/\.ya?ml$/, ''))) return [];
    const detections: Detection[] = [];
    for (const document of yamlDocuments) {
      for (const { name, service } of composeServices(document)) {
        if (DEVELOPMENT_ONLY_NAME.test(name)) continue;
        for (const entry of composeEnvironment(mapValue(service, 'environment'))) {
          const effect = debugVariableEffect(entry.name, entry.value);
          if (effect) detections.push({ start: entry.start, end: entry.end, message: `service ${name}: ${effect}` });
        }
      }
    }
    return detections;
  },
  fix({ source, yamlDocuments }, detection) {
    const title = 'remove the entry: keep FLASK_DEBUG in compose.override.yml or a local .env';
    for (const document of yamlDocuments) {
      for (const { service } of composeServices(document)) {
        const environment = mapValue(service, 'environment');
        const entries = composeEnvironment(environment);
        if (!entries.some((entry) => entry.start === detection.start)) continue;
        // The last entry takes its `environment:` key along: compose rejects an empty (null) environment.
        if (entries.length === 1) {
          const keyPair = isMap(service) ? service.items.find((pair) => isScalar(pair.key) && pair.key.value === 'environment') : undefined;
          const keyStart = (keyPair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
          if (keyStart !== undefined) return { title, edits: [removeLines(source, keyStart, detection.end)] };
        }
        return { title, edits: [removeLines(source, detection.start, detection.end)] };
      }
    }
    return undefined;
  },
};
