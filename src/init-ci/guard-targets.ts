import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import {
  CHECKOUT_ACTION,
  GITLAB_GUARD_IMAGE,
  GUARD_ACTION,
  gitlabGuardArtifacts,
  gitlabGuardScript,
  guardActionUses,
} from '../core/ci-pins.js';
import { UsageError } from '../core/usage-error.js';
import { nearestExistingFolder, resolvesInside } from '../files/atomic-write.js';
import { REPOSITORY_URL } from '../rules/rule-pages.js';
import {
  assertOnlyAdded,
  detectStyle,
  endOfNodeLine,
  firstEntryColumn,
  insertLines,
  parseYamlFile,
  renderBlock,
  topLevelMap,
  yamlData,
} from './yaml-text.js';

const HOOK_ID = 'secure-flask-check';
const JOB_NAME = 'secure-flask';

/** One file init-ci adds the guard to, or finds already guarded. */
export interface GuardEdit {
  rootPath: string;
  path: string;
  before: string;
  after: string;
  created: boolean;
  /** What was added, for the summary: "job secure-flask", "hook secure-flask-check". */
  what: string;
}

export interface GuardPlan {
  edits: GuardEdit[];
  /** Files that already run the check (nothing to do there). */
  alreadyGuarded: { rootPath: string; what: string }[];
}

/** A cloned repository must not steer our writes (or our reads into the diff) outside itself through a link. */
function refuseOutside(path: string, root: string, rootPath: string): void {
  if (!resolvesInside(path, root))
    throw new UsageError(
      `${rootPath}: a symlink that resolves outside the repository; ` +
        'init-ci does not write through it, nothing was changed',
    );
}

