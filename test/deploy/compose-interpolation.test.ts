import { describe, expect, it } from 'vitest';
import { interpolateCompose } from '../../src/deploy/formats/compose-interpolation.js';
import { loadDeployModel } from '../../src/deploy/model-loader.js';
import { debugVariableEffect } from '../../src/deploy/debug-variables.js';
import { debugPassThrough, interpolationNote } from '../../src/deploy/model-findings.js';
import { withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import type { DeployModel, EnvSetting } from '../../src/deploy/model.js';
import { must } from '../support/must.js';

const nothingSet = () => undefined;

describe("compose's variable interpolation", () => {
  it.each([
    // [written, what .env sets, value, unresolved]
    ['${DEBUG}', {}, '', ['DEBUG']],
    ['$DEBUG', {}, '', ['DEBUG']],
    ['${DEBUG:-1}', {}, '1', ['DEBUG']],
    ['${DEBUG-1}', {}, '1', ['DEBUG']],
    ['${DEBUG:?set DEBUG}', {}, '', ['DEBUG']],
    ['${DEBUG?set DEBUG}', {}, '', ['DEBUG']],
    ['${DEBUG:+1}', {}, '', ['DEBUG']],
    ['${DEBUG}', { DEBUG: 'False' }, 'False', []],
    ['${DEBUG:-1}', { DEBUG: '' }, '1', []],
    ['${DEBUG-1}', { DEBUG: '' }, '', []],
    ['${DEBUG:+1}', { DEBUG: '0' }, '1', []],
    ['${DEBUG:-${FALLBACK:-true}}', {}, 'true', ['DEBUG', 'FALLBACK']],
    ['x${DEBUG}', {}, 'x', ['DEBUG']],
  ] as const)('%s with .env %o is %j, unresolved %o', (written, env, value, unresolved) => {
    const lookup = (name: string) => (env as Record<string, string>)[name];
    expect(interpolateCompose(written, lookup)).toMatchObject({ value, unresolved });
  });

  it('$$ is a literal dollar, and text without a reference is not interpolated', () => {
    expect(interpolateCompose('$$DEBUG', nothingSet)).toBeUndefined();
    expect(interpolateCompose('1', nothingSet)).toBeUndefined();
    expect(interpolateCompose('$$x${A}', nothingSet)?.value).toBe('$x');
  });
});

/** The compose service's FLASK_DEBUG setting in an in-memory repository at /repo. */
async function flaskDebugOf(files: Record<string, string>, ignored: string[] = []): Promise<EnvSetting> {
  const model: DeployModel = await withShellGrammar(() =>
    loadDeployModel({
      root: '/repo',
      files: [{ path: '/repo/compose.yaml', kind: 'yaml' }],
      readText: (path) => files[path],
      isGitIgnored: (path) => ignored.includes(path),
    }),
  );
  return must(model.entrypoints[0]?.environment.find((setting) => setting.name === 'FLASK_DEBUG'));
}

const compose = (value: string) =>
  `services:\n  web:\n    image: app\n    command: gunicorn app:app\n    environment:\n      - FLASK_DEBUG=${value}\n`;

describe('FLASK_DEBUG in a compose file that refers to a variable', () => {
  it('takes the value from the committed .env beside the compose file: DEBUG=False is off, DEBUG=1 is on', async () => {
    const off = await flaskDebugOf({ '/repo/compose.yaml': compose('${DEBUG}'), '/repo/.env': 'DEBUG=False\n' });
    expect(off.value).toBe('False');
    expect(debugVariableEffect(off.name, off.value)).toBeUndefined();
    expect(debugPassThrough(off)).toBeUndefined();
    const on = await flaskDebugOf({ '/repo/compose.yaml': compose('${DEBUG}'), '/repo/.env': 'DEBUG="1"\n' });
    expect(debugVariableEffect(on.name, on.value)).toContain("turns Flask's debug mode");
    expect(interpolationNote(on)).toBe('FLASK_DEBUG=${DEBUG} is "1" from .env: ');
  });

  it('a git-ignored .env is a developer’s own: the variable stays unresolved, a warning that names it', async () => {
    const setting = await flaskDebugOf({ '/repo/compose.yaml': compose('${DEBUG}'), '/repo/.env': 'DEBUG=1\n' }, [
      '/repo/.env',
    ]);
    expect(setting.value).toBe('');
    expect(debugVariableEffect(setting.name, setting.value)).toBeUndefined();
    expect(debugPassThrough(setting)?.message).toContain(
      'FLASK_DEBUG=${DEBUG}: debug mode is on when DEBUG is set to a value other than 0/false/no ' +
        'in the environment that runs compose',
    );
  });

  it('unset with no default is empty (off): a warning; a default that is on is what production gets: an error', async () => {
    for (const written of ['${DEBUG}', '$DEBUG', '${DEBUG:?DEBUG is required}', '${DEBUG:+1}']) {
      const setting = await flaskDebugOf({ '/repo/compose.yaml': compose(written) });
      expect(debugVariableEffect(setting.name, setting.value), written).toBeUndefined();
      expect(debugPassThrough(setting)?.message, written).toContain(
        `FLASK_DEBUG=${written}: debug mode is on when DEBUG`,
      );
    }
    for (const written of ['${DEBUG:-1}', '${DEBUG-true}']) {
      const setting = await flaskDebugOf({ '/repo/compose.yaml': compose(written) });
      expect(debugVariableEffect(setting.name, setting.value), written).toBeDefined();
      expect(debugPassThrough(setting), written).toBeUndefined();
      expect(interpolationNote(setting), written).toMatch(
        /^FLASK_DEBUG=\$\{DEBUG:?-(?:1|true)\} is "(?:1|true)" while DEBUG is unset: $/,
      );
    }
  });

  it("a default the file writes that is off is the author's off: no finding (FLASK_ENV=${FLASK_ENV:-production})", async () => {
    const compose =
      'services:\n  web:\n    image: app\n    environment:\n      FLASK_ENV: ${FLASK_ENV:-production}\n' +
      '      FLASK_DEBUG: ${DEBUG:-0}\n';
    const model = await withShellGrammar(() =>
      loadDeployModel({
        root: '/repo',
        files: [{ path: '/repo/compose.yaml', kind: 'yaml' }],
        readText: () => compose,
      }),
    );
    const settings = must(model.entrypoints[0]).environment;
    expect(settings.map((setting) => [setting.name, setting.value, setting.interpolation?.undefaulted])).toEqual([
      ['FLASK_ENV', 'production', []],
      ['FLASK_DEBUG', '0', []],
    ]);
    expect(
      settings.map((setting) => debugVariableEffect(setting.name, setting.value) ?? debugPassThrough(setting)),
    ).toEqual([undefined, undefined]);
  });

  it("the warning names what a git-ignored .env sets, as a developer's own", async () => {
    const setting = await flaskDebugOf({ '/repo/compose.yaml': compose('${DEBUG}'), '/repo/.env': 'DEBUG=True\n' }, [
      '/repo/.env',
    ]);
    expect(debugPassThrough(setting)?.message).toContain(
      "; the .env beside the file sets DEBUG=True, but git ignores it: a developer's own, unless it was committed anyway)",
    );
  });
});
