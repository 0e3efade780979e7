import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { compiledParts, WASM_FLAGS } from '../core/compiled-parts.js';

/**
 * Runs one of the CLI's CommonJS bundles (dist/bin/check-cli.cjs, migrate-cli.cjs) with V8's code cache.
 * Node 20 keeps no code cache for ES modules (module.enableCompileCache is Node 22), so compiling the CLI's
 * code cost every run ~30 ms of its ~200: compiled here as one script, the bytecode V8 made for it the first
 * time is read back from the user's cache folder instead. The cache is an optimisation only: a folder that
 * cannot be read or written, a file that is missing, stale or corrupt, costs the compile and nothing else.
 * It can never change a result: its name carries the bundle's content hash (written by the build into the
 * bundle's first line), the bundle's size and modification time and the Node/V8 version and platform, and V8
 * itself rejects data made for other source or other flags (then the file is written anew).
 */
export function runBundle(bundle: string): void {
  // The parser's flags, set before anything compiles: the cache is made and read under the same flags.
  setFlagsFromString(WASM_FLAGS);
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = cacheFileFor(bundle, source);
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  if (!cacheFile) return;
  // Made when the run ends, so it holds the code the run compiled on the way (the parsers, the rules), not
  // only the bundle's top level: again when this run compiled a part the cached run had not.
  process.once('exit', () => {
    const usable = cached && !script.cachedDataRejected ? cached.parts : 0;
    const parts = compiledParts() | usable;
    if (!cached || script.cachedDataRejected || parts !== usable)
      save(bundle, cacheFile, Buffer.concat([Buffer.of(parts), script.createCachedData()]));
  });
}

/** A cache file: one byte of the parts its run compiled (core/compiled-parts.ts), then V8's data. */
function readCache(cacheFile: string): { parts: number; data: Buffer } | undefined {
  try {
    const bytes = readFileSync(cacheFile);
    return bytes.length > 1 ? { parts: bytes[0] ?? 0, data: bytes.subarray(1) } : undefined;
  } catch {
    return undefined;
  }
}

/** `// secure-flask bundle <sha256>`: the build's first line of the bundle. */
const BUNDLE_HASH = /^\/\/ secure-flask bundle ([0-9a-f]{16,64})\n/;

function cacheFileFor(bundle: string, source: string): string | undefined {
  const hash = BUNDLE_HASH.exec(source)?.[1];
  const folder = cacheFolder();
  if (!hash || !folder) return undefined;
  try {
    const { size, mtimeMs } = statSync(bundle);
    const runtime = `${process.versions.v8}-${process.platform}-${process.arch}`;
    const build = `${hash.slice(0, 32)}-${size}-${Math.trunc(mtimeMs)}`;
    const name = `${cachePrefixOf(bundle)}${build}-${runtime}${FORMAT}.cache`;
    return join(folder, name);
  } catch {
    return undefined;
  }
}

const CACHE_PREFIX = 'cli-';
// Files of the format readCache reads (the parts byte first); older ones are V8's data alone.
const FORMAT = '-p1';

/** `cli-check-`: each bundle's caches are named after it, so one bundle never drops another's. */
const cachePrefixOf = (bundle: string) => `${CACHE_PREFIX}${basename(bundle, '.cjs').replace(/-cli$/, '')}-`;

/** Caches named before there was more than one bundle: `cli-<hash>-...`. */
const UNNAMED_CACHE = /^cli-[0-9a-f]{32}-/;

/** The per-user cache folder: XDG_CACHE_HOME, or the platform's own place for caches. */
function cacheFolder(): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, 'secure-flask');
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'secure-flask');
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'secure-flask');
  return join(home, '.cache', 'secure-flask');
}

// Caches of other builds are dropped once this old: two installs run in turn (a global one and a
// project's) must not delete each other's cache on every run.
const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;

/**
 * Writes the cache whole or not at all (a temporary file renamed), and drops this bundle's stale caches
 * of other builds.
 */
function save(bundle: string, cacheFile: string, data: Buffer): void {
  const folder = dirname(cacheFile);
  const prefix = cachePrefixOf(bundle);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, cacheFile);
    const staleBefore = Date.now() - STALE_AFTER_MS;
    for (const name of readdirSync(folder)) {
      const other = join(folder, name);
      const ours = name.startsWith(prefix) || UNNAMED_CACHE.test(name);
      if (ours && other !== cacheFile && statSync(other).mtimeMs < staleBefore) rmSync(other, { force: true });
    }
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written that needs removing.
    }
  }
}
