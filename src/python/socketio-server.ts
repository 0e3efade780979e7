import { pinnedVersion } from '../files/pinned-version.js';
import type { ModuleFacts } from './module-facts.js';
import type { SyntaxNode } from './parser.js';
import { callParts, stringLiteralValue } from './syntax.js';

// Flask-SocketIO's async modes that serve through their own WSGI server (eventlet.wsgi, gevent's pywsgi).
const OWN_SERVER_MODES = new Set(['eventlet', 'gevent', 'gevent_uwsgi']);

/**
 * True when `socketio.run(app)` starts Werkzeug's development server: Flask-SocketIO does so only in its
 * threading mode. It takes `async_mode=` from the SocketIO(...) it is given, else the first of eventlet and
 * gevent that is installed (read from the project's pins), else threading.
 */
export function socketioRunsWerkzeug(facts: ModuleFacts, run: SyntaxNode, modulePath: string): boolean {
  const callee = run.childForFieldName('function');
  const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  const built = receiver?.type === 'identifier' ? facts.constantNode(receiver.text) : undefined;
  const mode = built?.type === 'call' ? callParts(built)?.keywords.get('async_mode')?.value : undefined;
  const named = mode ? stringLiteralValue(mode) : undefined;
  if (named !== undefined) return !OWN_SERVER_MODES.has(named);
  return !['eventlet', 'gevent'].some((server) => pinnedVersion(modulePath, server).source !== undefined);
}
