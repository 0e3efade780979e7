import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../core/package-root.js';

/**
 * Bundles the compiled bins and the check worker into dist/bin: a few files
 * instead of ~40 ES modules. Loading them costs each process (and each worker
 * thread) about 40 ms less, which is most of what start-up and `check` on a
 * large tree spend outside parsing. The package's dependencies stay in
 * node_modules (they load lazily); the two small CommonJS libraries every
 * check needs (ignore, picocolors) are dev dependencies bundled in, so a check
 * never starts Node's CommonJS loader (measured: about 30 ms of every run).
 * Commands stay lazy too: dynamic imports become separate chunks. `yaml` is bundled the
 * same way, from its ES module build (its Node entry is CommonJS): the chunk loads only
 * when a compose or Kubernetes file is parsed, through the ES module loader.
 * smol-toml and fast-string-width (small ES modules every check loads) are bundled too: resolving a
 * package in node_modules and loading its files one by one cost a check ~10 ms of its start.
 * The Python grammar (WebAssembly, from the tree-sitter-python dev dependency) is copied beside them:
 * the package ships it, so installing it runs no install script and needs no compiler.
 */
const root = packageRoot();
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const outdir = join(root, 'dist', 'bin');
// Dependencies bundled into the chunks rather than loaded from node_modules (see above).
const BUNDLED = new Set(['yaml', 'smol-toml', 'fast-string-width']);
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['src/bin/secure-flask.js', 'src/bin/create-secure-flask.js', 'src/check/worker.js'].map((entry) =>
    join(root, 'dist', entry),
  ),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  alias: {
    yaml: createRequire(import.meta.url)
      .resolve('yaml')
      .replace(/dist[\\/]index\.js$/, join('browser', 'index.js')),
  },
  outdir,
  // Flat names: the pool finds its worker as ./worker.js beside whichever chunk holds it.
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});

// The grammars (WebAssembly) ship in their packages: copied
// beside the bundle, loaded by src/files/tree-sitter-runtime.ts.
for (const grammar of ['tree-sitter-python', 'tree-sitter-bash']) {
  copyFileSync(createRequire(import.meta.url).resolve(`${grammar}/${grammar}.wasm`), join(outdir, `${grammar}.wasm`));
}
