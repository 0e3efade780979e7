import { unquote } from '../debug-variables.js';
import { basename } from '../model-command.js';
import type { EnvSetting } from '../model.js';
import { developmentName, fileRole, lineCommands, spanAt, type FileEntrypoint } from './common.js';
import { iniEntries, type IniEntry } from './ini.js';

/** A supervisord config's `[program:x]` sections: command, environment, directory. */
export function supervisordEntrypoints(path: string, source: string): FileEntrypoint[] {
  const byProgram = new Map<string, IniEntry[]>();
  for (const entry of iniEntries(source)) {
    if (!entry.section.startsWith('program:')) continue;
    const list = byProgram.get(entry.section) ?? [];
    list.push(entry);
    byProgram.set(entry.section, list);
  }
  const byFile = fileRole(path, basename(path).replace(/\.(?:conf|ini)$/, ''));
  const entrypoints: FileEntrypoint[] = [];
  for (const [section, entries] of byProgram) {
    const program = section.slice('program:'.length);
    const commandEntry = entries.find((entry) => entry.key === 'command');
    if (!commandEntry) continue;
    const environment: EnvSetting[] = [];
    const environmentEntry = entries.find((entry) => entry.key === 'environment');
    if (environmentEntry) {
      const at = spanAt(path, source, environmentEntry.start, environmentEntry.end);
      for (const match of environmentEntry.value.matchAll(/([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^,]*)/g)) {
        environment.push({
          name: match[1] ?? '',
          value: unquote((match[2] ?? '').trim()),
          origin: 'supervisord-environment',
          at,
        });
      }
    }
    const directory = entries.find((entry) => entry.key === 'directory')?.value;
    const at = spanAt(path, source, commandEntry.valueStart, commandEntry.valueStart + commandEntry.value.length);
    const role =
      byFile ??
      (developmentName(program)
        ? { role: 'development' as const, roleReason: `program ${program} is for development` }
        : { role: 'production' as const, roleReason: 'supervisord runs it on a server' });
    for (const command of lineCommands(commandEntry.value, { path, source, offset: commandEntry.valueStart, at })) {
      entrypoints.push({
        kind: 'supervisord',
        name: `${basename(path)} program ${program}`,
        ...role,
        file: path,
        command,
        ...(directory ? { workingDirectory: directory } : {}),
        environment,
        envFiles: [],
      });
    }
  }
  return entrypoints;
}
