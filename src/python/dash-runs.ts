import { appMethodCalls } from './flask-patterns.js';
import type { ModuleFacts } from './module-facts.js';
import { argumentValue } from './syntax.js';

// Dash.run(host, port, proxy, debug, ...): debug is the fourth positional.
const DASH_DEBUG_POSITION = 3;

/**
 * Lines of this module where a Dash app is started with `run()` (or the older `run_server()`) and
 * `debug` left unset or None: there Dash reads DASH_DEBUG from the environment and passes it to
 * the Flask server's run(), so a deploy file that sets DASH_DEBUG=true turns the debugger on.
 */
export function dashRunsReadingEnvironment(facts: ModuleFacts): number[] {
  const lines: number[] = [];
  for (const method of ['run', 'run_server']) {
    for (const { call, parts, evidence } of appMethodCalls(facts, method)) {
      if (evidence?.kind !== 'app' || evidence.appClass?.framework !== 'Dash') continue;
      // `run(**options)` may pass debug: not a run we can show reads the environment.
      if (parts.hasSplat && !parts.keywords.has('debug')) continue;
      const debug = argumentValue(parts, 'debug', DASH_DEBUG_POSITION);
      if (debug === undefined || debug.type === 'none') lines.push(call.startPosition.row + 1);
    }
  }
  return lines.sort((a, b) => a - b);
}
