import type { Detection, DeployRule } from '../../src/rules/rule.js';
import {
  DEBUG_VARIABLE_KEYWORDS,
  DEBUG_VARIABLE_PREFILTER,
  FAMILY_VARIABLES_DOC,
} from '../../src/deploy/debug-variables.js';
import { envAssignments, envFileReportsItself } from '../../src/deploy/env-file.js';
import { debugVariableFindingAt } from '../../src/deploy/model-findings.js';
import { removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const envFileDebug: DeployRule = {
  id: 'env-file-debug',
  language: 'deploy',
  fileKinds: ['env'],
  title: 'FLASK_DEBUG=1 or FLASK_ENV=development in a committed env file',
  severity: 'error',
  hint: 'remove the line from the committed file; put FLASK_DEBUG=1 in a git-ignored .env on your own machine',
  keywords: DEBUG_VARIABLE_KEYWORDS,
  prefilter: DEBUG_VARIABLE_PREFILTER,
  doc: {
    why:
      '`.flaskenv` and `.env` are loaded by `flask run` and `app.run()` (python-dotenv), and many deploy tools ' +
      'load `.env` into the environment. A committed `FLASK_DEBUG=1` therefore reaches every checkout, servers ' +
      'included. Flask treats any value except 0/false/no as on, so `FLASK_DEBUG=off` is on too. A git-ignored ' +
      '`.env` on a developer machine, and files named for development (`.env.development`), are fine.' +
      FAMILY_VARIABLES_DOC +
      ' Where production sets `FLASK_SKIP_DOTENV` (to anything but 0/false/no), the flask command never loads ' +
      '`.flaskenv` or `.env`, so a committed `.flaskenv` is only a warning there. The same holds where every ' +
      'production entrypoint is a WSGI server (gunicorn, waitress, uWSGI), which reads neither file: a warning ' +
      "for `.flaskenv`, and for `.env` unless the project's own code loads it (`load_dotenv()`, environs, " +
      'python-decouple, pydantic-settings, Dynaconf).',
    example: '# .flaskenv (committed)\nFLASK_APP=app\nFLASK_DEBUG=1',
    fix:
      'Delete the line from the committed file. Developers set `FLASK_DEBUG=1` in their own git-ignored `.env` ' +
      'or run `flask run --debug`.',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDotenv, DOCS.flaskDebugConfig, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ path, source, gitIgnored, deploy }) {
    // Templates (.env.example, env.sample, *.template) are copied,
    // not loaded: the deploy line that copies one is reported.
    if (gitIgnored || !envFileReportsItself(path)) return [];
    const detections: Detection[] = [];
    for (const assignment of envAssignments(source)) {
      const at = { path, start: assignment.start, end: assignment.end };
      const found = debugVariableFindingAt(deploy, assignment.name, assignment.value, at);
      if (found)
        detections.push({
          start: assignment.start,
          end: assignment.end,
          message: `${found.effect} for everyone who uses this committed file`,
          ...(found.warningOnly ? { warningOnly: true } : {}),
          ...(found.requires ? { requires: found.requires } : {}),
        });
    }
    return detections;
  },
  fix({ source }, detection) {
    return {
      title: 'remove the line: developers opt in with FLASK_DEBUG=1 in a git-ignored .env or flask run --debug',
      edits: [removeLines(source, detection.start, detection.end)],
    };
  },
};
