import type { PythonVersion } from './formats/dockerfile-stages.js';
import { resolved, unresolved, type Resolved } from './project-files.js';

/**
 * The gunicorn release migrate pins in a requirements file that pins everything with `==`:
 * the one the test suite proves every rewritten entrypoint with (test/python/requirements.txt).
 */
export const GUNICORN_PIN = '27.0.1';

/** The gunicorn migrate adds: a pin for requirements that pin everything, a floor for the others. */
export interface GunicornRelease {
  pin: string;
  requirement: string;
}

// Requires-Python of each release on PyPI: 24.0.0 to 27.0.1 need >= 3.10, 22.0.0 and 23.0.0 >= 3.7, 20.1.0 to
// 21.2.0 >= 3.5. The gunicorn.conf.py migrate writes uses f-strings, so 3.6 is the oldest it can serve.
const NEWEST: GunicornRelease = { pin: GUNICORN_PIN, requirement: 'gunicorn>=23' };
const RELEASES: readonly { python: PythonVersion; release: GunicornRelease }[] = [
  { python: { major: 3, minor: 10 }, release: NEWEST },
  { python: { major: 3, minor: 7 }, release: { pin: '23.0.0', requirement: 'gunicorn>=23' } },
  { python: { major: 3, minor: 6 }, release: { pin: '21.2.0', requirement: 'gunicorn>=20.1' } },
];

/**
 * The gunicorn release that installs on the image's Python (unknown Python: the newest, as the test suite
 * proves), or why none does.
 */
export function gunicornReleaseFor(python: PythonVersion | undefined): Resolved<GunicornRelease> {
  if (!python) return resolved(NEWEST);
  const fit = RELEASES.find(
    ({ python: floor }) => python.major > floor.major || (python.major === floor.major && python.minor >= floor.minor),
  );
  if (fit) return resolved(fit.release);
  return unresolved(
    `the image runs Python ${python.major}.${python.minor}: the gunicorn.conf.py migrate writes needs Python 3.6 ` +
      'or later (gunicorn 20.1 and 19.10 still install on older Pythons, with a config a person writes)',
  );
}
