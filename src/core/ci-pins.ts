/**
 * What the CI files we write pin, in one place: `init-ci` adds the guard to a
 * repository's own CI and the generator writes a new project's CI, and both
 * must run the same actions at the same commits and treat exit codes alike.
 */

/**
 * A third-party GitHub Action pinned by full commit SHA (a tag can
 * move; a commit cannot), with its release for people and Dependabot.
 */
export interface PinnedAction {
  /** `owner/name@<40 hex digits>`, as a step's `uses:` */
  uses: string;
  /** The release the commit is, as the comment beside `uses:` (`v7.0.1`). */
  version: string;
}

function pinned(action: string, commit: string, version: string): PinnedAction {
  return { uses: `${action}@${commit}`, version };
}

export const CHECKOUT_ACTION = pinned('actions/checkout', '3d3c42e5aac5ba805825da76410c181273ba90b1', 'v7.0.1');
export const SETUP_PYTHON_ACTION = pinned('actions/setup-python', '5fda3b95a4ea91299a34e894583c3862153e4b97', 'v7.0.0');
export const SETUP_UV_ACTION = pinned('astral-sh/setup-uv', '20cfd1bf945f4377ade1205e4dbc17946fc9a30d', 'v10.0.1');

/** This tool's own Action. */
export const GUARD_ACTION = 'create-secure-flask/create-secure-flask';

/**
 * Our Action at the exact release tag of the version that writes it. Not a SHA: a
 * release cannot contain the commit it is tagged on, and the generator works offline,
 * so it cannot look one up; the tag is exact, and Dependabot's github-actions updates
 * (or a person) can turn it into a SHA in the user's repository.
 */
export function guardActionUses(version: string): string {
  return `${GUARD_ACTION}@v${version}`;
}

/** The image GitLab jobs run the guard in: npx needs Node, nothing else. */
export const GITLAB_GUARD_IMAGE = 'node:20-slim';

/** GitLab shows this report inline in merge requests (artifacts:reports:codequality). */
export const GITLAB_CODE_QUALITY_REPORT = 'gl-code-quality-report.json';

/**
 * The GitLab guard job's script. The reports are written whatever they hold (`--exit-zero`
 * still exits 2 on a usage or internal error, which fails the job at once, where `|| true`
 * would hide it); the last run fails the job on findings.
 */
export function gitlabGuardScript(version: string): string[] {
  const npx = `npx --yes --package create-secure-flask@${version} secure-flask check`;
  return [
    `${npx} --format gitlab --output ${GITLAB_CODE_QUALITY_REPORT} --exit-zero .`,
    `${npx} --format sarif --output secure-flask.sarif --exit-zero .`,
    `${npx} .`,
  ];
}

/** The guard job's artifacts: the SARIF report kept, the Code Quality report shown in merge requests. */
export function gitlabGuardArtifacts() {
  return { when: 'always', paths: ['secure-flask.sarif'], reports: { codequality: GITLAB_CODE_QUALITY_REPORT } };
}
