import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CREATE_BIN } from '../support/cli.js';
import { inTerminal, KEY } from '../support/terminal.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let folder: TempProject;
afterEach(() => folder?.remove());

const command = (flags = '') => `${process.execPath} ${CREATE_BIN} ${flags}`;

describe('create-secure-flask in a terminal', () => {
  it('asks for each answer, shows a summary and the next steps', async () => {
    folder = tempProject('secure-flask-tty-');
    const session = inTerminal(command('--no-install --no-git'), folder.root);
    await session.waitFor(/Project folder/);
    await session.type('shop-api');
    await session.type(KEY.enter);
    await session.waitFor(/WSGI server for production/);
    await session.type(KEY.down); // gunicorn -> waitress
    await session.type(KEY.enter);
    await session.waitFor(/Continuous integration/);
    await session.type(KEY.down); // GitHub Actions -> GitLab CI
    await session.type(KEY.enter);
    await session.waitFor(/Add a Dockerfile\?/);
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/Python package name: shop_api/);
    expect(output).toMatch(/Next steps:/);
    const project = join(folder.root, 'shop-api');
    expect(readFileSync(join(project, 'Procfile'), 'utf8')).toMatch(/waitress-serve/);
    expect(existsSync(join(project, '.gitlab-ci.yml'))).toBe(true);
    expect(existsSync(join(project, 'Dockerfile'))).toBe(true);
  });

  it('refuses an invalid folder at the prompt and asks again', async () => {
    folder = tempProject('secure-flask-tty-');
    folder.write('taken/file.txt', 'x');
    const session = inTerminal(command('--no-install --no-git --server gunicorn --ci none --docker'), folder.root);
    await session.waitFor(/Project folder/);
    await session.type('taken');
    await session.type(KEY.enter);
    await session.waitFor(/taken is not empty/);
    await session.type('\u0008'.repeat(5) + 'fresh');
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(existsSync(join(folder.root, 'fresh', 'wsgi.py'))).toBe(true);
  });

  it.each([
    ['at the first prompt', 0],
    ['after some answers', 2],
  ])('Ctrl+C %s leaves nothing behind', async (_when, answersBeforeCancel) => {
    folder = tempProject('secure-flask-tty-');
    const session = inTerminal(command('--no-install --no-git'), folder.root);
    await session.waitFor(/Project folder/);
    if (answersBeforeCancel > 0) {
      await session.type('half-done');
      await session.type(KEY.enter);
      await session.waitFor(/WSGI server/);
      await session.type(KEY.enter);
      await session.waitFor(/Continuous integration/);
    }
    await session.type(KEY.ctrlC);
    const { exitCode, output } = await session.finished;
    expect(output).toMatch(/Cancelled: nothing was written/);
    expect(exitCode).toBe(1);
    expect(readdirSync(folder.root)).toEqual([]);
  });
});
