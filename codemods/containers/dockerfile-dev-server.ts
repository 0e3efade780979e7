import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEVELOPMENT_ONLY_NAME } from '../../src/deploy/debug-variables.js';
import { dockerCommandText, dockerInstructions } from '../../src/deploy/dockerfile.js';
import { DEV_SERVER_PREFILTER, findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerMessage, devServerRequirement } from '../../src/deploy/dev-server-finding.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const dockerfileDevServer: DeployRule = {
  id: 'dockerfile-dev-server',
  language: 'deploy',
  fileKinds: ['dockerfile'],
  title: "the container runs Flask's development server",
  severity: 'error',
  hint: 'run a WSGI server instead: CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  keywords: ['flask', 'python', 'runserver'],
  prefilter: DEV_SERVER_PREFILTER,
  doc: {
    why:
      '`flask run` and `python app.py` (which calls `app.run()`) start the Werkzeug development server: single ' +
      'process, not hardened, and one FLASK_DEBUG=1 away from the interactive debugger. Flask says it must not ' +
      'be used in production.',
    example: 'CMD ["python", "app.py"]',
    fix: 'Add a `wsgi.py` exposing `app` and serve it with Gunicorn (or `waitress-serve wsgi:app`):\n\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDevServer, DOCS.flaskDeploying, DOCS.gunicornDeploy],
    equivalents: [],
  },
  detect({ source }) {
    const detections: Detection[] = [];
    for (const instruction of dockerInstructions(source)) {
      if (DEVELOPMENT_ONLY_NAME.test(instruction.stage)) continue;
      if (instruction.keyword !== 'CMD' && instruction.keyword !== 'ENTRYPOINT') continue;
      const command = findDevServerCommand(dockerCommandText(instruction));
      // `--debug` is reported by dockerfile-debug: one finding per problem.
      if (!command || command.debug) continue;
      detections.push({
        start: instruction.start,
        end: instruction.end,
        message: `${instruction.keyword} ${devServerMessage(command)}`,
        requires: devServerRequirement(command),
      });
    }
    return detections;
  },
  fix({ path, source }, detection) {
    const instruction = dockerInstructions(source).find((candidate) => candidate.start === detection.start);
    const command = instruction && findDevServerCommand(dockerCommandText(instruction));
    if (!instruction || !command) return undefined;
    return devServerFix(path, command, dockerCommandText(instruction), instruction, (argv) => `${instruction.keyword} ${JSON.stringify(argv).replace(/","/g, '", "')}`);
  },
};
