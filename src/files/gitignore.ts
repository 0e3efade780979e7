import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

interface Matcher {
  base: string;
  /** `base` with a trailing separator: a path below it starts with this. */
  prefix: string;
  rules: Ignore;
}

/**
 * The .gitignore files that apply to a tree, read from the repository root
 * down (also when the scan starts in a subfolder), plus .git/info/exclude.
 * A deeper file can re-include what a shallower one ignored, as in git.
 */
export class GitIgnore {
  private readonly matchers: Matcher[] = [];
  private readonly loaded = new Set<string>();
  private trackedIgnored: Set<string> | undefined;

  constructor(
    private readonly root: string,
    private readonly isGitRepository: boolean,
  ) {
    if (isGitRepository) this.addFile(root, join(root, '.git', 'info', 'exclude'));
  }

  /** Loads the .gitignore of a folder being walked (the walk already knows whether it has one). */
  addFolder(folder: string, hasGitignore: boolean): void {
    if (this.loaded.has(folder)) return;
    this.loaded.add(folder);
    if (hasGitignore) this.addFile(folder, join(folder, '.gitignore'));
  }

  /** Loads the .gitignore of `folder` and of every folder between it and the root. */
  loadFolder(folder: string): void {
    // Rules above the root belong to another repository (a parent that ignores this one).
    if (!isInside(this.root, folder)) return;
    const chain: string[] = [];
    for (let current = folder; ; current = dirname(current)) {
      chain.unshift(current);
      if (current === this.root || dirname(current) === current || !isInside(this.root, current)) break;
    }
    for (const dir of chain) {
      if (this.loaded.has(dir)) continue;
      this.loaded.add(dir);
      this.addFile(dir, join(dir, '.gitignore'));
    }
  }

  get hasRules(): boolean {
    return this.matchers.length > 0;
  }

  /** `path` is absolute and normalized, as the walk makes it: a prefix test tells what is below a base. */
  isIgnored(path: string, isFolder: boolean): boolean {
    let ignored = false;
    for (const { prefix, rules } of this.matchers) {
      if (!path.startsWith(prefix)) continue;
      const below = path.slice(prefix.length);
      const relativePath = (sep === '/' ? below : below.split(sep).join('/')) + (isFolder ? '/' : '');
      const result = rules.test(relativePath);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    // Ignore rules only keep untracked files out of git: a file committed before its rule is in every clone.
    return ignored && (isFolder || !this.isTracked(path));
  }

  /**
   * Whether git tracks a file its ignore rules match (a `.env` committed, then listed in .gitignore). git is
   * asked once, and only when the walk meets an ignored file of a checked kind. Without git (an exported
   * tree, a release archive, a build context) no rule says what is committed: a file present ships.
   */
  private isTracked(path: string): boolean {
    if (!this.isGitRepository) return true;
    this.trackedIgnored ??= trackedIgnoredFiles(this.root);
    return this.trackedIgnored.has(path);
  }

  private addFile(base: string, file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    this.matchers.push({
      base,
      prefix: base.endsWith(sep) ? base : base + sep,
      rules: ignore().add(compilablePatterns(text)),
    });
    this.matchers.sort((a, b) => a.base.length - b.base.length);
  }
}

/** The files git tracks that its ignore rules match, as absolute paths; none when git cannot say. */
function trackedIgnoredFiles(root: string): Set<string> {
  // Required here, not imported: node:child_process (with net, dgram and streams) costs ~3 ms to load, and
  // most checks never ask git.
  const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return new Set(
      listed
        .split('\0')
        .filter(Boolean)
        .map((path) => resolve(root, path)),
    );
  } catch {
    return new Set();
  }
}

// Longer than any path can be: only such a line can make a regular expression too large to compile.
const LONG_PATTERN = 4096;

/**
 * The .gitignore text without lines whose pattern the regex
 * engine refuses (a 100,000-character one): those match nothing.
 */
function compilablePatterns(text: string): string {
  if (text.length <= LONG_PATTERN) return text;
  return text
    .split('\n')
    .filter((line) => {
      if (line.length <= LONG_PATTERN) return true;
      try {
        ignore().add(line.replace(/^!/, '')).ignores('x');
        return true;
      } catch {
        return false;
      }
    })
    .join('\n');
}

export function isInside(folder: string, path: string): boolean {
  const relativePath = relative(folder, path);
  return (
    relativePath === '' ||
    (!relativePath.startsWith('..') && !relativePath.startsWith(sep) && !/^[A-Za-z]:/.test(relativePath))
  );
}
