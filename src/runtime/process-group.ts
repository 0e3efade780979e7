import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const LOG_LIMIT = 64 * 1024;

/**
 * A command started in its own process group (POSIX setsid via `detached`), so
 * stopping it stops what it started too: gunicorn's workers, a reloader's child,
 * a shell's server. Every live group is registered, and the registry kills them
 * when the process exits or is interrupted, so none outlives verify.
 */
export class ProcessGroup {
  readonly pid: number;
  private readonly child: ChildProcess;
  private log = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }) {
    this.child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid ?? -1;
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('error', (error) => {
      keep(Buffer.from(`${error.message}\n`));
      this.exit ??= { code: null, signal: null };
    });
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
    });
    if (this.pid > 0) LIVE_GROUPS.add(this);
  }

  /** The leader's exit, once it has exited. */
  get exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exit;
  }

  logTail(lines = 20): string[] {
    return this.log.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-lines);
  }

  /** True while any process of the group is alive. */
  isAlive(): boolean {
    return this.pid > 0 && groupAlive(this.pid);
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves once the group is gone (or after both waits). */
  async stop(graceMs = 5000): Promise<boolean> {
    if (this.pid <= 0) return true;
    signalGroup(this.pid, 'SIGTERM');
    if (!(await waitGone(this.pid, graceMs))) {
      signalGroup(this.pid, 'SIGKILL');
      await waitGone(this.pid, 2000);
    }
    const gone = !groupAlive(this.pid);
    if (gone) LIVE_GROUPS.delete(this);
    return gone;
  }

  /** Last resort on exit: no waiting possible, so SIGKILL. */
  killNow(): void {
    if (this.pid > 0) signalGroup(this.pid, 'SIGKILL');
    LIVE_GROUPS.delete(this);
  }
}

const LIVE_GROUPS = new Set<ProcessGroup>();
let guardsInstalled = false;

/**
 * Kill every group still running when verify ends, however it ends: normal exit
 * (synchronously, SIGKILL), or Ctrl+C / SIGTERM (graceful stop, then exit 130/143).
 */
export function installProcessGroupGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  process.on('exit', () => {
    for (const group of LIVE_GROUPS) group.killNow();
  });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nsecure-flask: ${signal}: stopping ${LIVE_GROUPS.size} started server${LIVE_GROUPS.size === 1 ? '' : 's'}\n`);
      void Promise.all([...LIVE_GROUPS].map((group) => group.stop(2000))).finally(() => process.exit(code));
    });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await sleep(50);
  }
  return !groupAlive(pid);
}
