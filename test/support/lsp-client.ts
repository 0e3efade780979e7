import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SECURE_FLASK_BIN } from './cli.js';

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

// A wait that never comes back fails the test with what arrived instead of hanging it.
const WAIT_MS = 60_000;

/**
 * A language client by hand: spawns the built `secure-flask server` and speaks
 * JSON-RPC with Content-Length framing over its standard input and output, as
 * an editor does, so the tests see the protocol and not a library's view of it.
 */
export class LspClient {
  readonly messages: RpcMessage[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private pending = Buffer.alloc(0);
  private nextId = 1;
  private waiters: (() => void)[] = [];

  constructor(cwd: string, bin = SECURE_FLASK_BIN) {
    this.child = spawn(process.execPath, [bin, 'server', '--stdio'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Writes raw bytes (for malformed input) or a message, framed. */
  sendRaw(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  async request(method: string, params: unknown): Promise<RpcMessage> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.waitFor((message) => message.id === id && message.method === undefined, `the reply to ${method}`);
  }

  /** The first message (already received or still to come) that matches. */
  async waitFor(matches: (message: RpcMessage) => boolean, what: string, from = 0): Promise<RpcMessage> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.messages.slice(from).find(matches);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no ${what} from the server; received: ${JSON.stringify(this.messages.map((message) => message.method ?? message.id))}; stderr: ${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** The diagnostics published for `uri` at `version`, waiting for them. */
  async diagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    const message = await this.waitFor((candidate) => {
      const params = candidate.params as { uri?: string; version?: number } | undefined;
      return (
        candidate.method === 'textDocument/publishDiagnostics' && params?.uri === uri && params.version === version
      );
    }, `diagnostics for ${uri} version ${version}`);
    return (message.params as { diagnostics: Diagnostic[] }).diagnostics;
  }

  async shutdown(): Promise<number | null> {
    if (this.child.exitCode === null) {
      await this.request('shutdown', null);
      this.notify('exit', null);
    }
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private send(message: RpcMessage): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const headerEnd = this.pending.indexOf('\r\n\r\n');
      if (headerEnd === -1) break;
      const length = Number(/Content-Length: (\d+)/i.exec(this.pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
      const bodyStart = headerEnd + 4;
      if (this.pending.length < bodyStart + length) break;
      this.messages.push(
        JSON.parse(this.pending.subarray(bodyStart, bodyStart + length).toString('utf8')) as RpcMessage,
      );
      this.pending = this.pending.subarray(bodyStart + length);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code?: string;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
}

/** What a client with full workspace-edit support announces. */
export const CLIENT_CAPABILITIES = {
  workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } },
  textDocument: {
    publishDiagnostics: { versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
  },
};
