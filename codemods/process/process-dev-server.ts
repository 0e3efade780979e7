import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerMessage, devServerRequirement } from '../../src/deploy/dev-server-finding.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { developmentRoleReason, entrypointAt } from '../../src/deploy/entrypoint-at.js';
import { diskFiles, unresolved } from '../../src/deploy/project-files.js';
import { developmentOnlyReason, planProcfileSwitch } from '../../src/deploy/server-switch.js';

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
  fix({ kind, path, source }, detection) {
    const commandText = source.slice(detection.start, detection.end);
    const command = findDevServerCommand(commandText);
    if (!command) return undefined;
    const site = { deployFile: path, source, command, commandText, range: detection, render: (argv: string[]) => argv.join(' ') };
    const process = /^[ \t]*([\w-]+)[ \t]*:/.exec(source.slice(source.lastIndexOf('\n', detection.start - 1) + 1, detection.start))?.[1];
    return devServerFix(
      site,
      () => {
        // supervisord and systemd run in an environment the repository does not describe: which virtualenv, what is installed in it.
        if (kind !== 'procfile') return unresolved(`nothing in the repository says what is installed in the environment this ${kind === 'systemd' ? 'unit' : 'program'} runs; install gunicorn there and run it instead`);
        // Only the `web` process receives HTTP traffic on Heroku-style platforms.
        if (process !== 'web') return unresolved(`the ${process ?? 'unnamed'} process is not the platform's web process`);
        return planProcfileSwitch({ deployFile: path, command, commandText, shell: true }, diskFiles);
      },
      developmentRoleReason(kind === 'env' ? undefined : entrypointAt(path, kind, detection.start)) ?? developmentOnlyReason(path),
    );
  },
};
