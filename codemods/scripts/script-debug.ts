import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { GUNICORN_ENV_DOC, GUNICORN_KEYWORD, GUNICORN_PREFILTER } from '../../src/deploy/debug-variables.js';
import { serverSettingDetections } from '../../src/deploy/model-findings.js';
import { serverSettingFix } from '../../src/deploy/gunicorn-env-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';
import {
  DEBUG_VARIABLE_KEYWORDS,
  DEBUG_VARIABLE_PREFILTER,
  FAMILY_VARIABLES_DOC,
} from '../../src/deploy/debug-variables.js';
import { scriptFacts } from '../../src/deploy/formats/script.js';
import {
  debugFlagNote,
  debugSelectorCandidate,
  debugSettingFinding,
  devServerFinding,
} from '../../src/deploy/model-findings.js';
import { debugSettingFix, devServerFix } from '../../src/deploy/deploy-edits.js';
import { DEV_SERVER_PREFILTER, devServerCommandOf } from '../../src/deploy/dev-server-command.js';
import { unresolved } from '../../src/deploy/project-files.js';
import { optInTurnedOnFor } from '../../src/deploy/opt-in-branch.js';

export const scriptDebug: DeployRule = {
  id: 'script-debug',
  language: 'deploy',
  fileKinds: ['script'],
  title: "a script a deploy file runs turns debug mode on or starts Flask's development server",
  severity: 'error',
  knowsAppFamily: true,
  hint:
    'remove `export FLASK_DEBUG=1` and `--debug`, and exec a WSGI server: ' +
    'exec gunicorn -c gunicorn.conf.py wsgi:app',
  keywords: [...DEBUG_VARIABLE_KEYWORDS, 'flask', 'python', 'runserver', GUNICORN_KEYWORD],
  prefilter: [DEBUG_VARIABLE_PREFILTER, DEV_SERVER_PREFILTER, GUNICORN_PREFILTER],
  doc: {
    why:
      'A Dockerfile, Procfile or compose file that runs `entrypoint.sh`, `boot.sh` or `start.sh` runs whatever the ' +
      'script does: `export FLASK_DEBUG=1` turns debug mode on for every process it starts (the debugger too, ' +
      'under a development server), so does `export APP_SETTINGS=config.DevelopmentConfig` when the app loads its ' +
      'config class by that variable and the class sets `DEBUG = True` (left to a person by migrate), ' +
      'and `flask run --debug`, ' +
      '`flask --debug run` or `python app.py` serve the app with the Werkzeug development server. Scripts that no ' +
      'deploy file runs are not reported. A branch only development takes is a warning that migrate leaves alone: ' +
      '`if [ "$APP_ENV" = development ]`, or a debug opt-in such as `if [ "$DEBUG" = true ]` or ' +
      '`[ -n "$FLASK_DEBUG" ]` that no deploy file running the script turns on.' +
      FAMILY_VARIABLES_DOC +
      GUNICORN_ENV_DOC,
    example:
      '# Dockerfile: CMD ["./boot.sh"]\n' +
      '#!/bin/sh\nexport FLASK_DEBUG=1\nflask db upgrade\nexec flask run --host=0.0.0.0',
    fix: '#!/bin/sh\nflask db upgrade\nexec gunicorn -c gunicorn.conf.py wsgi:app',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDevServer, DOCS.flaskDeploying],
    equivalents: [],
  },
  detect({ path, source, deploy }) {
    const facts = scriptFacts(path, source);
    const detections: Detection[] = [];
    for (const setting of facts.exports) {
      const found = debugSettingFinding(deploy, setting);
      // `export APP_SETTINGS=config.DevelopmentConfig`: a variable the app picks its config class by.
      const candidate = found ? undefined : debugSelectorCandidate(setting);
      if (candidate)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `${candidate.message} (exported for every command the script starts)`,
          requires: { kind: 'run-by-deploy-file', then: candidate.requires },
        });
      if (found)
        detections.push({
          start: setting.at.start,
          end: setting.at.end,
          message: `exports ${found.effect} for every command the script starts`,
          requires: { kind: 'run-by-deploy-file', then: found.requires },
          ...(found.warningOnly ? { warningOnly: true } : {}),
        });
    }
    for (const command of facts.commands) {
      for (const setting of command.prefixEnv) {
        const found = debugSettingFinding(deploy, setting);
        if (found)
          detections.push({
            start: command.at.start,
            end: command.at.end,
            message: `${found.effect} for \`${command.argv.join(' ')}\``,
            requires: { kind: 'run-by-deploy-file', then: found.requires },
            ...(found.warningOnly ? { warningOnly: true } : {}),
          });
      }
      const finding = devServerFinding(command);
      if (!finding) continue;
      detections.push({
        start: command.at.start,
        end: command.at.end,
        message: `${finding.message}${debugFlagNote(finding)}`,
        requires: {
          kind: 'run-by-deploy-file',
          ...(finding.requires ? { then: finding.requires } : {}),
          ...(finding.debug ? {} : { deployFileOnly: true }),
        },
      });
    }
    return [...detections, ...serverSettingDetections(deploy, path)];
  },
  fix({ path, source, deploy }, detection) {
    const server = serverSettingFix(deploy, source, detection);
    if (server) return server;
    const facts = scriptFacts(path, source);
    const atDetection = (at: { start: number; end: number }) =>
      at.start === detection.start && at.end === detection.end;
    const found = facts.commands.find(
      (candidate) => atDetection(candidate.at) && devServerCommandOf(candidate) !== undefined,
    );
    const command = devServerCommandOf(found);
    const branch =
      found?.branch ??
      [...facts.exports, ...facts.commands.flatMap((candidate) => candidate.prefixEnv)].find((setting) =>
        atDetection(setting.at),
      )?.branch;
    // A development-only branch (`if [ "$APP_ENV" = development ]`, a `"$DEBUG" = true` opt-in nothing turns on)
    // is what developers run: it is left as it is.
    const scripts = deploy.entrypoints.flatMap((entrypoint) => entrypoint.scripts);
    const turnedOn = optInTurnedOnFor(scripts, path, detection.start, detection.end);
    const developmentOnly =
      branch?.development && !turnedOn
        ? `the branch \`${branch.condition}\` runs only in development; it keeps its development server`
        : undefined;
    if (!found || !command)
      return developmentOnly
        ? { title: 'left for a person', edits: [], manual: developmentOnly }
        : debugSettingFix(source, detection);
    // What a script's environment has installed is up to the deploy file that runs it: only --debug goes here.
    const range = found.span ?? detection;
    const site = {
      deployFile: path,
      source,
      command,
      commandText: source.slice(range.start, range.end),
      range,
      render: (argv: string[]) => argv.join(' '),
      ...(found.words ? { words: found.words } : {}),
    };
    return devServerFix(
      site,
      () =>
        unresolved("a script's server command is switched by hand, once gunicorn is installed where the script runs"),
      developmentOnly,
    );
  },
};
