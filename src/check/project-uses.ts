import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { isTestPath } from '../files/file-kinds.js';
import { readSourceFile } from '../files/source-text.js';
import { readsModuleAttribute, readsName } from '../python/config-map-use.js';
import type { ProjectModules } from './project-modules.js';

// Past this many Python files, reading them all to learn whether one uses a name costs more than it tells.
const MAX_SCANNED_FILES = 3000;

/**
 * Who uses a name across the project: whether a config map or class is read by another module, whether a
 * factory is ever called without arguments. Text first (a word search), parsed only where the word is.
 */
export class ProjectUses {
  private readonly readElsewhereCache = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    private readonly pythonFiles: string[],
    private readonly modules: ProjectModules,
  ) {}

  /**
   * True when another module of the project imports `name` from `file` and reads it: `from config
   * import config_by_name` then `config_by_name[...]`, or `import config` then `config.config_by_name`.
   * Test code aside; past MAX_SCANNED_FILES candidates, taken as read.
   */
  isReadElsewhere(file: string, name: string): boolean {
    const key = `${file}\0${name}`;
    const cached = this.readElsewhereCache.get(key);
    if (cached !== undefined) return cached;
    const word = new RegExp(`\\b${name}\\b`);
    const candidates = this.pythonFiles.filter(
      (path) => path !== file && !isTestPath(relative(this.root, path).split(sep).join('/')),
    );
    const found =
      candidates.length > MAX_SCANNED_FILES ||
      candidates.some((path) => {
        const read = readSourceFile(path, true);
        return read.ok && word.test(read.source.text) && this.readsImported(path, file, name);
      });
    this.readElsewhereCache.set(key, found);
    return found;
  }

  private readsImported(importer: string, file: string, name: string): boolean {
    const facts = this.modules.facts(importer);
    if (!facts) return false;
    const resolvesToFile = (module: string, level: number) =>
      this.modules.modulePaths(module, level, importer).includes(file);
    for (const [local, binding] of facts.imports) {
      if (binding.name === name && resolvesToFile(binding.module, binding.level) && readsName(facts, local))
        return true;
      // The module itself bound: `import config`, `import app.config as settings`, `from app import config`.
      const module = binding.name === null ? binding.module : [binding.module, binding.name].filter(Boolean).join('.');
      if (resolvesToFile(module, binding.level) && readsModuleAttribute(facts, local, name)) return true;
    }
    // `from_object("config.Config")`; or a path into the file that an environment variable may replace
    // (`from_object(os.getenv("APP_SETTINGS", "config.DevelopmentConfig"))` can name any class there).
    const byVariable = /\b(?:getenv|environ)\b/.test(facts.source);
    for (const match of facts.source.matchAll(/['"]([\w.]+)\.(\w+)['"]/g))
      if ((match[2] === name || byVariable) && resolvesToFile(match[1] ?? '', 0)) return true;
    return facts.starImports.some((module) => resolvesToFile(module, 0)) && readsName(facts, name);
  }

  /**
   * True when some module around `file` calls `name` with no arguments (`app = create_app()`), tests aside; or, for a
   * create_app/make_app that no module calls at all, true too: Flask's CLI finds it and calls it bare.
   */
  factoryCalledBare(name: string, file: string): boolean {
    const bare = new RegExp(`\\b${name}\\s*\\(\\s*\\)`);
    const call = new RegExp(`(?<!\\bdef\\s+)\\b${name}\\s*\\(`);
    // Callers import the factory: they sit beside its outermost package (or above a src/ that holds it).
    let scope = dirname(file);
    while (existsSync(join(scope, '__init__.py')) && scope !== this.root && dirname(scope) !== scope)
      scope = dirname(scope);
    if (basename(scope) === 'src' && scope !== this.root) scope = dirname(scope);
    const files = this.pythonFiles.filter(
      (path) => path.startsWith(scope + sep) && !isTestPath(relative(this.root, path).split(sep).join('/')),
    );
    if (files.length > MAX_SCANNED_FILES) return true;
    let called = false;
    for (const path of files) {
      const read = readSourceFile(path, true);
      if (!read.ok || !read.source.text.includes(name)) continue;
      if (bare.test(read.source.text)) return true;
      called ||= call.test(read.source.text);
    }
    return !called && /^(?:create|make)_app$/.test(name);
  }
}
