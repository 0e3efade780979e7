import type { DeployCommand, EnvSetting } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { scriptMayMatter } from '../shell/shell-screen.js';
import { branchAt, expandShell, placedCommand, spanAt } from './common.js';

export interface ScriptFacts {
  exports: EnvSetting[];
  commands: DeployCommand[];
}

// Builtins that start nothing: the model skips them.
const BUILTINS = new Set([
  'echo',
  'printf',
  'set',
  'source',
  '.',
  'local',
  'trap',
  'wait',
  'sleep',
  'test',
  '[',
  '[[',
  'true',
  'false',
  'exit',
  'return',
  'shift',
  'unset',
  'read',
  'umask',
  'ulimit',
  'time',
  'readonly',
]);

/**
 * A shell script's exports and commands, read with bash's grammar. Every branch counts, and a command or
 * export in a conditional branch carries it (with its condition): a development-only branch is a warning.
 */
export function scriptFacts(path: string, source: string): ScriptFacts {
  const facts: ScriptFacts = { exports: [], commands: [] };
  // Nothing to export, no environment, nothing started or followed: the grammar is not asked (shell-screen.ts).
  if (!scriptMayMatter(source)) return facts;
  const exported = new Set<string>();
  const assigned = new Map<string, EnvSetting>();
  for (const simple of parseShellCommands(source)) {
    // Findings point at the whole line(s) the command is on, as a reader finds it.
    const at = spanAt(path, source, lineStart(source, simple.start), lineEnd(source, simple.end));
    const place = { path, source, offset: 0, at };
    const branch = branchAt(simple, place);
    const inBranch = branch ? { branch } : {};
    const { argv } = simple;
    if (argv.length === 0) {
      // `FLASK_DEBUG=1` alone sets a shell variable; it reaches children once exported.
      for (const { name, value } of simple.assignments) {
        const setting: EnvSetting = { name, value, origin: 'script-export', at, ...inBranch };
        assigned.set(name, setting);
        if (exported.has(name)) facts.exports.push(setting);
      }
      continue;
    }
    if (argv[0] === 'export' || (argv[0] === 'declare' && argv[1] === '-x')) {
      for (const word of argv.slice(argv[0] === 'export' ? 1 : 2)) {
        const match = /^([A-Za-z_]\w*)(?:=(.*))?$/s.exec(word);
        if (!match) continue;
        exported.add(match[1] ?? '');
        const earlier = assigned.get(match[1] ?? '');
        if (match[2] !== undefined)
          facts.exports.push({ name: match[1] ?? '', value: match[2], origin: 'script-export', at, ...inBranch });
        else if (earlier) facts.exports.push({ ...earlier, at, ...inBranch });
      }
      continue;
    }
    if (argv[0] === 'cd' && argv[1]) continue;
    if (BUILTINS.has(argv[0] ?? '')) continue;
    facts.commands.push(...expandShell(placedCommand(simple, place)));
  }
  return facts;
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(source: string, offset: number): number {
  const end = source.indexOf('\n', Math.max(offset - 1, 0));
  const line = end === -1 ? source.length : end;
  return source[line - 1] === '\r' ? line - 1 : line;
}

/** Each Makefile target's recipe commands: what `make <target>` runs on a developer's machine. */
