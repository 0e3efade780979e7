/**
 * What the CI files we write pin, in one place: `init-ci` adds the guard to a
 * repository's own CI and the generator writes a new project's CI, and both
 * must run the same actions at the same commits and treat exit codes alike.
 */

/** A third-party GitHub Action pinned by full commit SHA (a tag can move; a commit cannot), with its release for people and Dependabot. */
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

/**
 * The GitLab guard job's script. The SARIF report is written whatever it finds, so the
 * artifact is always there: exit 1 (findings) goes on, exit 2 (a usage or internal error)
 * fails the job at once rather than hiding behind `|| true`. The text run then fails the
 * job on findings.
 */
export function gitlabGuardScript(version: string): string[] {
  const npx = `npx --yes --package create-secure-flask@${version} secure-flask check`;
  return [`${npx} --format sarif --output secure-flask.sarif . || [ "$?" -eq 1 ]`, `${npx} .`];
}
