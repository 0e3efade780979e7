import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notices } from '../../src/migrate/migration-report.js';
import { planMigration } from '../../src/migrate/plan.js';
import { tempProject } from './temp-project.js';

export interface MigratedProject {
  /** Text of every file after migration (changed files, new files, untouched files). */
  after: Record<string, string>;
  titles: string[];
  /** What each change asks of a developer, for changes beyond removing debug (the fixes' own words). */
  fixNotices: string[];
  manual: string[];
  /** Why each manual finding is left for a person (the fix's reason, else the rule's hint), in `manual`'s order. */
  reasons: string[];
  /** The summary's notice lines (file: notice), as the summary, --json and --pr-body show them. */
  notices: string[];
  deleted: string[];
  statuses: Record<string, string>;
}

/** Plans a migration of `files` in a scratch folder and returns what it would write; writes nothing. */
export async function migrateInMemory(files: Record<string, string | Buffer>): Promise<MigratedProject> {
  const project = tempProject('secure-flask-migrate-');
  try {
    for (const [path, contents] of Object.entries(files)) project.write(path, contents);
    const plan = await planMigration({ paths: ['.'], includeTests: false, cwd: project.root, jobs: 1 });
    const after: Record<string, string> = {};
    for (const path of Object.keys(files)) after[path] = readFileSync(join(project.root, path), 'latin1');
    const statuses: Record<string, string> = {};
    for (const file of plan.files) {
      statuses[file.file.displayPath] = file.status;
      if (file.status === 'changed') after[file.file.displayPath] = file.after;
    }
    for (const extra of plan.extras) after[extra.displayPath] = extra.after;
    return {
      after,
      titles: plan.files.flatMap((file) => file.changes.map((change) => change.fix.title)),
      fixNotices: plan.files.flatMap((file) =>
        file.changes.flatMap((change) => (change.fix.notice ? [change.fix.notice] : [])),
      ),
      manual: plan.files.flatMap((file) =>
        file.manual.map((finding) => `${finding.displayPath}:${finding.line} ${finding.ruleId}`),
      ),
      reasons: plan.files.flatMap((file) => file.manual.map((finding) => finding.fix?.manual ?? finding.hint)),
      notices: notices(plan),
      deleted: plan.files
        .filter((file) => file.status === 'changed' && file.deleted)
        .map((file) => file.file.displayPath),
      statuses,
    };
  } finally {
    project.remove();
  }
}
