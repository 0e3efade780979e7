import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/python-env.js';

const EXTENSION = join(REPO_ROOT, 'editors', 'vscode');
const VSCE = join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
const python = inject('python');

// A .vsix is a zip: list it and read two members with the standard library.
const READ_VSIX = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as vsix:
    json.dump({'names': sorted(vsix.namelist()), 'manifest': vsix.read('extension/package.json').decode(), 'code': vsix.read('extension/dist/extension.js').decode()}, sys.stdout)
`;

describe('the VS Code extension (editors/vscode)', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'secure-flask-vsix-'));
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it('packages with vsce into a .vsix holding the manifest, the README and one bundled file that starts `secure-flask server`', async () => {
    const vsix = join(workdir, 'secure-flask.vsix');
    // vscode:prepublish bundles src/extension.ts with vscode-languageclient: the package needs no node_modules.
    const packaged = await execa(VSCE, ['package', '--no-dependencies', '--skip-license', '--out', vsix], {
      cwd: EXTENSION,
      reject: false,
      stdin: 'ignore',
    });
    expect(packaged.exitCode, packaged.stderr + packaged.stdout).toBe(0);
    const { stdout } = await execa(python, ['-c', READ_VSIX, vsix]);
    const contents = JSON.parse(stdout) as { names: string[]; manifest: string; code: string };
    expect(contents.names).toEqual([
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/dist/extension.js',
      'extension/package.json',
      'extension/readme.md',
    ]);
    const manifest = JSON.parse(contents.manifest) as {
      name: string;
      main: string;
      engines: { vscode: string };
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.configuration.properties['secureFlask.command']?.default).toEqual([
      'secure-flask',
      'server',
    ]);
    // The client library is inside the bundle; only VS Code's own API is loaded from outside.
    expect(contents.code).toMatch(/require\("vscode"\)/);
    expect(contents.code).not.toMatch(/require\("vscode-languageclient/);
    expect(contents.code).toContain('secureFlask');
    expect(readFileSync(join(EXTENSION, 'package.json'), 'utf8')).toContain('"vscode:prepublish": "node build.mjs"');
  });

  it('type-checks against the VS Code API it declares (engines.vscode)', async () => {
    const result = await execa(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsc'),
      ['-p', join(EXTENSION, 'tsconfig.json')],
      { reject: false },
    );
    expect(result.exitCode, result.stdout).toBe(0);
  });
});
