// Bundles the extension and vscode-languageclient into one file, so the .vsix needs no node_modules
// (packaged with --no-dependencies). esbuild and the client library come from the repository root.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  outfile: 'dist/extension.js',
  minify: true,
  logLevel: 'warning',
});
