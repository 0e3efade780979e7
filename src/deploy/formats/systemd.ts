import { basename } from '../model-command.js';
import type { EnvSetting } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { fileRole, lineCommands, spanAt, type FileEntrypoint } from './common.js';
import { iniEntries } from './ini.js';

/**
 * A systemd unit's `[Service]`: ExecStart (its `-`/`@`/`+`/`!`/`:`
 * prefixes dropped), Environment, EnvironmentFile, WorkingDirectory.
 */
export function systemdEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entries = iniEntries(source, true).filter((entry) => entry.section === 'Service');
  const environment: EnvSetting[] = [];
  const envFiles: FileEntrypoint['envFiles'] = [];
  let workingDirectory: string | undefined;
  for (const entry of entries) {
    const at = spanAt(path, source, entry.start, entry.end);
    if (entry.key === 'Environment') {
      for (const word of parseShellCommands(entry.value).flatMap((command) => [
        ...command.assignments.map(({ name, value }) => `${name}=${value}`),
        ...command.argv,
      ])) {
        const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
        if (match) environment.push({ name: match[1] ?? '', value: match[2] ?? '', origin: 'systemd-environment', at });
      }
    } else if (entry.key === 'EnvironmentFile') {
      const optional = entry.value.startsWith('-');
      envFiles.push({ path: entry.value.replace(/^-/, ''), at, origin: 'systemd-environment-file', optional });
    } else if (entry.key === 'WorkingDirectory') workingDirectory = entry.value.replace(/^-/, '');
  }
  const byFile = fileRole(path, basename(path).replace(/\.service$/, ''));
  return entries
    .filter((entry) => entry.key === 'ExecStart' && entry.value !== '')
    .flatMap((entry) => {
      const text = entry.value.replace(/^[-@:+!]+/, '');
      const commandStart = entry.valueStart + (entry.value.length - text.length);
      const at = spanAt(path, source, commandStart, commandStart + text.length);
      return lineCommands(text, { path, source, offset: commandStart, at }).map((command) => ({
        kind: 'systemd' as const,
        name: `${basename(path)} ExecStart`,
        ...(byFile ?? { role: 'production' as const, roleReason: 'a systemd service runs on a server' }),
        file: path,
        command,
        ...(workingDirectory ? { workingDirectory } : {}),
        environment,
        envFiles,
      }));
    });
}
