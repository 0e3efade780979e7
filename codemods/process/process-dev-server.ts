import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { deployModelOfFile } from '../../src/deploy/model-context.js';
import { devServerFinding, entrypointsDefinedIn, PROCESS_ENTRYPOINT_KINDS, uniqueBySpan } from '../../src/deploy/model-findings.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const processDevServer: DeployRule = {
  id: 'process-dev-server',
  language: 'deploy',
  fileKinds: ['procfile', 'supervisord', 'systemd'],
  title: "a Procfile, supervisord or systemd unit runs Flask's development server",
  severity: 'error',
  hint: 'run the WSGI server instead, e.g. web: gunicorn -c gunicorn.conf.py wsgi:app',
  keywords: ['flask', 'python', 'runserver'],
  prefilter: DEV_SERVER_PREFILTER,
  doc: {
    why:
      'Process files are what production runs. `web: python app.py` or `command=flask run` serves the app with ' +
      'the Werkzeug development server, which is not built for production and serves the interactive ' +
      'debugger as soon as debug mode is on.',
    example: 'web: python app.py',
    fix: 'web: gunicorn -c gunicorn.conf.py wsgi:app',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDevServer, DOCS.flaskDeploying, DOCS.gunicornDeploy],
    equivalents: [],
  },
  detect(context) {
    const detections: Detection[] = [];
    const entrypoints = entrypointsDefinedIn(deployModelOfFile(context), context.path).filter((entrypoint) => PROCESS_ENTRYPOINT_KINDS.has(entrypoint.kind));
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      if (!finding) continue;
      const { at } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message: `${finding.message}${finding.debug ? ', with --debug: the interactive debugger is served' : ''}`,
        ...(finding.requires ? { requires: finding.requires } : {}),
      });
    }
    return detections;
  },
  fix({ path, source }, detection) {
    const commandText = source.slice(detection.start, detection.end);
    const command = findDevServerCommand(commandText);
    if (!command) return undefined;
    // `/srv/app/venv/bin/python -m flask run` -> `/srv/app/venv/bin/gunicorn ...`: the same environment's server.
    const binFolder = /^(\/\S*\/)(?:python[\d.]*|flask)\b/.exec(commandText)?.[1] ?? '';
    return devServerFix(path, command, commandText, detection, (argv) => `${binFolder}${argv.join(' ')}`);
  },
};
