import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEVELOPMENT_ONLY_NAME, debugVariableEffect } from '../../src/deploy/debug-variables.js';
import { dockerCommandText, dockerEnvPairs, dockerInstructions } from '../../src/deploy/dockerfile.js';
import { findDevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerFix, removeLines } from '../../src/deploy/deploy-edits.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const dockerfileDebugEnv: DeployRule = {
  id: 'dockerfile-debug',
  language: 'deploy',
  fileKinds: ['dockerfile'],
  title: 'the container image turns debug mode on',
  severity: 'error',
  hint: 'remove FLASK_DEBUG/FLASK_ENV from the image and drop --debug; pass FLASK_DEBUG=1 only to local dev containers',
  keywords: ['FLASK_', '--debug'],
  prefilter: /FLASK_DEBUG|FLASK_ENV|--debug/,
  doc: {
    why:
      '`ENV FLASK_DEBUG=1` is baked into every container started from the image, production included, and ' +
      '`CMD flask run --debug` serves the interactive debugger. Both travel with the image wherever it is deployed.',
    example: 'FROM python:3.12-slim\nENV FLASK_DEBUG=1\nCMD ["flask", "run", "--debug", "--host=0.0.0.0"]',
    fix:
      'Remove the variable and the flag; a development stage (`FROM base AS dev`) or `docker run -e FLASK_DEBUG=1` ' +
      'can opt in locally.\n\nFROM python:3.12-slim\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]',
  },
  references: {
    cwe: DEBUGGER_CWES,
    links: [DOCS.flaskDebugConfig, DOCS.flaskDeploying, DOCS.werkzeugDebugger],
    equivalents: [],
  },
  detect({ source }) {
    const detections: Detection[] = [];
    for (const instruction of dockerInstructions(source)) {
      if (DEVELOPMENT_ONLY_NAME.test(instruction.stage)) continue;
      if (instruction.keyword === 'ENV') {
        for (const pair of dockerEnvPairs(instruction)) {
          const effect = debugVariableEffect(pair.name, pair.value);
          if (effect) detections.push({ start: pair.start, end: pair.end, message: `ENV ${effect} in every container of this image` });
        }
      } else if (instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') {
        const command = findDevServerCommand(dockerCommandText(instruction));
        if (command?.debug) {
          detections.push({
            start: instruction.start,
            end: instruction.end,
            message: `${instruction.keyword} runs the development server with --debug: the interactive debugger is served`,
          });
        }
      }
    }
    return detections;
  },
  fix({ path, source }, detection) {
    const instruction = dockerInstructions(source).find((candidate) => candidate.start <= detection.start && detection.end <= candidate.end);
    if (!instruction) return undefined;
    if (instruction.keyword === 'ENV') {
      const pairs = dockerEnvPairs(instruction);
      const index = pairs.findIndex((pair) => pair.start === detection.start);
      const pair = pairs[index];
      if (!pair) return undefined;
      const title = `remove ${pair.name} from the image: pass it to local dev containers only`;
      if (pairs.length === 1) return { title, edits: [removeLines(source, instruction.start, instruction.end)] };
      // Take the separator on one side only: `ENV A=1 FLASK_DEBUG=1` (or continued lines) leaves `ENV A=1`.
      const previous = pairs[index - 1];
      const next = pairs[index + 1];
      const edit = previous ? { start: previous.end, end: pair.end, replacement: '' } : { start: pair.start, end: next!.start, replacement: '' };
      return { title, edits: [edit] };
    }
    const command = findDevServerCommand(dockerCommandText(instruction));
    if (!command) return undefined;
    return devServerFix(path, command, dockerCommandText(instruction), instruction, (argv) => `${instruction.keyword} ${JSON.stringify(argv).replace(/","/g, '", "')}`);
  },
};
