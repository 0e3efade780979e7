import type { Detection, PythonContext } from '../../src/rules/rule.js';
import { argumentRange, callsOf, switchValue } from '../../src/python/flask-patterns.js';
import type { SyntaxNode } from '../../src/python/parser.js';
import { argumentValue, stringLiteralValue } from '../../src/python/syntax.js';

// Flask-Script's runserver command (Flask < 2 only: the package imports flask._compat, gone in Flask 2.0).
const FLASK_SCRIPT_SERVER = new Set(['flask_script.Server', 'flask_script.commands.Server', 'flask.ext.script.Server']);
// Server(host, port, use_debugger, use_reloader, ...): use_debugger is the third positional.
const USE_DEBUGGER_POSITION = 2;

/**
 * `manager.add_command("runserver", Server(use_debugger=True))`: Flask-Script's Server calls the app's
 * `run(debug=use_debugger, use_debugger=use_debugger)`, so `python manage.py runserver` serves the console
 * whatever the config says. Left unset, it follows app.debug: the fix removes the argument.
 */
export function flaskScriptServerDebug(facts: PythonContext['facts']): Detection[] {
  if (!/\bServer\b/.test(facts.source)) return [];
  return callsOf(facts, FLASK_SCRIPT_SERVER).flatMap(({ parts }) => {
    const value = argumentValue(parts, 'use_debugger', USE_DEBUGGER_POSITION);
    const on = value && switchValue(facts, value);
    if (!value || !on?.truthy) return [];
    const command = commandName(parts.callee.parent);
    const host = argumentValue(parts, 'host', 0);
    const hostText = host ? stringLiteralValue(host) : undefined;
    // On the loopback address only this machine reaches the console: a developer's command, not a server's.
    const loopback = hostText !== undefined && LOOPBACK.test(hostText);
    return [
      {
        ...argumentRange(parts, 'use_debugger', value),
        message:
          `Flask-Script's ${parts.callee.text}(use_debugger=${on.describe}) makes its ${command} command start the ` +
          'Werkzeug debugger, a remote Python console, whatever the config says' +
          (loopback ? `, on ${hostText} only (reachable from this machine alone)` : ''),
        ...(loopback ? { warningOnly: true } : {}),
      },
    ];
  });
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** `manager.add_command("debug", Server(...))`: the command's name (`runserver`, Flask-Script's default). */
function commandName(server: SyntaxNode | null): string {
  const list = server?.parent;
  const call = list?.type === 'argument_list' ? list.parent : null;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const first = list?.namedChildren[0];
  const name = first ? stringLiteralValue(first) : undefined;
  return callee?.text.endsWith('.add_command') && name !== undefined ? `\`${name}\`` : 'runserver';
}
