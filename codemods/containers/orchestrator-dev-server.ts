import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { deployModelOfFile } from '../../src/deploy/model-context.js';
import { devServerFinding, entrypointsDefinedIn, uniqueBySpan } from '../../src/deploy/model-findings.js';
import { commandText, composeServices, mapValue } from '../../src/deploy/yaml-nodes.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const orchestratorDevServer: DeployRule = {
  id: 'orchestrator-dev-server',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: "a compose service or Kubernetes container runs Flask's development server",
  severity: 'error',
  hint: 'run gunicorn -c gunicorn.conf.py wsgi:app (or waitress-serve wsgi:app) as the command',
  keywords: ['flask', 'python', 'runserver'],
  prefilter: DEV_SERVER_PREFILTER,
  doc: {
    why:
      '`command: flask run` or `python app.py` serves the app with the Werkzeug development server, which Flask ' +
      'says must not be used in production; with `--debug` it also serves the interactive debugger.',
    example: 'services:\n  web:\n    command: flask run --host=0.0.0.0 --debug',
    fix: 'services:\n  web:\n    command: gunicorn -c gunicorn.conf.py wsgi:app',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDevServer, DOCS.flaskDeploying, DOCS.gunicornDeploy],
    equivalents: [],
  },
  detect(context) {
    const entrypoints = entrypointsDefinedIn(deployModelOfFile(context), context.path).filter(
      (entrypoint) => (entrypoint.kind === 'compose' || entrypoint.kind === 'kubernetes') && entrypoint.command.at.path === context.path,
    );
    const detections: Detection[] = [];
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      if (!finding) continue;
      const owner = entrypoint.kind === 'compose' ? `service ${entrypoint.name.replace(/^.* service /, '')}` : entrypoint.name.replace(/^.* (container .*)$/, '$1');
      const { at } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message: `${owner} ${finding.message}${finding.debug ? ', with --debug: the interactive debugger is served' : ''}`,
        ...(finding.requires ? { requires: finding.requires } : {}),
      });
    }
    return detections;
  },
  fix({ path, source, yamlDocuments }, detection) {
    // Compose commands only: a Kubernetes container's command and args live in two keys and the image decides the rest.
    for (const document of yamlDocuments) {
      for (const { service } of composeServices(document)) {
        const command = commandText(mapValue(service, 'command'));
        if (!command || command.start !== detection.start) continue;
        const devServer = findDevServerCommand(command.text);
        if (!devServer) return undefined;
        const isList = source[command.start] === '[' || source[command.start] === '-';
        const render = (argv: string[]) => (isList ? JSON.stringify(argv).replace(/","/g, '", "') : argv.join(' '));
        return devServerFix(path, devServer, command.text, { start: command.start, end: command.end }, render);
      }
    }
    return undefined;
  },
};
