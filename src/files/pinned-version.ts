import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The major version a project pins a package to, and the file that says so; `undefined` major when nothing pins it. */
export interface PinnedVersion {
  /** Highest major version the pin allows, e.g. 2 for `connexion==2.14.2` or `connexion<3`. */
  major?: number;
  /** Highest minor within that major when the pin names one (`flask<2.3` -> 2), for version-dependent behaviour. */
  minor?: number;
  /** Lowest major a `>=` bound allows when nothing caps it (`connexion>=3`). */
  minMajor?: number;
  /** Where the pin was read: the file's base name (`requirements/base.txt` for a requirements folder's file). */
  source?: string;
  /** The pin file, absolute. */
  path?: string;
}

// Files a Python project pins its dependencies in, most specific first (a lock states what is installed).
const PIN_FILES =
  /^(?:poetry\.lock|uv\.lock|Pipfile\.lock|requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.cfg|setup\.py|environment\.ya?ml)$/;
const MAX_LEVELS_UP = 4;
const MAX_PIN_FILE_BYTES = 2_000_000;

const cache = new Map<string, PinnedVersion>();

/**
 * The version of `pkg` the project around `file` pins: the nearest folder (up to a few levels,
 * stopping at a repository root) with a requirements, pyproject or lock file that names it.
 */
export function pinnedVersion(file: string, pkg: string): PinnedVersion {
  return pinnedVersionFrom(dirname(file), pkg);
}

/** pinnedVersion for the project whose files are in `start` (a build context, a served module's folder). */
export function pinnedVersionFrom(start: string, pkg: string): PinnedVersion {
  let folder = start;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const key = `${folder}\0${pkg}`;
    let found = cache.get(key);
    if (!found) {
      found = pinInFolder(folder, pkg) ?? {};
      cache.set(key, found);
    }
    if (found.source) return found;
    if (existsSync(join(folder, '.git'))) break;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return {};
}

function pinInFolder(folder: string, pkg: string): PinnedVersion | undefined {
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((name) => PIN_FILES.test(name))
      .sort((a, b) => rank(a) - rank(b));
  } catch {
    return undefined;
  }
  // `requirements/base.txt`, `requirements/prod.txt`: a requirements folder, read after the folder's own files.
  names.push(...requirementsFolderFiles(folder));
  for (const name of names) {
    const path = join(folder, name);
    try {
      if (statSync(path).size > MAX_PIN_FILE_BYTES) continue;
      const text = readFileSync(path, 'utf8');
      const pin = name.endsWith('.lock') ? lockedVersion(text, pkg) : requirementPin(text, pkg);
      if (pin) return { ...pin, source: name, path };
    } catch {
      // An unreadable pin file says nothing; the next one may.
    }
  }
  return undefined;
}

function requirementsFolderFiles(folder: string): string[] {
  try {
    return readdirSync(join(folder, 'requirements'))
      .filter((name) => name.endsWith('.txt'))
      .sort()
      .map((name) => `requirements/${name}`);
  } catch {
    return [];
  }
}

function rank(name: string): number {
  if (name.endsWith('.lock')) return 0;
  if (name.startsWith('requirements')) return 1;
  return 2;
}

/**
 * `name = "connexion"` then `version = "2.14.2"` (poetry.lock, uv.lock), or
 * `"connexion": {"version": "==2.14.2"` (Pipfile.lock).
 */
function lockedVersion(text: string, pkg: string): Omit<PinnedVersion, 'source'> | undefined {
  const escaped = escapeName(pkg);
  const toml = new RegExp(
    String.raw`name\s*=\s*"${escaped}"\s*\r?\n(?:[^\[\n]*\n)*?version\s*=\s*"(\d+)(?:\.(\d+))?`,
    'i',
  ).exec(text);
  const json = new RegExp(String.raw`"${escaped}"\s*:\s*\{[^}]*?"version"\s*:\s*"==(\d+)(?:\.(\d+))?`, 'i').exec(text);
  const match = toml ?? json;
  return match ? { major: Number(match[1]), minor: match[2] === undefined ? undefined : Number(match[2]) } : undefined;
}

/**
 * A requirement line's upper bound: `pkg==2.14.2`, `pkg~=2.7`, `pkg<3`, `pkg<=2.3`, `pkg>=2,<3`
 * (extras and quotes allowed). `{}` when the package is named without a bound (unpinned).
 */
function requirementPin(text: string, pkg: string): Omit<PinnedVersion, 'source'> | undefined {
  // A comment (`# Flask and extensions`) names no requirement, and `flask` in `Flask-Login` is another package.
  const uncommented = text.replace(/(?:^|\s)#[^\n]*/g, '');
  const line = new RegExp(
    String.raw`(?:^|["'\s,\[])${escapeName(pkg)}(?![\w.-])(?:\[[^\]]*\])?\s*([^\n"'#;]*)`,
    'im',
  ).exec(uncommented);
  if (!line) return undefined;
  const spec = line[1] ?? '';
  const exact = /(?:==|~=|===)\s*(\d+)(?:\.(\d+))?/.exec(spec);
  if (exact) return { major: Number(exact[1]), minor: exact[2] === undefined ? undefined : Number(exact[2]) };
  const below = /<\s*(\d+)(?:\.(\d+))?/.exec(spec);
  if (below) {
    const major = Number(below[1]);
    const minor = below[2] === undefined ? undefined : Number(below[2]);
    // `<3` allows 2.x; `<2.3` allows 2.2.
    if (minor === undefined || minor === 0) return { major: major - 1 };
    return { major, minor: minor - 1 };
  }
  const atMost = /<=\s*(\d+)(?:\.(\d+))?/.exec(spec);
  if (atMost) return { major: Number(atMost[1]), minor: atMost[2] === undefined ? undefined : Number(atMost[2]) };
  // `pkg = "^2.14"` in pyproject (poetry) pins the major.
  const caret = /^\s*=\s*["']?\^(\d+)(?:\.(\d+))?/.exec(spec);
  if (caret) return { major: Number(caret[1]) };
  const atLeast = />=?\s*(\d+)/.exec(spec);
  return atLeast ? { minMajor: Number(atLeast[1]) } : {};
}

function escapeName(pkg: string): string {
  return pkg.replace(/[-_.]/g, '[-_.]');
}
