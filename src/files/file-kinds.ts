/** The kinds of files discovery finds: Python sources and the deploy files rules read. */
export type DeployFileKind =
  | 'env'
  | 'dockerfile'
  | 'yaml'
  | 'procfile'
  | 'supervisord'
  | 'systemd'
  | 'script'
  | 'package-json'
  /** vercel.json (or the older now.json): a `@vercel/python` (`@now/python`) build serves a module's app. */
  | 'vercel'
  /** zappa_settings.json/.yml/.yaml: each stage's `app_function` is served on AWS Lambda. */
  | 'zappa'
  /** `.replit`, nixpacks.toml, railway.toml/json: a platform's start command. */
  | 'platform-start';
export type FileKind = 'python' | DeployFileKind;

/** Which checker reads a file, decided by its name alone (content is looked at later). */
export function fileKindOf(name: string): FileKind | undefined {
  // A config management template (`app.service.j2`, `app.conf.tmpl`) is the unit or program it renders.
  const lower = name
    .toLowerCase()
    .replace(/\.(?:service|conf|ini)\.(?:j2|jinja2?|tmpl|tpl|template)$/, (ending) =>
      ending.slice(0, ending.indexOf('.', 1)),
    );
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  if (lower === '.flaskenv' || lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'env';
  if (
    lower === 'dockerfile' ||
    lower === 'containerfile' ||
    lower.startsWith('dockerfile.') ||
    lower.endsWith('.dockerfile')
  )
    return 'dockerfile';
  if (/^zappa_settings\.(?:json|ya?ml)$/.test(lower)) return 'zappa';
  if (/^(?:\.replit|nixpacks\.toml|railway\.(?:toml|json))$/.test(lower)) return 'platform-start';
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  if (lower === 'procfile' || lower.startsWith('procfile.')) return 'procfile';
  if (
    lower === 'supervisord.conf' ||
    (lower.endsWith('.conf') && lower.includes('supervisor')) ||
    lower.endsWith('.ini') ||
    lower.endsWith('.conf')
  ) {
    return 'supervisord';
  }
  if (lower.endsWith('.service')) return 'systemd';
  // An npm package.json: its scripts may run the Python app (`"start": "flask run"`).
  if (lower === 'package.json') return 'package-json';
  // now.json is what Vercel read before it was renamed (ZEIT Now), with the same builds.
  if (lower === 'vercel.json' || lower === 'now.json') return 'vercel';
  // Shell scripts matter only when a deploy file runs them: the engine confirms that.
  if (lower.endsWith('.sh')) return 'script';
  return undefined;
}

/** Folders that hold dependencies, build output or tool caches: never the project's own code. */
export const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  'build',
  'dist',
  '.eggs',
]);

export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name) || name.endsWith('.egg-info');
}

const TEST_FILE = /^(?:test_.*\.py|.*_test\.py|conftest\.py)$/;
const TEST_FOLDER = /^(?:tests?|testing)$/;

/** Test code sets app.debug legitimately: `tests/` folders, `test_*.py`, `*_test.py`, `conftest.py`. */
export function isTestPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const name = segments.at(-1) ?? '';
  return TEST_FILE.test(name) || segments.slice(0, -1).some((segment) => TEST_FOLDER.test(segment));
}
