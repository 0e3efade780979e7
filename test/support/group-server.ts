import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet } from '../../src/runtime/http-get.js';
import { groupAlive, ProcessGroup } from '../../src/runtime/process-group.js';

export interface GroupServer {
  url: string;
  pid: number;
  log: () => string;
  /** Stops the whole process group; resolves to whether it is gone. */
  stop: () => Promise<boolean>;
}

/**
 * A server started in its own process group on 127.0.0.1, answered (bounded
 * wait) before it is handed over. The test stops it in afterEach and asserts
 * the group is gone, so no worker or reloader child outlives the test.
 */
export async function startGroupServer(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; port: number; attempts?: number },
): Promise<GroupServer> {
  const group = new ProcessGroup(command, args, {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PYTHONDONTWRITEBYTECODE: '1',
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${options.port}/`;
  const server: GroupServer = {
    url,
    pid: group.pid,
    log: () => group.logTail(200).join('\n'),
    stop: () => group.stop(),
  };
  for (let attempt = 0; attempt < (options.attempts ?? 150); attempt += 1) {
    if (group.exited) break;
    if ((await httpGet(new URL(url), { timeoutMs: 1000, maxBytes: 1024, insecure: false })).ok) return server;
    await sleep(100);
  }
  await group.stop();
  throw new Error(`server did not answer on ${url}:\n${server.log()}`);
}

export { groupAlive };
