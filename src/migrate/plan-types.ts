import type { DiscoveredFile } from '../files/discover.js';
import type { CheckReport, Finding } from '../check/run-check.js';
import type { Fix, TextEdit } from '../core/findings.js';
import type { SourceText } from '../files/source-text.js';

/** One finding's rewrite, as the review and the summary show it. */
export interface Change {
  finding: Finding;
  fix: Fix;
}

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'failed';

/** What migrate would do to one file. `after` is the text with every (selected) change applied. */
export interface FilePlan {
  file: DiscoveredFile;
  status: FileStatus;
  /** Why a file is skipped or failed. */
  reason?: string;
  source?: SourceText;
  bytes?: Buffer;
  before: string;
  after: string;
  changes: Change[];
  /** Findings with no safe rewrite, or only its minimal safe part (`fix.manual` says why): listed for a person. */
  manual: Finding[];
  conflicts: Change[];
  /** True when the changes leave a non-Python file empty: it is deleted instead (the diff and patch show it). */
  deleted?: boolean;
  /** The edits that made `after` (offsets into `before`, last first): the diff compares only around them. */
  edits?: readonly TextEdit[];
}

/** A file that a fix creates, or an existing non-source file it appends to (requirements.txt). */
export interface ExtraFile {
  path: string;
  displayPath: string;
  rootPath: string;
  before: string;
  after: string;
  created: boolean;
}

export interface MigrationPlan {
  report: CheckReport;
  files: FilePlan[];
  extras: ExtraFile[];
}
