// `npm run build` for `prepare`, after making sure the build tools are installed here.
// npm installs a git dependency by running `npm install` in its clone and then `prepare`;
// with `-g` (pre-commit's node hooks run `npm install -g git+file://<repo>`), npm passes
// npm_config_global=true on to that inner install, which then puts every dependency in the
// global prefix instead of the clone: tsc and esbuild are missing. Install them here first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const npmCli = process.env.npm_execpath;
function npm(args) {
  const result = npmCli
    ? spawnSync(process.execPath, [npmCli, ...args], { stdio: 'inherit' })
    : spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.env.npm_config_global === 'true' && !existsSync('node_modules/typescript')) {
  npm(['install', '--global=false', '--no-save', '--no-audit', '--no-fund', '--include=dev', '--ignore-scripts']);
}
npm(['run', 'build']);
