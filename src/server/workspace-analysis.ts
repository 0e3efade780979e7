import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { findGitRoot } from '../check/discover.js';
import type { Finding } from '../check/run-check.js';
import { withOpenBuffers } from '../files/open-buffers.js';
import { planMigration, type FilePlan, type MigrationPlan } from '../migrate/plan.js';

/** One document the editor has open, as the server last saw it. */
export interface OpenDocument {
  uri: string;
  /** Absolute path of a `file:` document. */
  path: string;
  version: number;
  text: string;
}

/** What check and migrate say about one open document, at one version of every open buffer. */
export interface DocumentAnalysis {
  document: OpenDocument;
  findings: Finding[];
  /** Input problems that are not findings (a suppression naming an unknown rule), by 1-based line. */
  warnings: { line: number; message: string }[];
  /** migrate's plan for this file: the rewrite of each finding that has one. */
  plan: FilePlan | undefined;
  /** The whole run's plan: new files and appended lines are planned across files. */
  migration: MigrationPlan;
}

/**
 * Runs migrate's planning (check with fixes) over the open documents, their
 * buffers standing in for the files on disk, once per project the documents
 * belong to: every other file of the project is read from disk, so cross-file
 * confirmations and the deploy model (which entrypoint reaches a finding) are
 * the workspace's. One thread, no workers: the buffers live on this thread.
 */
export async function analyzeOpenDocuments(
  documents: readonly OpenDocument[],
  cwd: string,
  onFailure: (root: string, error: unknown) => void,
): Promise<Map<string, DocumentAnalysis>> {
  const results = new Map<string, DocumentAnalysis>();
  // A document never saved has no project around it to judge it by; it is not checked.
  const onDisk = documents.filter((document) => isFileOnDisk(document.path));
  const buffers = new Map(documents.map((document) => [document.path, document.text]));
  for (const [root, group] of byProject(onDisk)) {
    let migration: MigrationPlan;
    try {
      migration = await withOpenBuffers(buffers, () =>
        planMigration({ paths: group.map((document) => document.path), includeTests: false, cwd, jobs: 1 }),
      );
    } catch (error) {
      // A file removed or made unreadable since it was opened: that project gets no diagnostics this time.
      onFailure(root, error);
      continue;
    }
    for (const document of group) {
      const findings = migration.report.findings.filter((finding) => finding.path === document.path);
      const rootPath = migration.report.checkedFiles.find((file) => file.path === document.path)?.rootPath;
      const warnings = migration.report.warnings
        .filter((warning) => warning.rootPath === rootPath)
        .map(({ line, message }) => ({ line, message }));
      const plan = migration.files.find((file) => file.file.path === document.path);
      results.set(document.uri, { document, findings, warnings, plan, migration });
    }
  }
  return results;
}

function isFileOnDisk(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Documents grouped by their project root: the git repository around them, or their folder outside git. */
function byProject(documents: readonly OpenDocument[]): Map<string, OpenDocument[]> {
  const groups = new Map<string, OpenDocument[]>();
  for (const document of documents) {
    const folder = dirname(document.path);
    const root = findGitRoot(folder) ?? folder;
    groups.set(root, [...(groups.get(root) ?? []), document]);
  }
  return groups;
}
