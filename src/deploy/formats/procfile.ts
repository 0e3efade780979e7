import { basename } from '../model-command.js';
import { developmentName, fileRole, forEachLine, lineCommands, spanAt, type FileEntrypoint } from './common.js';

/** A Procfile: `type: command` per line, each command read as shell. */
export function procfileEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entrypoints: FileEntrypoint[] = [];
  const byFile = fileRole(path, basename(path).replace(/^procfile\.?/i, ''));
  forEachLine(source, (line, start) => {
    const match = /^[ \t]*([\w-]+)[ \t]*:[ \t]*(.+?)[ \t\r]*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) return;
    const [, processType = '', text = ''] = match;
    const commandStart = start + line.indexOf(text, line.indexOf(':'));
    const at = spanAt(path, source, commandStart, commandStart + text.length);
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
    for (const command of lineCommands(text, { path, source, offset: commandStart, at })) {
      entrypoints.push({
        kind: 'procfile',
        name: `${basename(path)} process ${processType}`,
        ...role,
        file: path,
        command,
        environment: [],
        envFiles: [],
      });
    }
  });
  return entrypoints;
}

/** The commands of one shell line, the last one that starts something first class: what the line serves. */
