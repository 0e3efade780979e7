import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, devServerCommandOf } from '../../src/deploy/dev-server-command.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import {
  debugFlagNote,
  devServerFinding,
  entrypointsDefinedIn,
  PROCESS_ENTRYPOINT_KINDS,
  uniqueBySpan,
} from '../../src/deploy/model-findings.js';
import { developmentRoleReason, entrypointAt } from '../../src/deploy/entrypoint-at.js';
import { diskFiles, unresolved } from '../../src/deploy/project-files.js';
import { developmentOnlyReason, planProcfileSwitch } from '../../src/deploy/server-switch.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const processDevServer: DeployRule = {
  id: 'process-dev-server',
  language: 'deploy',
  fileKinds: ['procfile', 'supervisord', 'systemd', 'yaml', 'package-json'],
  title:
    'a Procfile, supervisord or systemd unit, a Render service, an App Engine app.yaml or an npm script runs ' +
    "Flask's development server",
  severity: 'error',
  knowsAppFamily: true,
  // One hint for all the file kinds, so it names each one's own syntax rather than a Procfile's.
  hint:
    'run a WSGI server instead (gunicorn -c gunicorn.conf.py wsgi:app) ' +
    "as the Procfile's web process, the unit's ExecStart=, the program's command=, the Render startCommand " +
    "or app.yaml's entrypoint",
  keywords: ['flask', 'python', 'runserver'],
  prefilter: DEV_SERVER_PREFILTER,
  doc: {
    why:
      'Process files are what production runs. `web: python app.py`, `command=flask run`, a Render ' +
      "service's `startCommand: python app.py` (render.yaml) or an App Engine `entrypoint: python main.py` " +
      '(app.yaml), or a heroku.yml `run: web: python app.py`, serves the app with ' +
      'the Werkzeug development server, which is not built for production and serves the interactive ' +
      'debugger as soon as debug mode is on. A package.json script that runs the app (`"start": "flask run"`, ' +
      'or `npm run` of one that does) is read the same way; one named for development (`dev`, `watch`), or that ' +
      "also watches files, is a warning, as is every such script of a front end's workspace (its `npm start` runs " +
      'a front-end development server: `react-scripts start`, `vite`, `next dev`).',
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
    const entrypoints = entrypointsDefinedIn(context.deploy, context.path).filter((entrypoint) =>
      PROCESS_ENTRYPOINT_KINDS.has(entrypoint.kind),
    );
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      if (!finding) continue;
      const { at } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message: `${finding.message}${debugFlagNote(finding)}`,
        ...(finding.requires ? { requires: finding.requires } : {}),
      });
    }
    return detections;
  },
  fix(context, detection) {
    const { kind, path, source } = context;
    const commandText = source.slice(detection.start, detection.end);
    const entrypoint = entrypointAt(context, detection.start);
    const command = devServerCommandOf(entrypoint?.command);
    if (!command) return undefined;
    const words = entrypoint?.command.words;
    const site = {
      deployFile: path,
      source,
      command,
      commandText,
      range: detection,
      render: (argv: string[]) => argv.join(' '),
      ...(words ? { words } : {}),
    };
    const process = /^[ \t]*([\w-]+)[ \t]*:/.exec(
      source.slice(source.lastIndexOf('\n', detection.start - 1) + 1, detection.start),
    )?.[1];
    return devServerFix(
      site,
      () => {
        // App Engine installs requirements.txt beside app.yaml; its entrypoint must bind $PORT: a person writes it.
        if (entrypoint?.kind === 'app-engine')
          return unresolved(
            'App Engine runs the entrypoint with the PORT it sets: add gunicorn to requirements.txt and make the ' +
              'entrypoint gunicorn -b :$PORT main:app (or remove it: the runtime serves main:app with gunicorn)',
          );
        // heroku.yml runs the process in the image its `build:` makes: what is installed there is the Dockerfile's.
        if (kind === 'yaml' && entrypoint?.name.startsWith('heroku.'))
          return unresolved(
            "Heroku runs it in the image heroku.yml builds: install gunicorn in that image's Dockerfile and make " +
              'the run command gunicorn --bind 0.0.0.0:$PORT <module>:app (it binds the PORT Heroku sets)',
          );
        // Render installs what its buildCommand says, which may not be requirements.txt: a person switches it.
        if (kind === 'yaml')
          return unresolved(
            "Render installs what the service's buildCommand installs: add gunicorn there and make it " +
              'the startCommand (it binds the PORT Render sets)',
          );
        // An npm script runs wherever `npm start` is typed: nothing says what Python is installed there.
        if (kind === 'package-json')
          return unresolved(
            'an npm script runs it, in an environment the repository does not describe: install gunicorn there ' +
              'and make the script run it',
          );
        // supervisord and systemd run in an environment the repository
        // does not describe: which virtualenv, what is installed in it.
        if (kind !== 'procfile')
          return unresolved(
            'nothing in the repository says what is installed in the environment this ' +
              `${kind === 'systemd' ? 'unit' : 'program'} runs; install gunicorn there and run it instead`,
          );
        // Only the `web` process receives HTTP traffic on Heroku-style platforms.
        if (process !== 'web')
          return unresolved(`the ${process ?? 'unnamed'} process is not the platform's web process`);
        return planProcfileSwitch({ deployFile: path, command, commandText, shell: true }, diskFiles);
      },
      developmentRoleReason(entrypoint) ?? developmentOnlyReason(path),
    );
  },
};
