import type { Detection, DeployRule } from '../../src/rules/rule.js';
import { DEV_SERVER_PREFILTER, devServerCommandOf } from '../../src/deploy/dev-server-command.js';
import { devServerFix } from '../../src/deploy/deploy-edits.js';
import {
  debugFlagNote,
  devServerFinding,
  entrypointsDefinedIn,
  uniqueBySpan,
} from '../../src/deploy/model-findings.js';
import { developmentRoleReason, entrypointAt, environmentOf } from '../../src/deploy/entrypoint-at.js';
import { diskFiles } from '../../src/deploy/project-files.js';
import { developmentOnlyReason, planComposeSwitch } from '../../src/deploy/server-switch.js';
import {
  commandText,
  composeEnvironment,
  composeServices,
  isMap,
  mapValue,
  isScalar,
} from '../../src/deploy/yaml-nodes.js';
import { DEBUGGER_CWES, DOCS } from '../../src/rules/references.js';

export const orchestratorDevServer: DeployRule = {
  id: 'orchestrator-dev-server',
  language: 'deploy',
  fileKinds: ['yaml'],
  title: "a compose service or Kubernetes container runs Flask's development server",
  severity: 'error',
  knowsAppFamily: true,
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
    const entrypoints = entrypointsDefinedIn(context.deploy, context.path).filter(
      (entrypoint) =>
        (entrypoint.kind === 'compose' || entrypoint.kind === 'kubernetes') &&
        entrypoint.command.at.path === context.path,
    );
    const detections: Detection[] = [];
    for (const entrypoint of uniqueBySpan(entrypoints, (entry) => entry.command.at)) {
      const finding = devServerFinding(entrypoint.command);
      if (!finding) continue;
      const owner =
        entrypoint.kind === 'compose'
          ? `service ${entrypoint.name.replace(/^.* service /, '')}`
          : entrypoint.name.replace(/^.* (container .*)$/, '$1');
      const { at } = entrypoint.command;
      detections.push({
        start: at.start,
        end: at.end,
        message: `${owner} ${finding.message}${debugFlagNote(finding)}`,
        ...(finding.requires ? { requires: finding.requires } : {}),
      });
    }
    return detections;
  },
  fix(context, detection) {
    const { path, source, yamlDocuments } = context;
    // Compose commands only: a Kubernetes container's command and args live in two keys and the image decides the rest.
    for (const document of yamlDocuments) {
      for (const { name, service } of composeServices(document)) {
        const command = commandText(mapValue(service, 'command'));
        if (!command || command.start !== detection.start) continue;
        const entrypoint = entrypointAt(context, command.start);
        const devServer = devServerCommandOf(entrypoint?.command);
        if (!devServer) return undefined;
        const isList = source[command.start] === '[' || source[command.start] === '-';
        const render = (argv: string[]) => (isList ? JSON.stringify(argv).replace(/","/g, '", "') : argv.join(' '));
        const words = entrypoint?.command.words;
        const site = {
          deployFile: path,
          source,
          command: devServer,
          commandText: command.text,
          range: { start: command.start, end: command.end },
          render,
          ...(words ? { words } : {}),
        };
        const environment = new Map([
          ...composeEnvironment(mapValue(service, 'environment')).map((entry) => [entry.name, entry.value] as const),
          ...environmentOf(entrypoint),
        ]);
        // Compose runs the command without a shell; `${VAR}` in it is compose's own interpolation.
        const shell = false;
        return devServerFix(
          site,
          () =>
            planComposeSwitch(
              { deployFile: path, command: devServer, commandText: command.text, shell },
              buildOf(service),
              environment,
              diskFiles,
            ),
          developmentRoleReason(entrypoint) ?? developmentOnlyReason(path, { label: 'service', name }),
        );
      }
    }
    return undefined;
  },
};

/** A compose service's `build:` (a context string, or a map with context, dockerfile and target). */
function buildOf(service: unknown): { context: string; dockerfile?: string; target?: string } | undefined {
  const build = mapValue(service, 'build');
  if (isScalar(build)) return { context: String(build.value) };
  if (!isMap(build)) return undefined;
  const text = (key: string) => {
    const value = mapValue(build, key);
    return isScalar(value) && value.value !== null ? String(value.value) : undefined;
  };
  const dockerfile = text('dockerfile');
  const target = text('target');
  return { context: text('context') ?? '.', ...(dockerfile ? { dockerfile } : {}), ...(target ? { target } : {}) };
}
