/**
 * What verify needs to know about one way the repository is started: the
 * command a deploy file runs, where, with which environment. The deploy model
 * (src/deploy) decides these; verify only runs them.
 */
export interface RuntimeEntrypoint {
  /** The deploy file that names the command, relative to the repository root. */
  file: string;
  line?: number;
  /** A short name for people: the compose service, the Procfile process, the Dockerfile stage. */
  name?: string;
  /** The server the command starts, as the deploy model classified it. */
  kind: string;
  role: 'production' | 'development';
  /** The command as the deploy file runs it (shell forms already split into words). */
  argv: string[];
  /** Folder the command runs in, relative to the repository root. */
  workdir: string;
  /** What the deploy file sets: Dockerfile ENV, compose environment/env_file, systemd Environment=. */
  env: Record<string, string>;
  /** A Dockerfile or compose service: verify runs the command on this machine, it does not build the image. */
  container?: boolean;
}

export function describeEntrypoint(entrypoint: RuntimeEntrypoint): string {
  const where = entrypoint.line ? `${entrypoint.file}:${entrypoint.line}` : entrypoint.file;
  return entrypoint.name ? `${entrypoint.name} (${where})` : where;
}
