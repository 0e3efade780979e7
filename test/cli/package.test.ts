import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LspClient } from '../support/lsp-client.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { must } from '../support/must.js';

// The published package, installed the way users get it: from the tarball into an empty folder.
describe('the npm package', () => {
  let workdir: string;
  let tarball: string;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'secure-flask-pack-'));
    const packed = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workdir], {
      cwd: REPO_ROOT,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(workdir, must(info).filename);
    writeFileSync(join(workdir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // No compiler: the parser is WebAssembly, so nothing may need node-gyp (a native build would fail here).
    await execa('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: workdir,
      env: { CC: '/bin/false', CXX: '/bin/false' },
    });
  }, 300_000);

  it('installs without any install script, so no platform needs a compiler or a prebuilt binary', () => {
    const modules = join(workdir, 'node_modules');
    const manifests = readdirSync(modules).flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(join(modules, name)).map((scoped) => join(modules, name, scoped))
        : name.startsWith('.')
          ? []
          : [join(modules, name)],
    );
    const withScripts = manifests.filter((folder) => {
      const { scripts = {} } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      return ['preinstall', 'install', 'postinstall'].some((hook) => hook in scripts);
    });
    expect(manifests.map((folder) => folder.slice(modules.length + 1))).toContain('web-tree-sitter');
    expect(withScripts).toEqual([]);
  });

  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it('ships the built code, the templates and the README, and nothing else', async () => {
    const packed = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    const [info] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
    const paths = must(info).files.map((file) => file.path);
    expect(paths).toContain('dist/bin/secure-flask.js');
    expect(paths).toContain('dist/bin/secure-flask.cjs');
    expect(paths).toContain('dist/bin/create-secure-flask.js');
    expect(paths).toContain('dist/bin/worker.js');
    expect(paths).toContain('dist/bin/check-cli.cjs');
    expect(paths).toContain('dist/bin/tree-sitter-python.wasm');
    expect(paths).toContain('dist/bin/tree-sitter-bash.wasm');
    expect(paths).toContain('dist/bin/web-tree-sitter.wasm');
    expect(paths).toContain('templates/project/wsgi.py.hbs');
    expect(paths).toContain('README.md');
    const unexpected = paths.filter(
      (path) =>
        !/^(dist\/bin\/[\w.-]+\.c?js|dist\/bin\/(?:web-tree-sitter|tree-sitter-python|tree-sitter-bash)\.wasm|templates\/.+|README\.md|package\.json|LICENSE)$/.test(
          path,
        ),
    );
    expect(unexpected).toEqual([]);
    // The VS Code extension is published on its own (a .vsix), never inside the npm package.
    expect(paths.filter((path) => path.startsWith('editors/'))).toEqual([]);
  });

  it('secure-flask server from the installed tarball answers initialize (its protocol libraries are dependencies)', async () => {
    const client = new LspClient(
      workdir,
      join(workdir, 'node_modules', 'create-secure-flask', 'dist', 'bin', 'secure-flask.js'),
    );
    try {
      const reply = await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
      expect((reply.result as { serverInfo: { name: string } }).serverInfo.name).toBe('secure-flask');
      expect(await client.shutdown()).toBe(0);
    } finally {
      client.kill();
    }
  });

  it.each([['secure-flask'], ['create-secure-flask']])(
    'npx %s --help works from the installed tarball',
    async (bin) => {
      const result = await execa('npx', ['--no-install', bin, '--help'], { cwd: workdir, env: { NO_COLOR: '1' } });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`Usage: ${bin === 'secure-flask' ? 'secure-flask <command>' : 'create-secure-flask'}`),
      );
    },
  );

  it('the installed secure-flask check parses Python with WebAssembly tree-sitter in worker threads and inline, with the same result', async () => {
    const project = join(workdir, 'project');
    await execa('mkdir', ['-p', project]);
    // Enough files that workers screen them (2,000: src/check/pool.ts), and enough Python to parse
    // (30 x 72 KB, over 2 MiB) that workers parse it too. Statements, not comments: tree-sitter-python's
    // scanner takes time quadratic in a run of comment lines (1,300 of them: over a second a file).
    for (let index = 0; index < 2000; index++) writeFileSync(join(project, `module_${index}.py`), 'debug = False\n');
    const padding = 'padding_value = 12345678\n'.repeat(3000);
    for (let index = 0; index < 30; index++)
      writeFileSync(
        join(project, `app_${index}.py`),
        `from flask import Flask\n${padding}app = Flask(__name__)\napp.run(debug=True)\n`,
      );
    const threaded = await execa(
      'npx',
      ['--no-install', 'secure-flask', 'check', project, '--format', 'json', '--jobs', '3'],
      { cwd: workdir, reject: false },
    );
    expect(threaded.exitCode, threaded.stderr).toBe(1);
    const inline = await execa(
      'npx',
      ['--no-install', 'secure-flask', 'check', project, '--format', 'json', '--jobs', '1'],
      { cwd: workdir, reject: false },
    );
    expect(threaded.stdout).toBe(inline.stdout);
    const report = JSON.parse(threaded.stdout) as {
      findings: { ruleId: string; path: string }[];
      summary: { filesChecked: number };
    };
    expect(report.findings).toHaveLength(30);
    expect(new Set(report.findings.map((finding) => finding.ruleId))).toEqual(new Set(['run-debug']));
    expect(report.summary.filesChecked).toBe(2030);
  });

  it('npx create-secure-flask demo --yes makes a project whose own tests and check pass', async () => {
    const result = await execa(
      'npx',
      ['--no-install', 'create-secure-flask', 'demo', '--yes', '--no-install', '--server', 'both'],
      { cwd: workdir, reject: false, all: true },
    );
    expect(result.exitCode, result.all).toBe(0);
    const project = join(workdir, 'demo');
    const pytest = await execa(inject('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: project,
      reject: false,
      all: true,
      env: { FLASK_DEBUG: '', APP_ENV: '' },
    });
    expect(pytest.exitCode, pytest.all).toBe(0);
    const check = await execa('npx', ['--no-install', 'secure-flask', 'check', 'demo'], {
      cwd: workdir,
      reject: false,
    });
    expect(check.exitCode, check.stdout).toBe(0);
  });
});
