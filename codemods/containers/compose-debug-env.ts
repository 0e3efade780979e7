import { basename } from 'node:path';
import { GUNICORN_ENV_DOC, GUNICORN_KEYWORD, GUNICORN_PREFILTER } from '../../src/deploy/debug-variables.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEBUG_VARIABLE_PREFILTER, FAMILY_VARIABLES_DOC } from '../../src/deploy/debug-variables.js';
import { envFileReportsItself } from '../../src/deploy/env-file.js';
import {
  debugPassThrough,
  debugSelectorCandidate,
  debugSettingFinding,
  entrypointsDefinedIn,
  interpolationNote,
  runsImageWithoutFlask,
  uniqueBySpan,
} from '../../src/deploy/model-findings.js';
import { composeEnvironment, composeServices, isMap, isScalar, mapValue } from '../../src/deploy/yaml-nodes.js';
import { removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

/** The entrypoints whose commands this rule reports gunicorn's settings of. */
const COMPOSE_KINDS: ReadonlySet<string> = new Set(['compose']);

export const composeDebugEnv: DeployRule = {
  id: 'compose-debug-env',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: 'a compose service turns debug mode on',
  severity: 'error',
  hint: 'remove FLASK_DEBUG/FLASK_ENV from the service; keep them in a compose.override.yml or .env used only locally',
  // `Config`, `Settings`: a config class path a from_object() may load (`APP_SETTINGS=config.DevConfig`).
  keywords: ['FLASK_', 'env_file', 'DEBUG', 'Config', 'Settings', GUNICORN_KEYWORD],
  prefilter: [
    DEBUG_VARIABLE_PREFILTER,
    GUNICORN_PREFILTER,
    /env_file|DEBUG|[=: \t]["']?\w+(?:\.\w+)*\.[A-Z]\w*(?:Config|Settings)\b/,
  ],
  doc: {
    why:
      'A compose file that sets `FLASK_DEBUG=1` (in `environment:`, map or list form) runs the service in ' +
      'debug mode wherever the file is used (with the interactive debugger under `flask run` or `app.run()`), ' +
      'and compose files are routinely used on servers. A service that runs a database, cache or proxy image ' +
      '(`image: mongo`, `redis`, `postgres`, `nginx`) and builds nothing of the project runs no Flask: a variable ' +
      'set on it is not reported. A value with variables (`FLASK_DEBUG=${DEBUG}`, `${DEBUG:-1}`) is read as ' +
      'compose substitutes it: from the committed `.env` beside the compose file and the defaults written in ' +
      'it. A value that is on while the variable is unset (`${DEBUG:-1}`) is an error; one with no default ' +
      '(`${DEBUG}`, empty and off when unset) is a warning that names the variable, since the environment that ' +
      "runs compose decides (a git-ignored `.env` is a developer's own and is not read); a default that is off " +
      '(`${FLASK_ENV:-production}`) is the author choosing off, and no finding.' +
      FAMILY_VARIABLES_DOC +
      GUNICORN_ENV_DOC,
    example: 'services:\n  web:\n    build: .\n    environment:\n      FLASK_DEBUG: "1"',
    fix:
      'Drop the entry; put development settings in `compose.override.yml` (loaded only where it exists) ' +
      'or a git-ignored `.env`.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect(context) {
    const entrypoints = entrypointsDefinedIn(context.deploy, context.path).filter(
      (entrypoint) => entrypoint.kind === 'compose' && !runsImageWithoutFlask(entrypoint),
    );
    const settings = entrypoints.flatMap((entrypoint) =>
      entrypoint.environment.map((setting) => ({ setting, service: entrypoint.name.replace(/^.* service /, '') })),
    );
    const detections: Detection[] = [];
    const debugSettings = settings.flatMap((item) => {
      const found = debugSettingFinding(context.deploy, item.setting);
      return found ? [{ ...item, found }] : [];
    });
    for (const { setting, service } of uniqueBySpan(settings, (item) => item.setting.at)) {
      const candidate =
        setting.origin === 'compose-environment' && setting.at.path === context.path
          ? debugSelectorCandidate(setting)
          : undefined;
      if (candidate)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `service ${service}: ${candidate.message}`,
          requires: candidate.requires,
        });
      const passThrough =
        setting.origin === 'compose-environment' && setting.at.path === context.path
          ? debugPassThrough(setting)
          : undefined;
      if (passThrough)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `service ${service}: ${passThrough.message}`,
          warningOnly: true,
          ...(passThrough.requires ? { requires: passThrough.requires } : {}),
        });
    }
    for (const { setting, service, found } of uniqueBySpan(
      debugSettings,
      (item) => item.setting.via ?? item.setting.at,
    )) {
      if (setting.origin === 'compose-environment' && setting.at.path === context.path) {
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `service ${service}: ${interpolationNote(setting)}${found.effect}`,
          ...(found.warningOnly ? { warningOnly: true } : {}),
          ...(found.requires ? { requires: found.requires } : {}),
        });
      } else if (
        setting.origin === 'compose-env-file' &&
        setting.via?.path === context.path &&
        !envFileReportsItself(setting.at.path)
      ) {
        // env_file: loads the file into the container, template or
        // not; a file env-file-debug reports is not reported twice.
        detections.push({
          start: setting.via.start,
          end: setting.via.end,
          message:
            `service ${service} loads ${basename(setting.at.path)} (line ${setting.at.line}) ` +
            `with env_file: ${found.effect}`,
          ...(found.warningOnly ? { warningOnly: true } : {}),
          ...(found.requires ? { requires: found.requires } : {}),
        });
      }
    }
    return [...detections, ...serverSettingDetections(context.deploy, context.path, COMPOSE_KINDS)];
  },
  fix({ source, yamlDocuments, deploy }, detection) {
    const server = serverSettingFix(deploy, source, detection);
    if (server) return server;
    // Without the variable, `from_object(os.environ["X"])` would
    // not start: which class production means is a person's call.
    if (detection.message.includes(' as its config')) return undefined;
    // `FLASK_DEBUG=${DEBUG}`: the service follows whoever runs compose; whether production ever sets it is theirs.
    if (detection.message.includes(' in the environment that runs compose'))
      return {
        title: 'left for a person',
        edits: [],
        manual:
          'the value follows a variable of the environment that runs compose: drop the entry if production never ' +
          'sets it, or move it to compose.override.yml',
      };
    const title = 'remove the entry: keep FLASK_DEBUG in compose.override.yml or a local .env';
    for (const document of yamlDocuments) {
      for (const { service } of composeServices(document)) {
        const environment = mapValue(service, 'environment');
        const entries = composeEnvironment(environment);
        if (!entries.some((entry) => entry.start === detection.start)) continue;
        // The last entry takes its `environment:` key along: compose rejects an empty (null) environment.
        if (entries.length === 1) {
          const keyPair = isMap(service)
            ? service.items.find((pair) => isScalar(pair.key) && pair.key.value === 'environment')
            : undefined;
          const keyStart = (keyPair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
          if (keyStart !== undefined) return { title, edits: [removeLines(source, keyStart, detection.end)] };
        }
        return { title, edits: [removeLines(source, detection.start, detection.end)] };
      }
    }
    return undefined;
  },
};
