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
    await session.waitFor(/Python package name/);
    await session.type(KEY.enter);
    await session.waitFor(/WSGI server for production/);
    await session.type(KEY.down); // gunicorn -> waitress
    await session.type(KEY.enter);
    await session.waitFor(/Continuous integration/);
    await session.type(KEY.down); // GitHub Actions -> GitLab CI
    await session.type(KEY.enter);
    await session.waitFor(/Package manager/);
    await session.type(KEY.down); // pip -> uv
    await session.type(KEY.enter);
    await session.waitFor(/Add a Dockerfile\?/);
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/Python package name[\s\S]*shop_api/);
    expect(output).toMatch(/uv run flask run --debug/);
    expect(output).toMatch(/Next steps:/);
    const project = join(folder.root, 'shop-api');
    expect(readFileSync(join(project, 'Procfile'), 'utf8')).toMatch(/waitress-serve/);
    expect(existsSync(join(project, '.gitlab-ci.yml'))).toBe(true);
    expect(existsSync(join(project, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(project, 'uv.lock'))).toBe(true);
    expect(existsSync(join(project, 'requirements.txt'))).toBe(false);
  });

  it('refuses an invalid folder at the prompt and asks again', async () => {
    folder = tempProject('secure-flask-tty-');
    folder.write('taken', 'a file, not a folder');
    const session = inTerminal(
      command('--no-install --no-git --server gunicorn --ci none --package-manager pip --docker'),
      folder.root,
    );
    await session.waitFor(/Project folder/);
    await session.type('taken');
    await session.type(KEY.enter);
    await session.waitFor(/taken exists and is not a folder/);
    await session.type(`${'\u0008'.repeat(5)}fresh`);
    await session.type(KEY.enter);
    await session.waitFor(/Python package name/);
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
      await session.waitFor(/Python package name/);
      await session.type(KEY.enter);
      await session.waitFor(/WSGI server/);
      await session.type(KEY.enter);
      await session.waitFor(/Continuous integration/);
    }
    await session.type(KEY.ctrlC);
    const { exitCode, output } = await session.finished;
    expect(output).toMatch(/Cancelled: nothing was written/);
    // Ctrl+C exits 130 here as everywhere else.
    expect(exitCode).toBe(130);
    expect(readdirSync(folder.root)).toEqual([]);
  });

  it('shows the package name derived from the folder and lets the user change it', async () => {
    folder = tempProject('secure-flask-tty-');
    const session = inTerminal(
      command('--no-install --no-git --server gunicorn --ci none --package-manager pip --no-docker'),
      folder.root,
    );
    await session.waitFor(/Project folder/);
    await session.type('My Shop');
    await session.type(KEY.enter);
    await session.waitFor(/my_shop/);
    await session.type(`${'\u0008'.repeat(7)}inspect`);
    await session.type(KEY.enter);
    await session.waitFor(/standard library/);
    await session.type(`${'\u0008'.repeat(7)}storefront`);
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(existsSync(join(folder.root, 'My Shop', 'storefront', '__init__.py'))).toBe(true);
    expect(output).toMatch(/cd 'My Shop'/);
  });

  it('refuses a 300-character folder name at the prompt, before any other question', async () => {
    folder = tempProject('secure-flask-tty-');
    const session = inTerminal(command('--no-install --no-git'), folder.root);
    await session.waitFor(/Project folder/);
    await session.type('a'.repeat(300));
    await session.type(KEY.enter);
    await session.waitFor(/300 bytes long; file systems allow 255/);
    await session.type(KEY.ctrlC);
    const { exitCode } = await session.finished;
    expect(exitCode).toBe(130);
    expect(readdirSync(folder.root)).toEqual([]);
  });

  it.each([
    ['keeps the README and writes the rest', 0, 0],
    ['cancels and writes nothing', 1, 1],
  ])('--force on a folder with a README: the user %s', async (_what, downPresses, expectedExit) => {
    folder = tempProject('secure-flask-tty-');
    folder.write('mine/README.md', 'my readme\n');
    const session = inTerminal(
      command(
        'mine --force --no-install --no-git --server gunicorn --ci none --package-manager pip --no-docker --package mine',
      ),
      folder.root,
    );
    await session.waitFor(/The folder already has README\.md/);
    for (let press = 0; press < downPresses; press += 1) await session.type(KEY.down);
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(expectedExit);
    expect(readFileSync(join(folder.root, 'mine', 'README.md'), 'utf8')).toBe('my readme\n');
    expect(existsSync(join(folder.root, 'mine', 'wsgi.py'))).toBe(expectedExit === 0);
    expect(output).not.toMatch(/internal error/);
  });

  it('a folder with files is reported right after it is named, before any other question; keeping them puts the project beside them', async () => {
    folder = tempProject('secure-flask-tty-');
    folder.write('taken/notes.txt', 'mine\n');
    const session = inTerminal(
      command('--no-install --no-git --server gunicorn --ci none --package-manager pip --no-docker'),
      folder.root,
    );
    await session.waitFor(/Project folder/);
    await session.type('taken');
    await session.type(KEY.enter);
    const shown = await session.waitFor(/The folder already has notes\.txt/);
    expect(shown).not.toMatch(/Python package name/);
    await session.type(KEY.enter); // keep
    await session.waitFor(/Python package name/);
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(readFileSync(join(folder.root, 'taken', 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(folder.root, 'taken', 'wsgi.py'))).toBe(true);
  });

  it('a non-empty folder given as an argument is reported before the first question; cancel writes nothing', async () => {
    folder = tempProject('secure-flask-tty-');
    folder.write('taken/notes.txt', 'mine\n');
    const session = inTerminal(command('taken --no-install --no-git'), folder.root);
    const shown = await session.waitFor(/The folder already has notes\.txt/);
    expect(shown).not.toMatch(/Python package name|WSGI server/);
    await session.type(KEY.down); // cancel
    await session.type(KEY.enter);
    const { exitCode, output } = await session.finished;
    expect(output).toMatch(/Cancelled: nothing was written/);
    expect(exitCode).not.toBe(0);
    expect(readdirSync(join(folder.root, 'taken'))).toEqual(['notes.txt']);
  });
});
