import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../core/package-root.js';

/**
 * Bundles the compiled bins and the check worker into dist/bin: a few files
 * instead of ~40 ES modules. Loading them costs each process (and each worker
 * thread) about 40 ms less, which is most of what start-up and `check` on a
 * large tree spend outside parsing. `secure-flask check` is one CommonJS file
 * (check-cli.cjs) that bin/secure-flask.js compiles through V8's code cache
 * (Node 20 caches no ES module code): ~35 ms less of a ~210 ms check on a small
 * repository. The other commands load as ES modules, lazily: dynamic imports
 * become separate chunks. The package's dependencies stay in node_modules (they
 * load lazily); the two small CommonJS libraries every check needs (ignore,
 * picocolors) are dev dependencies bundled in. `yaml` is bundled the same way,
 * from its ES module build (its Node entry is CommonJS): its code runs only when
 * a compose or Kubernetes file is parsed. smol-toml and fast-string-width (small
 * ES modules every check loads) are bundled too: resolving a package in
 * node_modules and loading its files one by one cost a check ~10 ms of its start.
 * The grammars (WebAssembly, from the tree-sitter-python and tree-sitter-bash dev
 * dependencies) are copied beside them: the package ships them, so installing it
 * runs no install script and needs no compiler.
 */
const root = packageRoot();
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const outdir = join(root, 'dist', 'bin');
// Dependencies bundled into the chunks rather than loaded from node_modules (see above).
const BUNDLED = new Set(['yaml', 'smol-toml', 'fast-string-width']);
rmSync(outdir, { recursive: true, force: true });
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  alias: {
    yaml: createRequire(import.meta.url)
      .resolve('yaml')
      .replace(/dist[\\/]index\.js$/, join('browser', 'index.js')),
  },
  outdir,
  logLevel: 'warning',
} as const;
await build({
  ...shared,
  entryPoints: ['src/bin/secure-flask.js', 'src/bin/create-secure-flask.js', 'src/check/worker.js'].map((entry) =>
    join(root, 'dist', entry),
  ),
  splitting: true,
  format: 'esm',
  // Flat names: the pool finds its worker as ./worker.js beside whichever chunk holds it.
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
});

// `secure-flask check`: one CommonJS file, so that bin/secure-flask.js can compile it through V8's code
// cache (src/bin/code-cache.ts). Dynamic imports become requires (the external packages check loads have
// CommonJS entries) and import.meta.url is the bundle's own URL: the worker, the grammars and package.json
// are found beside it as before.
const CLI_BUNDLE = join(outdir, 'check-cli.cjs');
await build({
  ...shared,
  entryPoints: { 'check-cli': join(root, 'dist', 'src', 'bin', 'check-cli.js') },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: 'var importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// Its first line names its content: the code cache is kept per bundle (src/bin/code-cache.ts).
const cliSource = readFileSync(CLI_BUNDLE, 'utf8');
const cliHash = createHash('sha256').update(cliSource).digest('hex');
writeFileSync(CLI_BUNDLE, `// secure-flask bundle ${cliHash}\n${cliSource}`);
// The grammars (WebAssembly) ship in their packages: copied
// beside the bundle, loaded by src/files/tree-sitter-runtime.ts.
for (const grammar of ['tree-sitter-python', 'tree-sitter-bash']) {
  copyFileSync(createRequire(import.meta.url).resolve(`${grammar}/${grammar}.wasm`), join(outdir, `${grammar}.wasm`));
}
