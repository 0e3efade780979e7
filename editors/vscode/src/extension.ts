import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

// The files `secure-flask check` reads, by name: the server judges content (and skips the rest).
const CHECKED_FILES = [
  '**/*.{py,pyw}',
  '**/{.flaskenv,.env,.env.*,*.env}',
  '**/{Dockerfile,Dockerfile.*,Containerfile,*.dockerfile}',
  '**/*.{yml,yaml}',
  '**/{Procfile,Procfile.*}',
  '**/*.{conf,ini,service}',
  '**/*.sh',
];

let client: LanguageClient | undefined;

/** Starts `secure-flask server` (or the configured command) as the language server for the checked files. */
export async function activate(context: ExtensionContext): Promise<void> {
  const [command = 'secure-flask', ...args] = workspace
    .getConfiguration('secureFlask')
    .get<string[]>('command', ['secure-flask', 'server']);
  const serverOptions: ServerOptions = { command, args, options: { shell: process.platform === 'win32' } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: CHECKED_FILES.map((pattern) => ({ scheme: 'file', pattern })),
  };
  client = new LanguageClient('secure-flask', 'secure-flask', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
