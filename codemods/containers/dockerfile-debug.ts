import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { GUNICORN_ENV_DOC, GUNICORN_KEYWORD, GUNICORN_PREFILTER } from '../../src/deploy/debug-variables.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import { basename, dirname } from 'node:path';
import { debugVariableEffect, FAMILY_VARIABLES_DOC } from '../../src/deploy/debug-variables.js';
import {
  dockerEnvPairs,
  dockerInstructions,
  instructionNames,
} from '../../src/deploy/formats/dockerfile-instructions.js';
import {
  debugSelectorCandidate,
  debugSettingFinding,
  devServerFinding,
  entrypointsDefinedIn,
  isTemplateEnvFile,
  uniqueBySpan,
} from '../../src/deploy/model-findings.js';
import { dockerCommandSite, removeLines } from '../../src/deploy/deploy-edits.js';
import { stageEntrypoints } from '../../src/deploy/entrypoint-at.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const dockerfileDebugEnv: DeployRule = {
  id: 'dockerfile-debug',
  language: 'deploy',
  fileKinds: ['dockerfile'],
  title: 'the container image turns debug mode on',
  severity: 'error',
  hint:
    'remove the FLASK_DEBUG/FLASK_ENV setting (ENV, or --debug on the command); ' +
    'pass FLASK_DEBUG=1 only to local dev containers',
  // `Config`, `Settings`: a config class path a from_object() may load (`ENV APP_SETTINGS=config.DevConfig`).
  keywords: ['FLASK_', '--debug', '.env', 'DEBUG', 'Config', 'Settings', GUNICORN_KEYWORD],
  prefilter: [
    /FLASK_DEBUG|FLASK_ENV|--debug|\.env\b|DEBUG|[=: \t]["']?\w+(?:\.\w+)*\.[A-Z]\w*(?:Config|Settings)\b/,
    GUNICORN_PREFILTER,
  ],
  doc: {
    why:
      '`ENV FLASK_DEBUG=1` is baked into every container started from the image, production included, and ' +
      '`CMD flask run --debug` serves the interactive debugger. Both travel with the image wherever it is deployed.' +
      FAMILY_VARIABLES_DOC +
      GUNICORN_ENV_DOC,
    example: 'FROM python:3.12-slim\nENV FLASK_DEBUG=1\nCMD ["flask", "run", "--debug", "--host=0.0.0.0"]',
    fix:
      'Remove the variable and the flag; a development stage (`FROM base AS dev`) or `docker run -e FLASK_DEBUG=1` ' +
      'can opt in locally.\n\nFROM python:3.12-slim\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect(context) {
    const model = context.deploy;
    const entrypoints = entrypointsDefinedIn(model, context.path).filter(
      (entrypoint) => entrypoint.kind === 'dockerfile',
    );
    const detections: Detection[] = [];
    const settings = entrypoints.flatMap((entrypoint) =>
      entrypoint.environment
        .filter((setting) => setting.origin === 'dockerfile-env' && setting.at.path === context.path)
        .map((setting) => ({ setting, entrypoint })),
    );
    const debugSettings = settings.flatMap((item) => {
      const found = debugSettingFinding(model, item.setting);
      return found ? [{ ...item, found }] : [];
    });
    for (const { setting, entrypoint, found } of uniqueBySpan(debugSettings, (item) => item.setting.at)) {
      const { effect } = found;
      const scope =
        entrypoint.role === 'development'
          ? `in containers of ${entrypoint.name.replace(/^.*\((.*)\)$/, '$1')}`
          : 'in every container of this image';
      // An ENV that copies an ARG default is on unless the build passes another value: say so, not "always".
      // The ARG is the one the value names (`ENV FLASK_DEBUG=${DEBUG}` reads `ARG DEBUG`), not always the ENV's
      // own name.
      const argName =
        /\$\{?([A-Za-z_]\w*)/.exec(
          context.source.slice(setting.at.start, setting.at.end).replace(/^[^=\s]*[=\s]/, ''),
        )?.[1] ?? setting.name;
      const message = setting.argDefault
        ? `ENV ${setting.name} takes the default of \`ARG ${argName}\` (line ${setting.argDefault.line}): ` +
          `${effect} ${scope} built without --build-arg ${argName}=0`
        : `ENV ${effect} ${scope}`;
      detections.push({
        start: setting.at.start,
        end: setting.at.end,
        message,
        ...(found.warningOnly ? { warningOnly: true } : {}),
        ...(found.requires ? { requires: found.requires } : {}),
      });
    }
    for (const { setting } of uniqueBySpan(settings, (item) => item.setting.at)) {
      const candidate = debugSelectorCandidate(setting);
      if (candidate)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `ENV ${candidate.message} in every container of this image`,
          requires: candidate.requires,
        });
    }
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      if (!finding?.debug) continue;
      const { at, parts } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message:
          `${instructionNames(context.source, parts)} runs the development server with ` +
          `${finding.debugFlag ?? '--debug'}: the interactive debugger is served`,
      });
    }
    for (const copy of model.copies) {
      // A template copied in a build stage the final image never takes files from is not in the image.
      if (copy.at.path !== context.path || !copy.inImage) continue;
      const loadedAs = /(?:^|\/)(\.env|\.flaskenv)$/.exec(copy.destination)?.[1];
      // The model read the copied file; the first template among the sources is what the image gets.
      const template = copy.dotenv?.find((file) => isTemplateEnvFile(file.path));
      if (!loadedAs || !template) continue;
      const effect = template.settings.map((setting) => debugVariableEffect(setting.name, setting.value)).find(Boolean);
      if (!effect) continue;
      const name = basename(template.path);
      const servers = imageServers(model, context.path);
      const latent =
        servers === ''
          ? 'the image has no command, and nothing here runs it'
          : servers && `what it runs (${servers}) serves no debugger`;
      detections.push({
        start: copy.at.start,
        end: copy.at.end,
        message:
          `copies the template ${name} to ${loadedAs}, which flask run and python-dotenv load: ` +
          (latent ? `${effect} for a flask run in a container of the image, but ${latent}` : `${effect} in the image`),
        // Under gunicorn or another WSGI server the variable reaches app.debug at most, never a console.
        ...(latent ? { warningOnly: true } : {}),
      });
    }
    detections.push(...serverSettingDetections(model, context.path));
    return detections.sort((a, b) => a.start - b.start);
  },
  fix(context, detection) {
    const server = serverSettingFix(context.deploy, context.source, detection);
    if (server) return server;
    // Without the variable, `from_object(os.environ["X"])` would
    // not start: which class production means is a person's call.
    if (detection.message.includes(' as its config')) return undefined;
    const { source } = context;
    const instruction = dockerInstructions(source).find(
      (candidate) => candidate.start <= detection.start && detection.end <= candidate.end,
    );
    if (!instruction) return undefined;
    if (instruction.keyword === 'ENV') {
      // A development stage is where debug belongs; its ENV stays.
      const development = stageEntrypoints(context, instruction.stage).find(
        (entrypoint) => entrypoint.role === 'development',
      );
      if (
        development &&
        !stageEntrypoints(context, instruction.stage).some((entrypoint) => entrypoint.role === 'production')
      ) {
        const developmentOnly = `${development.name} is for development only (${development.roleReason})`;
        return { title: 'left as is', edits: [], manual: `${developmentOnly}; debug mode is allowed there` };
      }
      const pairs = dockerEnvPairs(instruction);
      const index = pairs.findIndex((pair) => pair.start === detection.start);
      const pair = pairs[index];
      if (!pair) return undefined;
      const title = `remove ${pair.name} from the image: pass it to local dev containers only`;
      if (pairs.length === 1) return { title, edits: [removeLines(source, instruction.start, instruction.end)] };
      // Take the separator on one side only: `ENV A=1 FLASK_DEBUG=1` (or continued lines) leaves `ENV A=1`.
      const previous = pairs[index - 1];
      const next = pairs[index + 1];
      if (previous) return { title, edits: [{ start: previous.end, end: pair.end, replacement: '' }] };
      return next ? { title, edits: [{ start: pair.start, end: next.start, replacement: '' }] } : undefined;
    }
    return dockerCommandSite(context, instruction.start);
  },
};

/**
 * The WSGI servers the image built from `dockerfile` runs, when that is all it runs (its CMD, or the command of
 * a compose service that builds it), in words; '' when it has no command and nothing read runs it.
 */
function imageServers(model: DeployModel, dockerfile: string): string | undefined {
  const runs = model.entrypoints.filter(
    (entry) =>
      (entry.file === dockerfile || entry.buildContext === dirname(dockerfile)) && entry.command.argv.length > 0,
  );
  const servers = runs.map((entry) => (entry.serves.target.kind === 'wsgi-server' ? entry.serves.target.server : ''));
  if (runs.length === 0) return '';
  return servers.every(Boolean) ? [...new Set(servers)].join(', ') : undefined;
}
