import { basename } from 'node:path';
import { GUNICORN_ENV_DOC, GUNICORN_KEYWORD, GUNICORN_PREFILTER } from '../../src/deploy/debug-variables.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';
import {
  DEBUG_VARIABLE_KEYWORDS,
  DEBUG_VARIABLE_PREFILTER,
  FAMILY_VARIABLES_DOC,
} from '../../src/deploy/debug-variables.js';
import {
  debugSelectorCandidate,
  debugSettingFinding,
  entrypointsDefinedIn,
  PROCESS_ENTRYPOINT_KINDS,
  uniqueBySpan,
} from '../../src/deploy/model-findings.js';
import { envFileReportsItself } from '../../src/deploy/env-file.js';
import { debugSettingFix } from '../../src/deploy/deploy-edits.js';
import { SERVER_ENV_ORIGINS } from '../../src/deploy/model.js';
import { renderEnvVarFix } from '../../src/deploy/render-edits.js';
import { appEngineEnvVariableFix, serverlessEnvironmentFix } from '../../src/deploy/app-engine-edits.js';

export const processDebugEnv: DeployRule = {
  id: 'process-debug-env',
  language: 'deploy',
  fileKinds: ['procfile', 'supervisord', 'systemd', 'yaml', 'package-json', 'zappa'],
  title:
    'a systemd unit, supervisord program, Procfile, Render blueprint, App Engine app.yaml, zappa stage, ' +
    'serverless.yml or npm script turns debug mode on',
  severity: 'error',
  hint:
    'remove FLASK_DEBUG/FLASK_ENV from Environment=/environment=/the command line/render.yaml envVars/' +
    'app.yaml env_variables/zappa environment_variables/serverless.yml environment ' +
    '(and from the EnvironmentFile= it loads)',
  keywords: [...DEBUG_VARIABLE_KEYWORDS, 'EnvironmentFile', GUNICORN_KEYWORD],
  prefilter: [DEBUG_VARIABLE_PREFILTER, /EnvironmentFile/, GUNICORN_PREFILTER],
  doc: {
    why:
      '`Environment=FLASK_DEBUG=1` in a systemd unit, `environment=FLASK_DEBUG="1"` in a supervisord program or ' +
      '`web: FLASK_DEBUG=1 flask run` in a Procfile gives the server process debug mode, and with it the interactive ' +
      'debugger when it runs `flask run` or `app.run()`. A variable the app loads its config class by ' +
      '(`Environment=APP_SETTINGS=config.DevelopmentConfig` with `from_object(os.environ["APP_SETTINGS"])`) ' +
      'is reported when that class sets `DEBUG = True`, and left to a person by migrate. ' +
      'An `EnvironmentFile=` that points at a committed file ' +
      "does the same with that file's lines. A Render blueprint's `envVars:` item `- key: FLASK_DEBUG` / " +
      '`value: "1"` (on a service, or in an `envVarGroups` entry a service takes with `fromGroup:`) is set on ' +
      'the service Render runs, and an App Engine app.yaml\'s `env_variables:` entry `FLASK_DEBUG: "1"` is set on ' +
      "the service App Engine runs. A zappa_settings.json stage's `environment_variables` (with those of the stage " +
      "it `extends`) and a serverless.yml's `provider.environment` or function `environment` (serverless-wsgi) " +
      'are set on the Lambda function that serves the app (migrate removes a serverless.yml entry; one in ' +
      'zappa_settings.json, JSON, is left to a person).' +
      FAMILY_VARIABLES_DOC +
      GUNICORN_ENV_DOC,
    example: '[Service]\nEnvironment=FLASK_DEBUG=1\nExecStart=/srv/app/venv/bin/gunicorn wsgi:app',
    fix: '[Service]\nExecStart=/srv/app/venv/bin/gunicorn wsgi:app',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect(context) {
    const entrypoints = entrypointsDefinedIn(context.deploy, context.path).filter((entrypoint) =>
      PROCESS_ENTRYPOINT_KINDS.has(entrypoint.kind),
    );
    // gunicorn's own settings (-e, raw_env) are reported with words of their own (serverSettingDetections).
    const settings = entrypoints
      .flatMap((entrypoint) => [...entrypoint.environment, ...entrypoint.command.prefixEnv])
      .filter((setting) => !SERVER_ENV_ORIGINS.has(setting.origin));
    const detections: Detection[] = [];
    const debugSettings = settings.flatMap((setting) => {
      const found = debugSettingFinding(context.deploy, setting);
      return found ? [{ ...setting, ...found }] : [];
    });
    for (const { effect, warningOnly, requires, ...setting } of uniqueBySpan(
      debugSettings,
      (item) => item.via ?? item.at,
    )) {
      const level = { ...(warningOnly ? { warningOnly: true } : {}), ...(requires ? { requires } : {}) };
      if (setting.via) {
        // A committed env file that env-file-debug reports itself needs no second finding here.
        if (setting.via.path !== context.path || envFileReportsItself(setting.at.path)) continue;
        detections.push({
          start: setting.via.start,
          end: setting.via.end,
          message: `loads ${basename(setting.at.path)} (line ${setting.at.line}): ${effect} for this service`,
          ...level,
        });
      } else if (setting.at.path === context.path) {
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `${effect} for this service`,
          ...level,
        });
      }
    }
    // `Environment=APP_SETTINGS=config.DevelopmentConfig`: a variable the app picks its config class by.
    for (const setting of uniqueBySpan(settings, (item) => item.at)) {
      const candidate = setting.at.path === context.path && !setting.via ? debugSelectorCandidate(setting) : undefined;
      if (candidate)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `${candidate.message} for this service`,
          requires: candidate.requires,
        });
    }
    return [...detections, ...serverSettingDetections(context.deploy, context.path, PROCESS_ENTRYPOINT_KINDS)];
  },
  fix({ kind, source, yamlDocuments, deploy }, detection) {
    const server = serverSettingFix(deploy, source, detection);
    if (server) return server;
    if (kind === 'yaml')
      return (
        renderEnvVarFix(source, yamlDocuments, detection.start) ??
        appEngineEnvVariableFix(source, yamlDocuments, detection.start) ??
        serverlessEnvironmentFix(source, yamlDocuments, detection.start)
      );
    // zappa_settings.json: removing a JSON member takes its comma with it, which a person sees at a glance.
    if (kind === 'zappa')
      return {
        title: 'left for a person',
        edits: [],
        manual: "remove FLASK_DEBUG/FLASK_ENV from the stage's environment_variables in zappa_settings.json",
      };
    // `EnvironmentFile=` loads a file this repository does not report itself: that file is changed by hand.
    if (
      /^[ \t]*EnvironmentFile[ \t]*=/.test(
        source.slice(source.lastIndexOf('\n', detection.start - 1) + 1, detection.end),
      )
    ) {
      return {
        title: 'left for a person',
        edits: [],
        manual:
          'the setting is in the file EnvironmentFile= loads, outside what migrate rewrites: ' +
          'remove FLASK_DEBUG/FLASK_ENV there',
      };
    }
    return debugSettingFix(source, detection);
  },
};
