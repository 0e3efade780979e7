import { fileURLToPath } from 'node:url';
import {
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { packageVersion } from '../core/version.js';
import { CODE_ACTION_KINDS, codeActionsFor } from './code-actions.js';
import { diagnosticOf, inputWarningOf } from './diagnostics.js';
import type { EditSupport } from './text-edits.js';
import { analyzeOpenDocuments, type DocumentAnalysis, type OpenDocument } from './workspace-analysis.js';

// Typing pauses this long before the workspace is checked again: one run per burst of keys.
const CHECK_DELAY_MS = 150;

/**
 * `secure-flask server`: a language server on the given streams. The process
 * ends when the client sends `exit` or closes the input (vscode-languageserver
 * exits with 0 after `shutdown`, 1 without).
 */
export function startLanguageServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  const connection = createConnection(input, output);
  const documents = new TextDocuments(TextDocument);
  let support: EditSupport = { documentChanges: false, createFiles: false };
  let cwd = process.cwd();
  const checker = new OpenDocumentChecker(connection, documents, () => cwd);

  connection.onInitialize((params: InitializeParams) => {
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    const createFiles = workspaceEdit?.resourceOperations?.includes('create') === true;
    // Resource operations only exist inside documentChanges: a client that announces them (Neovim 0.7 does,
    // without the documentChanges flag) applies that form.
    support = { documentChanges: workspaceEdit?.documentChanges === true || createFiles, createFiles };
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    cwd = (folder && pathOfUri(folder)) ?? cwd;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
      },
      serverInfo: { name: 'secure-flask', version: packageVersion() },
    };
  });
  documents.onDidChangeContent(() => checker.schedule());
  documents.onDidClose(({ document }) => {
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    checker.schedule();
  });
  connection.onCodeAction(async (params) => {
    const analysis = await checker.current(params.textDocument.uri);
    return analysis ? codeActionsFor(analysis, params, support) : [];
  });
  documents.listen(connection);
  connection.listen();
}

/** The path of a `file:` URI; undefined for any other scheme (untitled buffers, remote files) or a malformed one. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * Checks the open documents a moment after they change, one run at a time,
 * and publishes each one's diagnostics; keeps the last analysis for code actions.
 */
class OpenDocumentChecker {
  private analyses = new Map<string, DocumentAnalysis>();
  private runs: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly cwd: () => string,
  ) {}

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), CHECK_DELAY_MS);
  }

  /** The analysis of a document at its current version, checking first when the last run is older. */
  async current(uri: string): Promise<DocumentAnalysis | undefined> {
    const version = this.documents.get(uri)?.version;
    if (version === undefined) return undefined;
    if (this.analyses.get(uri)?.document.version !== version) await this.runNow();
    const analysis = this.analyses.get(uri);
    return analysis?.document.version === version ? analysis : undefined;
  }

  private runNow(): Promise<void> {
    clearTimeout(this.timer);
    this.runs = this.runs.then(() => this.check());
    return this.runs;
  }

  private async check(): Promise<void> {
    const open = this.documents.all().flatMap((document): OpenDocument[] => {
      const path = pathOfUri(document.uri);
      return path ? [{ uri: document.uri, path, version: document.version, text: document.getText() }] : [];
    });
    try {
      this.analyses = await analyzeOpenDocuments(open, this.cwd(), (root, error) => {
        this.connection.console.warn(
          `secure-flask: could not check ${root}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    } catch (error) {
      this.connection.console.error(
        `secure-flask: internal error: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.analyses = new Map();
    }
    for (const document of open) {
      // A buffer that changed during the run gets its diagnostics from the next one.
      if (this.documents.get(document.uri)?.version !== document.version) continue;
      void this.connection.sendDiagnostics({
        uri: document.uri,
        version: document.version,
        diagnostics: this.diagnosticsOf(document),
      });
    }
  }

  private diagnosticsOf(document: OpenDocument): Diagnostic[] {
    const analysis = this.analyses.get(document.uri);
    if (!analysis) return [];
    const lines = document.text.split('\n');
    return [
      ...analysis.findings.map(diagnosticOf),
      ...analysis.warnings.map((warning) =>
        inputWarningOf(warning, (lines[warning.line - 1] ?? '').replace(/\r$/, '')),
      ),
    ];
  }
}
