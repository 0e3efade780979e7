import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommandArgs } from '../core/args.js';
import { EXIT_OK } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';

const HELP = `Usage: secure-flask server [--stdio]

Runs a language server on standard input and output for editors: the findings
of 'secure-flask check' in every open Python, env, Dockerfile, compose,
Kubernetes, Procfile, systemd, supervisord and shell file as you type, with the
severity the workspace's deploy files give them; migrate's rewrite of each as a
quick fix, a fix-all (source.fixAll.secure-flask), and a suppression comment.
The server never writes a file: the editor applies the edits.

Setup for Neovim, Helix and VS Code: see the README ("In the editor").

Options:
  --stdio             talk over standard input and output (the default and only transport)
  -h, --help          show this help
`;

export async function runServerCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'secure-flask server',
    argv,
    { ...COMMON_OPTIONS, stdio: { type: 'boolean' } },
    { allowPositionals: false },
  );
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  const { startLanguageServer } = await import('./language-server.js');
  startLanguageServer(process.stdin, process.stdout);
  // The server ends the process itself on `exit` or when the client closes the input.
  return new Promise<number>(() => {});
}
