import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';

/** A free TCP port on 127.0.0.1, chosen by the OS (the same helper verify uses). */
export { freeLoopbackPort as freePort } from '../../src/runtime/launch.js';

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a server process and waits (bounded) until it answers HTTP on
 * 127.0.0.1. The caller must `stop()` it, in a finally block.
 */
export async function startServer(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; port: number; timeoutMs?: number },
): Promise<RunningServer> {
  const child: ResultPromise = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    reject: false,
    all: true,
    stdin: 'ignore',
    detached: false,
    killSignal: 'SIGTERM',
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await child;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return { url, output: () => output, stop };
    } catch {
      await sleep(150);
    }
  }
  await stop();
  throw new Error(`server did not answer on ${url} in time:\n${output}`);
}
