import { basename } from 'node:path';
import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEVELOPMENT_ONLY_NAME } from '../../src/deploy/debug-variables.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerMessage, devServerRequirement } from '../../src/deploy/dev-server-finding.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { commandText, composeServices, mapValue, mapsWithKey, isScalar } from '../../src/deploy/yaml-nodes.js';
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
  detect({ path, yamlDocuments }) {
    if (DEVELOPMENT_ONLY_NAME.test(basename(path).replace(/\.ya?ml$/, ''))) return [];
    const commands: { owner: string; text: string; start: number; end: number }[] = [];
    for (const document of yamlDocuments) {
      for (const { name, service } of composeServices(document)) {
        const command = commandText(mapValue(service, 'command'));
        if (command && !DEVELOPMENT_ONLY_NAME.test(name)) commands.push({ owner: `service ${name}`, ...command });
      }
      if (isScalar(mapValue(document.contents, 'kind'))) {
        for (const container of mapsWithKey(document.contents, 'image')) {
          const name = mapValue(container, 'name');
          const owner = `container ${isScalar(name) ? String(name.value) : ''}`.trim();
          const command = commandText(mapValue(container, 'command'));
          const args = commandText(mapValue(container, 'args'));
          // Kubernetes runs `command` followed by `args`: `python` + `app.py` is one command line.
          const first = command ?? args;
          if (first) {
            const text = [command?.text, args?.text].filter(Boolean).join(' ');
            commands.push({ owner, text, start: first.start, end: (args ?? first).end });
          }
        }
      }
    }
    const detections: Detection[] = [];
    for (const command of commands) {
      const devServer = findDevServerCommand(command.text);
      if (!devServer) continue;
      detections.push({
        start: command.start,
        end: command.end,
        message: `${command.owner} ${devServerMessage(devServer)}${devServer.debug ? ', with --debug: the interactive debugger is served' : ''}`,
        requires: devServerRequirement(devServer),
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
