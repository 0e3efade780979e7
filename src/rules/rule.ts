import type { Document } from 'yaml';
import type { ModuleFacts } from '../python/module-facts.js';
import type { DeployModel } from '../deploy/model.js';
import type { Detection, Fix, Severity, TextTest } from '../core/findings.js';

export type { Detection, Fix, ImportedAppRef, Requirement, Severity, TextEdit, TextTest } from '../core/findings.js';

/** Deploy files are read as text (or YAML) by the rules that look at them. */
export type { DeployFileKind, FileKind } from '../files/file-kinds.js';
import type { DeployFileKind } from '../files/file-kinds.js';

/** The user-facing documentation of a rule: `secure-flask explain <id>` prints it. */
export interface RuleDoc {
  why: string;
  example: string;
  fix: string;
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
  /**
   * The project root: absolute paths in deploy files (systemd
   * `EnvironmentFile=/srv/app/...`) are looked up below it.
   */
  root: string;
  /** Parsed documents for YAML files; empty for the other kinds or when the YAML does not parse. */
  yamlDocuments: Document[];
  /**
   * The project's deploy model, built once per run from every deploy file (the one severity reads):
   * rules find this file's entrypoints in it (entrypointsDefinedIn) and never read a deploy file themselves.
   */
  deploy: DeployModel;
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
   * True for a rule that asks whether an object is a Flask app (Flask, Dash, Connexion 2, APIFlask,
   * Eve and the project's subclasses): its page lists the family it knows.
   */
  knowsAppFamily?: boolean;
  /**
   * True for a rule whose findings turn debug mode on through the app's config (`DEBUG`, `app.debug`). The flask
   * command overwrites that from FLASK_DEBUG once it has loaded the app (Flask 1.0 to 3.1), so under `flask run`
   * without FLASK_DEBUG such a finding serves no debugger: severity says so.
   */
  debugThroughConfig?: boolean;
  /**
   * True for a rule whose findings are an app.run() call: from Flask 1.0, run() returns at once when the flask
   * command imports the app, so under `flask run` such a finding serves no debugger unless Flask < 1.0 is pinned.
   */
  runCall?: boolean;
  /**
   * Words one of which every file the rule can report on contains. Looking for
   * a plain substring is far cheaper than a regex, so it runs first.
   */
  keywords: readonly string[];
  /**
   * Words one of which some Python file of the project contains whenever the rule can report
   * at all, wherever the finding is: an object is only known to be a Flask app through an
   * import of flask or a conventional factory (APP_EVIDENCE_KEYWORDS). When a run covers the
   * whole project and none of its Python files has one, no file is parsed for the rule.
   */
  projectKeywords?: readonly string[];
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
