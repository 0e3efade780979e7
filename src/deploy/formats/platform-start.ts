import { parse as parseToml } from 'smol-toml';
import { basename } from '../model-command.js';
import type { DeployCommand } from '../model.js';
import { deployCommand, lineCommands, spanAt, type FileEntrypoint } from './common.js';
import { processEntrypoint } from './procfile.js';

/** One start command a platform file writes: where it sits in the file, and whether the platform deploys it. */
interface StartCommand {
  label: string;
  value: unknown;
  production: boolean;
}

/**
 * Platforms that start the app with a command written in a file of their own: Replit's `.replit` (`[deployment]
 * run` is what a deployment runs; the top-level `run` is the editor's Run button, development), nixpacks.toml
 * `[start] cmd` (Railway, Coolify and others build with Nixpacks), railway.toml `[deploy] startCommand` and
 * railway.json `deploy.startCommand`. Each is a process like a Procfile line.
 */
export function platformStartEntrypoints(path: string, source: string): FileEntrypoint[] {
  const name = basename(path).toLowerCase();
  let config: unknown;
  try {
    config = name.endsWith('.json') ? JSON.parse(source) : parseToml(source);
  } catch {
    return [];
  }
  return startCommands(name, config).flatMap(({ label, value, production }) =>
    commandsOf(value, path, source).map((command) => ({
      ...processEntrypoint(path, label, command),
      name: `${basename(path)} ${label}`,
      role: production ? ('production' as const) : ('development' as const),
      roleReason: production ? `the platform deploys its ${label} command` : `${label} is the editor's Run button`,
    })),
  );
}

function startCommands(name: string, config: unknown): StartCommand[] {
  const table = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (name === '.replit')
    return [
      { label: 'deployment run', value: table(table(config, 'deployment'), 'run'), production: true },
      { label: 'run', value: table(config, 'run'), production: false },
    ];
  if (name === 'nixpacks.toml')
    return [{ label: 'start cmd', value: table(table(config, 'start'), 'cmd'), production: true }];
  return [{ label: 'deploy startCommand', value: table(table(config, 'deploy'), 'startCommand'), production: true }];
}

/** A command given as one shell line (`"gunicorn app:app"`) or as its words (`["sh", "-c", "gunicorn app:app"]`). */
function commandsOf(value: unknown, path: string, source: string): DeployCommand[] {
  if (typeof value === 'string') {
    const offset = source.indexOf(value);
    const start = Math.max(offset, 0);
    const at = spanAt(path, source, start, offset < 0 ? 0 : start + value.length);
    return lineCommands(value, { path, source, offset: start, at });
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((word) => typeof word === 'string')) return [];
  const first = source.indexOf(JSON.stringify(value[0]));
  const at = spanAt(path, source, Math.max(first, 0), first < 0 ? 0 : first + JSON.stringify(value[0]).length);
  return [deployCommand(value as string[], at)];
}
