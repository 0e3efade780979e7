import { basename } from '../model-command.js';
import type { DeployCommand } from '../model.js';
import { developmentName, fileRole, forEachLine, lineCommands, spanAt, type FileEntrypoint } from './common.js';

/** A Procfile: `type: command` per line, each command read as shell. */
export function procfileEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entrypoints: FileEntrypoint[] = [];
  forEachLine(source, (line, start) => {
    const match = /^[ \t]*([\w-]+)[ \t]*:[ \t]*(.+?)[ \t\r]*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) return;
    const [, processType = '', text = ''] = match;
    const commandStart = start + line.indexOf(text, line.indexOf(':'));
    const at = spanAt(path, source, commandStart, commandStart + text.length);
    for (const command of lineCommands(text, { path, source, offset: commandStart, at }))
      entrypoints.push(processEntrypoint(path, processType, command));
  });
  return entrypoints;
}

/**
 * A process type's command (a Procfile line, a heroku.yml `run:` entry): production, unless the file or the
 * process type is named for development.
 */
export function processEntrypoint(path: string, processType: string, command: DeployCommand): FileEntrypoint {
  const byFile = fileRole(path, basename(path).replace(/^procfile\.?/i, ''));
  const role =
    byFile ??
    (developmentName(processType)
      ? { role: 'development' as const, roleReason: `process type ${processType} is for development` }
      : {
          role: 'production' as const,
          roleReason:
            processType === 'web'
              ? 'the web process the platform serves'
              : `process type ${processType} runs on the platform`,
        });
  return {
    kind: 'procfile',
    name: `${basename(path)} process ${processType}`,
    ...role,
    file: path,
    command,
    environment: [],
    envFiles: [],
  };
}

/** The commands of one shell line, the last one that starts something first class: what the line serves. */
