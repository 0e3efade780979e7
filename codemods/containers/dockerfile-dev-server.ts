import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { instructionNames } from '../../src/deploy/formats/dockerfile-instructions.js';
import { DEV_SERVER_PREFILTER } from '../../src/deploy/dev-server-command.js';
import { devServerFinding, entrypointsDefinedIn, uniqueBySpan } from '../../src/deploy/model-findings.js';
import { dockerCommandSite } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const dockerfileDevServer: DeployRule = {
  id: 'dockerfile-dev-server',
  language: 'deploy',
  fileKinds: ['dockerfile'],
  title: "the container runs Flask's development server",
  severity: 'error',
  knowsAppFamily: true,
  hint: 'run a WSGI server instead: CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  keywords: ['flask', 'python', 'runserver'],
  prefilter: DEV_SERVER_PREFILTER,
  doc: {
    why:
      '`flask run` and `python app.py` (which calls `app.run()`) start the Werkzeug development server: single ' +
      'process, not hardened, and one FLASK_DEBUG=1 away from the interactive debugger. Flask says it must not ' +
      'be used in production.',
    example: 'CMD ["python", "app.py"]',
    fix:
      'Add a `wsgi.py` exposing `app` and serve it with Gunicorn (or `waitress-serve wsgi:app`):\n\n' +
      'CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDevServer, DOCS.flaskDeploying, DOCS.gunicornDeploy],
    equivalents: [],
  },
  detect(context) {
    const detections: Detection[] = [];
    const entrypoints = entrypointsDefinedIn(context.deploy, context.path).filter(
      (entrypoint) => entrypoint.kind === 'dockerfile',
    );
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      // `--debug` is reported by dockerfile-debug: one finding per problem.
      if (!finding || finding.debug) continue;
      const { at } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message: `${instructionNames(context.source, entrypoint.command.parts)} ${finding.message}`,
        ...(finding.requires ? { requires: finding.requires } : {}),
      });
    }
    return detections;
  },
  fix(context, detection) {
    return dockerCommandSite(context, detection.start);
  },
};
