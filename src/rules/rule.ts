import type { Document } from 'yaml';
import type { ImportedAppRef, ModuleFacts } from '../python/module-facts.js';

/** A cheap test of a file's text: a RegExp, or an object with the same `test`. */
export interface TextTest {
  test(text: string): boolean;
}

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
  /** A config class named in another module (`from_object("config.DevelopmentConfig")`): a finding only if it turns DEBUG on. */
  | { kind: 'debug-config-class'; ref: ImportedAppRef }
  | { kind: 'dev-server-script'; script: string }
  /**
   * A debug switch read from another module: `Settings.DEBUG_MODE` after `from settings import
   * Settings` (a class or an instance), `settings.DEBUG` after `import settings`, or an imported
   * `DEBUG`. A finding only if that value is on; `app` is set when the app is imported too.
   */
  | { kind: 'imported-setting'; ref: ImportedAppRef; attribute?: string; app?: ImportedAppRef };

/** Replace `start..end` (UTF-16 offsets into the decoded text) with `replacement`. */
export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
}

/**
 * A rewrite for one finding, as data: the edit engine applies it (or not), so
 * diffs, patches, review and --write all show the same change.
 */
export interface Fix {
  /** What the change does, in a reviewer's words. */
  title: string;
  edits: TextEdit[];
  /** Modules the rewritten code needs; `import os` is added once per file, only when missing. */
  imports?: 'os'[];
  /** Files to create when missing (absolute paths), e.g. wsgi.py for a new WSGI entrypoint. */
  newFiles?: { path: string; contents: string }[];
  /** Lines to add to existing files unless a line already matches, e.g. gunicorn in requirements.txt. */
  appendLines?: { path: string; line: string; unlessMatches: string }[];
  /** A change beyond removing debug, in a developer's words: what they must now do (summary, --json, --pr-body). */
  notice?: string;
}

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

/** A tool whose rule catches (part of) what one of ours does. */
export type OtherTool = 'Bandit' | 'Ruff' | 'Semgrep' | 'CodeQL' | 'Sonar';

/** Where a rule's page sends readers: the weakness, the docs, and the same check in other tools. */
export interface RuleReferences {
  /** CWE ids, most specific first: 489 (active debug code), 215 (debug information disclosure). */
  cwe: readonly number[];
  /** Flask, Werkzeug and other documentation the rule leans on. */
  links: readonly { title: string; url: string }[];
  /** Equivalent rules elsewhere; empty when no other tool looks at this shape. */
  equivalents: readonly { tool: OtherTool; id: string; url: string; note?: string }[];
}

interface RuleBase {
  /** Stable id used in output, suppressions and config: never renamed. */
  id: string;
  title: string;
  severity: Severity;
  /** One line that tells the reader what to do instead. */
  hint: string;
  doc: RuleDoc;
  /** Rule pages (docs/rules/<id>.md) and SARIF tags are built from these. */
  references?: RuleReferences;
  /**
   * Words one of which every file the rule can report on contains. Looking for
   * a plain substring is far cheaper than a regex, so it runs first.
   */
  keywords: readonly string[];
  /**
   * A cheap text test: a file is parsed only if some rule's prefilter matches it,
   * so it must match every file the rule could report on. Several patterns mean
   * any of them; separate patterns that each start with a literal scan faster
   * than one alternation.
   */
  prefilter: TextTest | readonly TextTest[];
}

export interface PythonRule extends RuleBase {
  language: 'python';
  detect(context: PythonContext): Detection[];
  /** The rewrite for one of this rule's detections, or undefined when no safe rewrite exists. */
  fix?(context: PythonContext, detection: Detection): Fix | undefined;
}

export interface DeployRule extends RuleBase {
  language: 'deploy';
  fileKinds: readonly DeployFileKind[];
  detect(context: DeployContext): Detection[];
  fix?(context: DeployContext, detection: Detection): Fix | undefined;
}

export type Rule = PythonRule | DeployRule;
