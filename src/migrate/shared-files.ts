import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Fix } from '../core/findings.js';
import type { Change, FilePlan } from './plan-types.js';

/**
 * Plans the files that several changes of one run create, together: fixes are
 * computed one finding at a time, so two dev-server commands in one folder
 * (a Dockerfile and a Procfile, a Dockerfile and a Dockerfile.cli) each ask
 * for the same gunicorn.conf.py. The same contents are created once. Different
 * contents (the commands listened on different ports) cannot share one file:
 * the first change keeps the name, each later one gets a file of its own named
 * after its deploy file (`gunicorn.procfile.conf.py`), and its command is
 * pointed at that name. So one run switches every command it can, and a second
 * run has nothing left to do.
 *
 * `replan` re-applies a file's changes after one of them was renamed.
 */
export function planSharedFiles(
  files: FilePlan[],
  replan: (plan: FilePlan, changes: Change[]) => FilePlan,
): FilePlan[] {
  const created = new Map<string, string>();
  const claim = (path: string, contents: string) => {
    if (!created.has(path)) created.set(path, contents);
  };
  return files.map((plan) => {
    if (plan.status !== 'changed') return plan;
    let renamed = false;
    const changes = plan.changes.map((change) => {
      let fix = change.fix;
      for (const file of fix.newFiles ?? []) {
        const claimed = created.get(file.path);
        if (claimed === undefined || claimed === file.contents) continue;
        const free = freeNameFor(file.path, file.contents, plan.file.rootPath, created);
        fix = withRenamedFile(fix, file.path, free);
        renamed = true;
      }
      for (const file of fix.newFiles ?? []) claim(file.path, file.contents);
      return fix === change.fix ? change : { ...change, fix };
    });
    return renamed ? replan(plan, changes) : plan;
  });
}

/**
 * `gunicorn.conf.py` for `deploy/Dockerfile.cli` becomes `gunicorn.deploy-dockerfile-cli.conf.py`,
 * beside the first; a number is added while that name is taken (by this run, or on disk).
 */
function freeNameFor(path: string, contents: string, deployFile: string, created: Map<string, string>): string {
  const name = basename(path);
  const dot = name.indexOf('.');
  const stem = dot === -1 ? name : name.slice(0, dot);
  const suffix = dot === -1 ? '' : name.slice(dot);
  const slug =
    deployFile
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'other';
  for (let attempt = 1; ; attempt++) {
    const candidate = join(dirname(path), `${stem}.${slug}${attempt === 1 ? '' : `-${attempt}`}${suffix}`);
    const taken = created.get(candidate);
    if (taken === contents || (taken === undefined && !existsSync(candidate))) return candidate;
  }
}

/**
 * The same fix creating `to` instead of `from`. The fix's command refers to the
 * file by its name (`gunicorn -c gunicorn.conf.py`, a comment naming it), and
 * both sit in the folder the command runs in, so the name is replaced in its
 * edits and words.
 */
function withRenamedFile(fix: Fix, from: string, to: string): Fix {
  const oldName = basename(from);
  const newName = basename(to);
  const rename = (text: string) => text.split(oldName).join(newName);
  const newNotOld = `${newName}, not ${oldName}`;
  const elsewhere = `Its settings are in ${newNotOld}, because another command this run switched listens elsewhere.`;
  return {
    ...fix,
    title: rename(fix.title),
    edits: fix.edits.map((edit) => ({ ...edit, replacement: rename(edit.replacement) })),
    newFiles: (fix.newFiles ?? []).map((file) => (file.path === from ? { path: to, contents: file.contents } : file)),
    notice: fix.notice === undefined ? elsewhere : `${rename(fix.notice)} ${elsewhere}`,
  };
}
