import type { Document } from 'yaml';
import type { ImportedAppRef, ModuleFacts } from '../python/module-facts.js';

export type Severity = 'error' | 'warning';

/** Deploy files are read as text (or YAML) by the rules that look at them. */
export type DeployFileKind = 'env' | 'dockerfile' | 'yaml' | 'procfile' | 'supervisord' | 'systemd';
export type FileKind = 'python' | DeployFileKind;

/** The user-facing documentation of a rule: `secure-flask explain <id>` prints it. */
export interface RuleDoc {
  why: string;
  example: string;
  fix: string;
}

/**
 * Some findings depend on other files: an app imported from another module, a
 * module-level DEBUG that only matters when `from_object` loads it, a Procfile
 * that runs a script. The engine confirms these once every file has been read.
 */
export type Requirement =
  | { kind: 'imported-app'; ref: ImportedAppRef }
  | { kind: 'config-module' }
  | { kind: 'dev-server-script'; script: string };

/** What a rule reports: a range of the file's text (UTF-16 offsets) and a message. */
export interface Detection {
  start: number;
  end: number;
  message: string;
  requires?: Requirement;
}

export interface PythonContext {
  path: string;
  source: string;
  facts: ModuleFacts;
}

export interface DeployContext {
  kind: DeployFileKind;
  path: string;
  source: string;
  /** True for a file that git ignores (named explicitly on the command line). */
  gitIgnored: boolean;
  /** Parsed documents for YAML files; empty for the other kinds or when the YAML does not parse. */
  yamlDocuments: Document[];
}

interface RuleBase {
  /** Stable id used in output, suppressions and config: never renamed. */
  id: string;
  title: string;
  severity: Severity;
  /** One line that tells the reader what to do instead. */
  hint: string;
  doc: RuleDoc;
  /**
   * Words one of which every file the rule can report on contains. Looking for
   * a plain substring is far cheaper than a regex, so it runs first.
   */
  keywords: readonly string[];
  /**
   * A cheap text test: a file is parsed only if some rule's prefilter matches it,
   * so it must match every file the rule could report on.
   */
  prefilter: RegExp;
}

export interface PythonRule extends RuleBase {
  language: 'python';
  detect(context: PythonContext): Detection[];
}

export interface DeployRule extends RuleBase {
  language: 'deploy';
  fileKinds: readonly DeployFileKind[];
  detect(context: DeployContext): Detection[];
}

export type Rule = PythonRule | DeployRule;
