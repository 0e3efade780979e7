import { mayStartSomething } from '../shell/shell-screen.js';
import { forEachLine, lineCommands, spanAt, type FileEntrypoint } from './common.js';

export function makefileEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entrypoints: FileEntrypoint[] = [];
  let target: string | undefined;
  forEachLine(source, (line, start) => {
    const rule = /^([A-Za-z0-9_.-]+)[ \t]*:(?!=)/.exec(line);
    if (rule) {
      target = rule[1];
      return;
    }
    if (!line.startsWith('\t') || !target) {
      if (line.trim() !== '' && !line.startsWith('\t')) target = undefined;
      return;
    }
    const text = line.slice(1).replace(/^[@+-]+/, '');
    // Only a line that starts a server, a Python script or a shell script is an entrypoint: most recipe lines
    // (`@echo "..."`, `rm -rf build`) are not parsed at all.
    if (!mayStartSomething(text)) return;
    const commandStart = start + line.indexOf(text);
    const at = spanAt(path, source, commandStart, commandStart + text.length);
    for (const command of lineCommands(text, { path, source, offset: commandStart, at })) {
      if (command.target.kind === 'other') continue;
      entrypoints.push({
        kind: 'makefile',
        name: `make ${target}`,
        role: 'development',
        roleReason: 'a Makefile target is run by hand',
        file: path,
        command,
        environment: [],
        envFiles: [],
      });
    }
  });
  return entrypoints;
}
