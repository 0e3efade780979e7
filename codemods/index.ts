import type { Rule } from '../src/rules/rule.js';
import { appDebugAttribute } from './attribute/app-debug-attribute.js';
import { configClassDebug } from './config/config-class-debug.js';
import { configDebugItem } from './config/config-debug-item.js';
import { configModuleDebug } from './config/config-module-debug.js';
import { configFileDebug } from './config/config-file-debug.js';
import { devConfigSelected } from './config/dev-config-selected.js';
import { composeDebugEnv } from './containers/compose-debug-env.js';
import { dockerfileDebugEnv } from './containers/dockerfile-debug.js';
import { dockerfileDevServer } from './containers/dockerfile-dev-server.js';
import { kubernetesDebugEnv } from './containers/kubernetes-debug-env.js';
import { orchestratorDevServer } from './containers/orchestrator-dev-server.js';
import { envFileDebug } from './env/env-file-debug.js';
import { processDebugEnv } from './process/process-debug-env.js';
import { processDevServer } from './process/process-dev-server.js';
import { quartRunDebug } from './quart/quart-run-debug.js';
import { runDebug } from './run/run-debug.js';
import { scriptDebug } from './scripts/script-debug.js';
import { socketioRunDebug } from './socketio/socketio-run-debug.js';
import { debuggedApplication } from './werkzeug/werkzeug-debugged-application.js';
import { runSimpleDebugger } from './werkzeug/werkzeug-run-simple-debugger.js';

/** The rule catalog: the only list of rules. The engine and the docs read it; nothing else names a rule. */
export const RULES: readonly Rule[] = [
  runDebug,
  socketioRunDebug,
  quartRunDebug,
  appDebugAttribute,
  configDebugItem,
  configClassDebug,
  configModuleDebug,
  configFileDebug,
  devConfigSelected,
  debuggedApplication,
  runSimpleDebugger,
  envFileDebug,
  dockerfileDebugEnv,
  dockerfileDevServer,
  composeDebugEnv,
  kubernetesDebugEnv,
  orchestratorDevServer,
  processDevServer,
  processDebugEnv,
  scriptDebug,
];
