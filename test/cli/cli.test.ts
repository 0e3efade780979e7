import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecureFlask, secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/repo-root.js';

const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('secure-flask command line', () => {
  it('prints help listing every command and exits 0', async () => {
    const result = await secureFlask(['--help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['check', 'migrate', 'create', 'rules', 'explain', 'server'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  // Alone, these are answered without the command table (bin/secure-flask.ts); with another argument
  // (--color) through it: both ways print the same.
  it.each([[[]], [['--help']], [['-h']], [['help']], [['--version']], [['-v']]])(
    'secure-flask %j prints what it prints through the command table',
    async (args) => {
      const alone = await secureFlask(args);
      expect(alone.exitCode).toBe(0);
      expect(alone.stdout).not.toBe('');
      expect(await secureFlask(['--color', 'never', ...args])).toEqual(alone);
    },
  );

  it('prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await secureFlask([flag]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });

  it.each([['check'], ['migrate'], ['create'], ['rules'], ['explain'], ['server']])(
    '%s --help exits 0 with a usage line',
    async (command) => {
      const result = await secureFlask([command, '--help']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Usage: /m);
    },
  );

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [
      ['check', '--frobnicate'],
      /^secure-flask check: error: unknown option '--frobnicate' \(see 'secure-flask check --help'\)$/,
    ],
    [['check', '--format'], /^secure-flask check: error: --format needs a value/],
    [['check', '--format', 'xml'], /--format must be one of text, json, sarif, github, gitlab, junit \(got 'xml'\)/],
    [['check', '--jobs', 'zero'], /--jobs must be a whole number/],
    [['check', 'no/such/path'], /no such file or directory: no\/such\/path/],
    [['explain'], /give exactly one rule id/],
    [['explain', 'no-such-rule'], /unknown rule 'no-such-rule'/],
    [['rules', 'extra'], /^secure-flask rules: error: unexpected argument 'extra': this command takes none/],
    [['server', 'extra'], /^secure-flask server: error: unexpected argument 'extra': this command takes none/],
  ])('rejects %j with one line on stderr and exit 2', async (args, message) => {
    const result = await secureFlask(args);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('create-secure-flask command line', () => {
  it('prints help and version', async () => {
    const help = await createSecureFlask(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: create-secure-flask/m);
    const versionResult = await createSecureFlask(['--version']);
    expect(versionResult.stdout.trim()).toBe(version);
  });

  it('rejects unknown flags with exit 2', async () => {
    const result = await createSecureFlask(['--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^create-secure-flask: error: unknown option '--frobnicate'/);
  });
});
