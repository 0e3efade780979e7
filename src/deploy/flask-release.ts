import { dirname, join, relative } from 'node:path';
import { pinnedVersion, pinnedVersionFrom, type PinnedVersion } from '../files/pinned-version.js';
import type { Entrypoint, ImagePython } from './model.js';
import { scopeFolderOf } from './scope-folder.js';

/** The newest Flask a process can run, and why, in a reader's words. */
export interface FlaskRelease {
  /** Undefined when nothing caps it. */
  major?: number;
  minor?: number;
  /** "Flask 2.2 is pinned in api/requirements.txt", or what the image's Python allows. */
  basis: string;
}

interface MajorMinor {
  major: number;
  minor: number;
}

// Requires-Python of Flask on PyPI, which is what pip installs on each Python: 3.1 needs >= 3.9, 2.3 and 3.0
// >= 3.8, 2.1 and 2.2 >= 3.7, 2.0 >= 3.6; 1.1 still installs on 2.7 and 3.5.
const NEWEST_FLASK: readonly { python: MajorMinor; flask: MajorMinor }[] = [
  { python: { major: 3, minor: 8 }, flask: { major: 3, minor: 0 } },
  { python: { major: 3, minor: 7 }, flask: { major: 2, minor: 2 } },
  { python: { major: 3, minor: 6 }, flask: { major: 2, minor: 0 } },
];
const OLDEST_PYTHONS_FLASK: MajorMinor = { major: 1, minor: 1 };

/** The newest Flask pip installs on a Python, when it is older than the newest Flask needs (3.9). */
export function newestFlaskOn(python: MajorMinor): MajorMinor | undefined {
  if (python.major > 3 || (python.major === 3 && python.minor >= 9)) return undefined;
  return (
    NEWEST_FLASK.find((row) => row.python.major === python.major && row.python.minor === python.minor)?.flask ??
    OLDEST_PYTHONS_FLASK
  );
}

/** The Flask a pin names (no Python known): what deploy settings no entrypoint gets are read with. */
export function flaskReleaseOfFile(path: string): FlaskRelease {
  return fromPin(pinnedVersion(path, 'flask'), (pin) => pin.source ?? '');
}

/**
 * The Flask an entrypoint runs: pinned in its project (a compose service's build context, else the folder its
 * deploy file serves, then the served module's folder, then its start scripts' folders), else capped by the
 * Python of its image.
 */
export function flaskReleaseOf(entrypoint: Entrypoint, root: string): FlaskRelease {
  const scope = entrypoint.buildContext ?? scopeFolderOf(entrypoint.file);
  let pin = pinnedVersionFrom(scope, 'flask');
  const moduleFolder = servedModuleFolder(entrypoint, scope);
  if (pin.major === undefined && moduleFolder) pin = pinnedVersionFrom(moduleFolder, 'flask');
  // A start script in the app's own folder (`tg_bot/start.sh` of an image that mounts `./tg_bot`): its pins.
  for (const script of entrypoint.scripts)
    if (pin.major === undefined) pin = pinnedVersionFrom(dirname(script.path), 'flask');
  const pinned = fromPin(pin, (found) => (found.path ? relative(root, found.path) : (found.source ?? '')));
  const python = entrypoint.imagePython;
  const newest = python ? newestFlaskOn(python) : undefined;
  if (!python || !newest) return pinned;
  // The image's Python caps what a loose pin (`flask<3`, `flask>=1.1`) lets pip install.
  const capped = { ...newest, basis: imageBasis(python, newest, root, pin.major === undefined) };
  return rankOf(capped) < rankOf(pinned) ? capped : pinned;
}

/** The oldest of several releases: a setting several entrypoints get matters on the oldest Flask among them. */
export function oldestFlaskRelease(releases: readonly FlaskRelease[]): FlaskRelease | undefined {
  return [...releases].sort((a, b) => rankOf(a) - rankOf(b))[0];
}

function rankOf(release: FlaskRelease): number {
  return release.major === undefined ? Number.MAX_SAFE_INTEGER : release.major * 1000 + (release.minor ?? 999);
}

function fromPin(pin: PinnedVersion, where: (pin: PinnedVersion) => string): FlaskRelease {
  if (pin.major === undefined) return { basis: 'no requirements, pyproject or lock file pins Flask' };
  const version = `${pin.major}${pin.minor !== undefined ? `.${pin.minor}` : ''}`;
  return {
    major: pin.major,
    ...(pin.minor !== undefined ? { minor: pin.minor } : {}),
    basis: `Flask ${version} is pinned in ${where(pin)}`,
  };
}

function imageBasis(python: ImagePython, newest: MajorMinor, root: string, unpinned: boolean): string {
  return (
    `${unpinned ? 'nothing pins Flask and ' : ''}${relative(root, python.at.path)}:${python.at.line} builds on ` +
    `${python.image}, whose Python ${python.major}.${python.minor} installs Flask ${newest.major}.${newest.minor} ` +
    'at most'
  );
}

/** `backend.app:app` served from the scope: the folder backend/, where a project may keep its own pins. */
function servedModuleFolder(entrypoint: Entrypoint, scope: string): string | undefined {
  const { target } = entrypoint.serves;
  const app = target.kind === 'wsgi-server' || target.kind === 'flask-run' ? target.app : undefined;
  const parts = (app?.split(':')[0] ?? '').replace(/\.py$/, '').split(/[./]/).filter(Boolean);
  return parts.length > 1 ? join(scope, ...parts.slice(0, -1)) : undefined;
}