function readText(path: string, rootPath: string, root: string): string {
  refuseOutside(path, root, rootPath);
  try {
    if (!statSync(path).isFile()) throw new UsageError(`${rootPath}: not a regular file`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${rootPath}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function githubJob(version: string) {
  return {
    name: 'Flask debug guard',
    'runs-on': 'ubuntu-latest',
    // Job-level permissions replace the workflow's for this job only: upload-sarif needs security-events.
    permissions: { contents: 'read', 'security-events': 'write' },
    // The job needs no token after checkout: none is left in .git/config for later steps.
    steps: [{ uses: CHECKOUT_ACTION.uses, with: { 'persist-credentials': false } }, { uses: guardActionUses(version) }],
  };
}
const CHECKOUT_COMMENT = (prefix: (string | number)[]) => [
  { path: [...prefix, 'steps', 0, 'uses'], comment: CHECKOUT_ACTION.version },
];

function gitlabJob(version: string, stage: string | undefined) {
  return {
    ...(stage ? { stage } : {}),
    image: GITLAB_GUARD_IMAGE,
    script: gitlabGuardScript(version),
    artifacts: gitlabGuardArtifacts(),
  };
}

function preCommitRepo(version: string) {
  return { repo: REPOSITORY_URL, rev: `v${version}`, hooks: [{ id: HOOK_ID }] };
}

/** A new workflow for a repository with no CI: the same job, run on pushes and pull requests. */
export function newWorkflowText(version: string): string {
  const body = renderBlock(
    { jobs: { [JOB_NAME]: githubJob(version) } },
    { indent: 2, indentSeq: true },
    0,
    CHECKOUT_COMMENT(['jobs', JOB_NAME]),
  );
  return [
    "# Added by `secure-flask init-ci`: fails a change that turns on Flask's interactive debugger,",
    '# and shows each finding in GitHub code scanning.',
    'name: Flask debug guard',
    '',
    'on:',
    '  push:',
    '  pull_request:',
    '',
    'permissions:',
    '  contents: read',
    '',
    body,
    '',
  ].join('\n');
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? value.map(asText).join('\n') : '';

function jobRunsCheck(job: unknown): boolean {
  if (typeof job !== 'object' || job === null) return false;
  const { steps, script } = job as { steps?: unknown; script?: unknown };
  if (asText(script).includes('secure-flask check')) return true;
  if (!Array.isArray(steps)) return false;
  return steps.some((step: { uses?: unknown; run?: unknown } | null) => {
    const uses = typeof step?.uses === 'string' ? step.uses : '';
    return uses.startsWith(`${GUARD_ACTION}@`) || asText(step?.run).includes('secure-flask check');
  });
}

/** `on:` as a list of event names, whichever of its three forms the workflow uses. */
function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((event): event is string => typeof event === 'string');
  return typeof on === 'object' && on !== null ? Object.keys(on) : [];
}

function freeKey(map: Record<string, unknown>, base: string): string {
  if (!(base in map)) return base;
  for (let suffix = 2; ; suffix++) if (!(`${base}-${suffix}` in map)) return `${base}-${suffix}`;
}

function jobsMapOf(top: YAMLMap, rootPath: string): YAMLMap {
  const jobs = top.get('jobs', true);
  if (!isMap(jobs) || jobs.flow)
    throw new UsageError(`${rootPath}: a workflow needs a block mapping of jobs ('jobs:' with one job per line)`);
  return jobs;
}

function planGithub(root: string, version: string, plan: GuardPlan): boolean {
  const folder = join(root, '.github', 'workflows');
  if (!existsSync(folder)) return false;
  refuseOutside(folder, root, '.github/workflows');
  const names = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (names.length === 0) return false;
  const workflows = names.map((name) => {
    const rootPath = `.github/workflows/${name}`;
    const path = join(folder, name);
    const text = readText(path, rootPath, root);
    const doc = parseYamlFile(text, rootPath);
    const top = topLevelMap(doc, rootPath, 'workflow');
    const data = yamlData<{ on?: unknown; jobs?: Record<string, unknown> }>(doc, rootPath);
    return { rootPath, path, text, doc, top, data };
  });
  for (const workflow of workflows) {
    const guarded = Object.entries(workflow.data.jobs ?? {}).find(([, job]) => jobRunsCheck(job));
    if (guarded) {
      plan.alreadyGuarded.push({ rootPath: workflow.rootPath, what: `job ${guarded[0]}` });
      return true;
    }
  }
  // The workflow that already checks changes: one run on pull requests or pushes.
  const target =
    workflows.find(({ data }) => triggers(data.on).some((event) => event === 'pull_request' || event === 'push')) ??
    workflows[0];
  if (!target) return false;
  const jobs = jobsMapOf(target.top, target.rootPath);
  const existing = (target.data.jobs ?? {}) as Record<string, unknown>;
  const key = freeKey(existing, JOB_NAME);
  const style = detectStyle(target.doc, target.text, jobs);
  const column = firstEntryColumn(target.text, jobs) ?? style.indent;
  const job = githubJob(version);
  const block = renderBlock({ [key]: job }, style, column, CHECKOUT_COMMENT([key]));
  const after = insertLines(target.text, endOfNodeLine(target.text, jobs), block, true);
  assertOnlyAdded(after, { ...target.data, jobs: { ...existing, [key]: job } }, target.rootPath);
  plan.edits.push({
    rootPath: target.rootPath,
    path: target.path,
    before: target.text,
    after,
    created: false,
    what: `job ${key}`,
  });
  return true;
}

// Keys of .gitlab-ci.yml that are settings, not jobs.
const GITLAB_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

function planGitlab(root: string, version: string, plan: GuardPlan): boolean {
  const rootPath = '.gitlab-ci.yml';
  const path = join(root, rootPath);
  if (!existsSync(path)) return false;
  const text = readText(path, rootPath, root);
  const doc = parseYamlFile(text, rootPath);
  topLevelMap(doc, rootPath, 'GitLab CI file');
  const data = yamlData<Record<string, unknown>>(doc, rootPath);
  const guarded = Object.entries(data).find(([name, job]) => !GITLAB_KEYWORDS.has(name) && jobRunsCheck(job));
  if (guarded) {
    plan.alreadyGuarded.push({ rootPath, what: `job ${guarded[0]}` });
    return true;
  }
  // A job without `stage:` runs in `test`; a file whose own stages lack it needs one named.
  const stages = Array.isArray(data.stages)
    ? data.stages.filter((stage): stage is string => typeof stage === 'string')
    : undefined;
  const stage = stages && !stages.includes('test') ? stages[0] : undefined;
  const key = freeKey(data, JOB_NAME);
  const job = gitlabJob(version, stage);
  const block = renderBlock({ [key]: job }, detectStyle(doc, text), 0);
  const after = insertLines(text, text.length, block, true);
  assertOnlyAdded(after, { ...data, [key]: job }, rootPath);
  plan.edits.push({ rootPath, path, before: text, after, created: false, what: `job ${key}` });
  return true;
}

function planPreCommit(root: string, version: string, plan: GuardPlan): void {
  const rootPath = '.pre-commit-config.yaml';
  const path = join(root, rootPath);
  if (!existsSync(path)) return;
  const text = readText(path, rootPath, root);
  const doc = parseYamlFile(text, rootPath);
  const top = topLevelMap(doc, rootPath, 'pre-commit config');
  const data = yamlData<{ repos?: { hooks?: { id?: unknown }[] }[] }>(doc, rootPath);
  if ((data.repos ?? []).some((repo) => (repo?.hooks ?? []).some((hook) => hook?.id === HOOK_ID))) {
    plan.alreadyGuarded.push({ rootPath, what: `hook ${HOOK_ID}` });
    return;
  }
  const repos = top.get('repos', true);
  const style = detectStyle(doc, text, isSeq(repos) ? repos : undefined);
  const entry = preCommitRepo(version);
  let after: string;
  if (isSeq(repos) && !repos.flow && repos.items.length > 0) {
    const column = firstEntryColumn(text, repos) ?? 0;
    after = insertLines(text, endOfNodeLine(text, repos), renderBlock([entry], style, column), false);
  } else if (repos === undefined || (isSeq(repos) && repos.items.length === 0)) {
    // No repos yet (`repos: []` or none): the whole key, in block form.
    if (repos !== undefined)
      throw new UsageError(`${rootPath}: 'repos: []' is written inline; make it a block list or add the hook by hand`);
    after = insertLines(text, text.length, renderBlock({ repos: [entry] }, style, 0), true);
  } else {
    throw new UsageError(`${rootPath}: 'repos' must be a list of repositories`);
  }
  assertOnlyAdded(after, { ...data, repos: [...(data.repos ?? []), entry] }, rootPath);
  plan.edits.push({ rootPath, path, before: text, after, created: false, what: `hook ${HOOK_ID}` });
}

/**
 * Where the repository already works, the guard goes: a job in its GitHub workflow
 * and/or GitLab CI file, a hook in its pre-commit config, and a new workflow only
 * when it has no CI at all. Files that already run the check are left alone.
 */
export function planGuard(root: string, version: string): GuardPlan {
  const plan: GuardPlan = { edits: [], alreadyGuarded: [] };
  const hasGithub = planGithub(root, version, plan);
  const hasGitlab = planGitlab(root, version, plan);
  planPreCommit(root, version, plan);
  if (!hasGithub && !hasGitlab) {
    const rootPath = '.github/workflows/secure-flask.yml';
    const path = join(root, rootPath);
    refuseOutside(nearestExistingFolder(path), root, rootPath);
    plan.edits.push({
      rootPath,
      path,
      before: '',
      after: newWorkflowText(version),
      created: true,
      what: `job ${JOB_NAME} (new workflow)`,
    });
  }
  return plan;
}
