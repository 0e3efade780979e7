import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A process that calls setsid (`Popen(..., start_new_session=True)`) leaves the group,
 * and Node cannot make verify a child subreaper. Every process verify starts carries
 * this variable with a value unique to the run; stopping sweeps /proc for it.
 */
export const DESCENDANT_MARKER = 'SECURE_FLASK_VERIFY_RUN';
let marker: string | undefined;

export function runMarker(): string {
  marker ??= `${process.pid}-${randomBytes(8).toString('hex')}`;
  return marker;
}

/** Pids (other than ours) whose environment carries this run's marker: Linux /proc only; elsewhere none. */
export function markedProcesses(): number[] {
  if (marker === undefined) return [];
  const needle = Buffer.from(`\0${DESCENDANT_MARKER}=${marker}\0`);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`)]);
      if (environ.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** SIGKILL every process of this run that left its group; returns how many. */
export function killMarkedProcesses(): number {
  const pids = markedProcesses();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

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
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    return this.log
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .slice(-lines);
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
    // What left the group (a new session) is still this run's: gone too, or stop() says it is not.
    killMarkedProcesses();
    await waitUntil(() => markedProcesses().length === 0, 2000);
    return gone && markedProcesses().length === 0;
  }

  /** Last resort on exit: no waiting possible, so SIGKILL. */
  killNow(): void {
    if (this.pid > 0) signalGroup(this.pid, 'SIGKILL');
    LIVE_GROUPS.delete(this);
    killMarkedProcesses();
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
    killMarkedProcesses();
  });
  let stopping = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      // A second Ctrl+C does not wait: SIGKILL now; the exit handlers still remove the temp folder.
      if (stopping) {
        process.stderr.write(`secure-flask: ${signal} again: killing now\n`);
        process.exit(code);
      }
      stopping = true;
      process.stderr.write(
        `\nsecure-flask: ${signal}: stopping ${LIVE_GROUPS.size} started server${LIVE_GROUPS.size === 1 ? '' : 's'} ` +
          '(again to kill them now)\n',
      );
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

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(50);
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return true;
    await sleep(50);
  }
  return !groupAlive(pid);
}
