import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../core/package-root.js';

/**
 * Bundles the compiled bins and the check worker into dist/bin: a few files
 * instead of ~40 ES modules. Loading them costs each process (and each worker
 * thread) about 40 ms less, which is most of what start-up and `check` on a
 * large tree spend outside parsing. `secure-flask check` and `secure-flask
 * migrate` are one CommonJS file each (check-cli.cjs, migrate-cli.cjs) that
 * bin/secure-flask.js compiles through V8's code cache (Node 20 caches no ES
 * module code): ~35 ms less of a ~210 ms check on a small repository. The other
 * commands load as ES modules, lazily: dynamic imports
 * become separate chunks. The package's dependencies stay in node_modules (they
 * load lazily); the two small CommonJS libraries every check needs (ignore,
 * picocolors) are dev dependencies bundled in. `yaml` is bundled the same way,
 * from its ES module build (its Node entry is CommonJS): its code runs only when
 * a compose or Kubernetes file is parsed. smol-toml and fast-string-width (small
 * ES modules every check loads) are bundled too: resolving a package in
 * node_modules and loading its files one by one cost a check ~10 ms of its start.
 * `diff` (every migrate loads it; its CommonJS entry requires ~20 files, ~9 ms)
 * is bundled from its ES module build, of which only the two functions used stay. web-tree-sitter (every
 * check that parses loads it) is bundled too: from node_modules it was resolved through its exports map and
 * compiled anew by the CommonJS loader on every run; in the bundle its code comes from the code cache.
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
const BUNDLED = new Set(['yaml', 'smol-toml', 'fast-string-width', 'diff', 'web-tree-sitter']);
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
  // all-commands and top-level-help are entries too: secure-flask.cjs (below) imports them by name.
  entryPoints: [
    'src/bin/secure-flask.js',
    'src/bin/create-secure-flask.js',
    'src/check/worker.js',
    'src/bin/all-commands.js',
    'src/cli/top-level-help.js',
  ].map((entry) => join(root, 'dist', entry)),
  splitting: true,
  format: 'esm',
  // Flat names: the pool finds its worker as ./worker.js beside whichever chunk holds it.
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
});

// `secure-flask check` and `secure-flask migrate`: one CommonJS file each, so that bin/secure-flask.js can
// compile it through V8's code cache (src/bin/code-cache.ts). Dynamic imports become requires (the external
// packages they load have CommonJS entries; execa, an ES module only, is left out of both) and import.meta.url
// is the bundle's own URL: the worker, the grammars and package.json are found beside it as before. Two files,
// not one for both: each keeps its own cache entry, holding the code its command compiled on its first run.
for (const command of ['check', 'migrate']) {
  const bundle = join(outdir, `${command}-cli.cjs`);
  await build({
    ...shared,
    entryPoints: { [`${command}-cli`]: join(root, 'dist', 'src', 'bin', `${command}-cli.js`) },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': 'importMetaUrl' },
    // web-tree-sitter's CommonJS build: its ES module build declares its own `require`, which shadows the bundle's.
    alias: { ...shared.alias, 'web-tree-sitter': createRequire(import.meta.url).resolve('web-tree-sitter') },
    banner: { js: 'var importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  // Its first line names its content: the code cache is kept per bundle (src/bin/code-cache.ts).
  const source = readFileSync(bundle, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex');
  writeFileSync(bundle, `// secure-flask bundle ${hash}\n${source}`);
  assertNoEsModuleRequired(bundle, source);
}
// The package's bin (package.json): bin/secure-flask.js as CommonJS. Node starts an ES module entry through its ES
// module loader, and builds each builtin it imports as an ES module (node:fs with its promises, readline and
// streams): ~7 ms of every run that `check` and `migrate` (CommonJS bundles) do not need. Every other command
// imports its ES module entry (all-commands.js, top-level-help.js) as before.
await build({
  ...shared,
  entryPoints: { 'secure-flask': join(root, 'dist', 'src', 'bin', 'secure-flask.js') },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: 'var importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [
    {
      name: 'esm-entries-beside',
      setup(plugin) {
        plugin.onResolve({ filter: /^(?:\.\/all-commands|\.\.\/cli\/top-level-help)\.js$/ }, (found) => ({
          path: `./${basename(found.path)}`,
          external: true,
        }));
      },
    },
  ],
});
// The grammars (WebAssembly) ship in their packages: copied
// beside the bundle, loaded by src/files/tree-sitter-runtime.ts.
for (const grammar of ['tree-sitter-python', 'tree-sitter-bash']) {
  copyFileSync(createRequire(import.meta.url).resolve(`${grammar}/${grammar}.wasm`), join(outdir, `${grammar}.wasm`));
}
// web-tree-sitter's runtime, bundled (see above), finds its own WebAssembly beside the file it runs from.
copyFileSync(
  createRequire(import.meta.url).resolve('web-tree-sitter/web-tree-sitter.wasm'),
  join(outdir, 'web-tree-sitter.wasm'),
);

/**
 * Node 20 cannot require an ES module (ERR_REQUIRE_ESM): a bundle that requires a package whose entry for
 * require is one would fail at run time, on the path that loads it. Fails the build instead.
 */
function assertNoEsModuleRequired(bundle: string, source: string): void {
  const requireFrom = createRequire(bundle);
  for (const [, name = ''] of source.matchAll(/\brequire\("([^"]+)"\)/g)) {
    if (name.startsWith('node:')) continue;
    const entry = requireFrom.resolve(name);
    let folder = dirname(entry);
    while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
    const { type } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { type?: string };
    if (entry.endsWith('.mjs') || (entry.endsWith('.js') && type === 'module'))
      throw new Error(
        `${bundle} requires ${name}, an ES module (${entry}): import it only where the bundle never goes`,
      );
  }
}
