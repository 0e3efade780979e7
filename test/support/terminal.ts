import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';

export const KEY = { enter: '\r', down: '\u001b[B', ctrlC: '\u0003' } as const;

export interface TerminalSession {
  /** Waits (bounded) until the screen output matches, then returns it. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  type: (keys: string) => Promise<void>;
  finished: Promise<{ exitCode: number; output: string }>;
}

/**
 * Runs a command under a pseudo-terminal (util-linux `script`), so prompts see
 * a TTY the way they do for a person, and feeds it keystrokes.
 */
export function inTerminal(command: string, cwd: string): TerminalSession {
  // A pty made by `script` has no size until told: 0 columns would wrap every character.
  const sized = `stty cols 100 rows 40; exec ${command}`;
  const child: ResultPromise = execa('script', ['-qec', sized, '/dev/null'], {
    cwd,
    reject: false,
    stdin: 'pipe',
    env: { TERM: 'xterm' },
    timeout: 60_000,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (pattern.test(output)) return output;
        await sleep(50);
      }
      throw new Error(`terminal never showed ${pattern}:\n${output}`);
    },
    async type(keys) {
      child.stdin?.write(keys);
      await sleep(150);
    },
    finished: child.then((result) => ({ exitCode: result.exitCode ?? -1, output })),
  };
}
