import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECKOUT_ACTION, GUARD_ACTION } from '../../src/core/ci-pins.js';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let folder: TempProject;
afterEach(() => folder?.remove());

type Step = { uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };
type Pipeline = Record<string, { image?: string; script?: string[]; artifacts?: unknown }>;

/** Every `uses:` line of a workflow with its comment, as people and Dependabot read it. */
const usesLines = (text: string) =>
  [...text.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((match) => (match[1] ?? '').trim());
const guardJob = (workflow: Workflow) =>
  Object.values(workflow.jobs).find((job) => job.steps.some((step) => step.uses?.startsWith(`${GUARD_ACTION}@`)));

/** What init-ci writes into a repository, and what the generator writes into a new project, for the same CI. */
async function bothOutputs(ci: 'github' | 'gitlab'): Promise<{ initCi: string; generated: string }> {
  folder = tempProject('secure-flask-pins-');
  const repo = join(folder.root, 'repo');
  folder.write('repo/.gitkeep', '');
  await folder.git('-C', repo, 'init', '-q');
  if (ci === 'gitlab') folder.write('repo/.gitlab-ci.yml', 'test:\n  script:\n    - pytest\n');
  const init = await secureFlask(['init-ci', '--write'], { cwd: repo });
  expect(init.exitCode, init.stderr).toBe(0);
  const generate = await createSecureFlask(['new-app', '--yes', '--no-install', '--no-git', '--ci', ci], {
    cwd: folder.root,
  });
  expect(generate.exitCode, generate.stderr).toBe(0);
  const [initCiPath, generatedPath] =
    ci === 'github'
      ? ['.github/workflows/secure-flask.yml', '.github/workflows/ci.yml']
      : ['.gitlab-ci.yml', '.gitlab-ci.yml'];
  return {
    initCi: readFileSync(join(repo, initCiPath), 'utf8'),
    generated: readFileSync(join(folder.root, 'new-app', generatedPath), 'utf8'),
  };
}

describe('init-ci and the generator write the same CI pins', () => {
  it('GitHub: the same actions/checkout commit with persist-credentials: false, and our Action at the same exact tag', async () => {
    const { initCi, generated } = await bothOutputs('github');
    const checkout = `${CHECKOUT_ACTION.uses} # ${CHECKOUT_ACTION.version}`;
    expect(CHECKOUT_ACTION.uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
    expect(usesLines(initCi)).toContain(checkout);
    expect(usesLines(generated).filter((line) => line.startsWith('actions/checkout@'))).toEqual([checkout, checkout]);
    for (const text of [initCi, generated]) {
      const job = guardJob(parse(text) as Workflow);
      const checkoutStep = job?.steps.find((step) => step.uses === CHECKOUT_ACTION.uses);
      expect(checkoutStep?.with).toEqual({ 'persist-credentials': false });
    }
    const guardRefs = (text: string) => usesLines(text).filter((line) => line.startsWith(`${GUARD_ACTION}@`));
    expect(guardRefs(initCi)).toHaveLength(1);
    expect(guardRefs(generated)).toEqual(guardRefs(initCi));
  });

  it('GitLab: the same image, script and reports, where findings keep the reports and only the last run fails on them', async () => {
    const { initCi, generated } = await bothOutputs('gitlab');
    const fromInitCi = (parse(initCi) as Pipeline)['secure-flask'];
    const fromGenerator = (parse(generated) as Pipeline)['debug-guard'];
    expect(fromInitCi?.script).toBeDefined();
    expect(fromGenerator?.image).toBe(fromInitCi?.image);
    expect(fromGenerator?.script).toEqual(fromInitCi?.script);
    expect(fromGenerator?.artifacts).toEqual(fromInitCi?.artifacts);
    const script = fromInitCi?.script ?? [];
    // --exit-zero, never `|| true`: a usage or internal error (exit 2) must still fail the job.
    expect(script.slice(0, -1).every((line) => line.includes(' --exit-zero'))).toBe(true);
    expect(script.join('\n')).not.toMatch(/\|\| true/);
  });
});
