import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerMessage, devServerRequirement } from '../../src/deploy/dev-server-finding.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

// The line that names the command in each process manager's format.
const COMMAND_LINE: Record<string, RegExp> = {
  procfile: /^[ \t]*([\w-]+)[ \t]*:[ \t]*(.+?)[ \t\r]*$/,
  supervisord: /^[ \t]*command[ \t]*=[ \t]*(.+?)[ \t\r]*$/,
  systemd: /^[ \t]*ExecStart[ \t]*=[ \t]*[-@:+!]*(.+?)[ \t\r]*$/,
};

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
  detect({ kind, source }) {
    // Only supervisord's [program:x] sections run commands; other .ini/.conf files are not process files.
    if (kind === 'supervisord' && !/^[ \t]*\[program:/m.test(source)) return [];
    const pattern = COMMAND_LINE[kind];
    if (!pattern) return [];
    const detections: Detection[] = [];
    let offset = 0;
    for (const line of source.split('\n')) {
      const lineStart = offset;
      offset += line.length + 1;
      if (line.trimStart().startsWith('#') || line.trimStart().startsWith(';')) continue;
      const match = pattern.exec(line);
      const command = match?.at(-1);
      const devServer = command ? findDevServerCommand(command) : undefined;
      if (!command || !devServer) continue;
      const start = lineStart + line.indexOf(command);
      detections.push({
        start,
        end: start + command.length,
        message: `${devServerMessage(devServer)}${devServer.debug ? ', with --debug: the interactive debugger is served' : ''}`,
        requires: devServerRequirement(devServer),
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
