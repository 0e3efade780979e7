import type { Requirement } from '../core/findings.js';
import type { DevServerCommand } from './dev-server-command.js';

export function devServerMessage(command: DevServerCommand): string {
  return command.kind === 'python-script'
    ? `runs \`python ${command.script}\`, which starts Flask's development server (app.run) instead of a WSGI server`
    : "runs Flask's development server (`flask run`) instead of a WSGI server";
}

/** `python app.py` is a dev server only if that script calls app.run(): the engine checks. */
export function devServerRequirement(command: DevServerCommand): Requirement | undefined {
  return command.kind === 'python-script' && command.script ? { kind: 'dev-server-script', script: command.script } : undefined;
}
