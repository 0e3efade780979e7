import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SECURE_FLASK_BIN, secureFlask } from '../support/cli.js';
import { REPO_ROOT } from '../support/repo-root.js';
import { inTerminal, KEY } from '../support/terminal.js';
import {
  commitAll,
  committedProject as committedRepository,
  tempProject,
  type TempProject,
} from '../support/temp-project.js';
import { must } from '../support/must.js';

const python = inject('python');
let project: TempProject;
afterEach(() => project?.remove());

const APP =
  'from flask import Flask\n\napp = Flask(__name__)\napp.config["DEBUG"] = True\n\nif __name__ == "__main__":\n    app.run(debug=True)\n';

const committedProject = (files: Record<string, string>) => committedRepository(files, 'secure-flask-migrate-cli-');

describe('secure-flask migrate', () => {
  it('dry run: prints the diff and a summary, writes nothing, exits 1', async () => {
    project = await committedProject({ 'app.py': APP, '.flaskenv': 'FLASK_DEBUG=1\n', 'README.md': 'hi\n' });
    const result = await secureFlask(['migrate'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('--- a/app.py\n+++ b/app.py\n');
    expect(result.stdout).toContain('-app.config["DEBUG"] = True\n');
    expect(result.stdout).toContain('-    app.run(debug=True)\n+    app.run()\n');
    expect(result.stdout).toMatch(/^migrate: 2 changed, 1 deleted, 0 unchanged, 0 skipped, 0 failed$/m);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
  });

  it('--write applies everything atomically, keeps the file mode, and a second run changes nothing', async () => {
    project = await committedProject({ 'app.py': APP });
    chmodSync(join(project.root, 'app.py'), 0o750);
    await project.git('commit', '-qam', 'executable');
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote 1 file\./);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(
      'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n',
    );
    expect(statSync(join(project.root, 'app.py')).mode & 0o777).toBe(0o750);
    expect(readdirSync(project.root).filter((name) => name.includes('.tmp') || name.startsWith('app.py.'))).toEqual([]);
    const again = await secureFlask(['migrate'], { cwd: project.root });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^migrate: 0 changed, 1 unchanged/m);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    project = tempProject('secure-flask-migrate-link-');
    project.write('real/app.py', APP);
    symlinkSync(join(project.root, 'real', 'app.py'), join(project.root, 'linked_app.py'));
    const result = await secureFlask(['migrate', '--write', 'linked_app.py'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(lstatSync(join(project.root, 'linked_app.py')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(project.root, 'real', 'app.py'), 'utf8')).not.toContain('debug=True');
  });

  it('refuses to write into a dirty git tree unless --allow-dirty', async () => {
    project = await committedProject({ 'app.py': APP });
    writeFileSync(join(project.root, 'notes.txt'), 'uncommitted\n');
    const refused = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/working tree has uncommitted changes \(notes\.txt\).*--allow-dirty/);
    // Refused before planning: no diff, no summary.
    expect(refused.stdout).toBe('');
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
    const allowed = await secureFlask(['migrate', '--write', '--allow-dirty'], { cwd: project.root });
    expect(allowed.exitCode).toBe(0);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).not.toBe(APP);
  });

  it('outside git it says there is no undo before anything is shown or written, and goes on', async () => {
    project = tempProject('secure-flask-migrate-nogit-');
    project.write('app.py', APP);
    // Both streams in the order they were written (pipes are synchronous for Node on Linux).
    const result = await execa(process.execPath, [SECURE_FLASK_BIN, 'migrate', '--write'], {
      cwd: project.root,
      all: true,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(result.exitCode).toBe(0);
    const output = String(result.all);
    expect(output).toMatch(/is not a git repository, so there is no undo: --write changes files without a review/);
    expect(output.indexOf('no undo')).toBeLessThan(output.indexOf('diff --git'));
    expect(output.indexOf('no undo')).toBeLessThan(output.indexOf('Wrote 1 file.'));
  });

  it('--patch writes a patch that git apply and patch -p1 accept (a deleted file included), and applying it equals --write', async () => {
    const files = {
      'app.py': APP,
      'crlf.py': APP.replace(/\n/g, '\r\n'),
      Dockerfile:
        'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nENV FLASK_DEBUG=1\nCMD ["python", "app.py"]\n',
      'requirements.txt': 'flask\n',
      '.flaskenv': '# Turn on the debugger.\nFLASK_DEBUG=1\n',
    };
    project = await committedProject(files);
    const result = await secureFlask(['migrate', '--patch', 'changes.patch'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const patchFile = join(project.root, 'changes.patch');
    expect(readFileSync(patchFile, 'utf8')).toContain(
      'diff --git a/.flaskenv b/.flaskenv\ndeleted file mode 100644\n--- a/.flaskenv\n+++ /dev/null\n@@ -1,2 +0,0 @@\n',
    );
    const gitCheck = await execa('git', ['apply', '--check', patchFile], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(gitCheck.exitCode, gitCheck.all).toBe(0);
    const patchCheck = await execa('patch', ['-p1', '--dry-run', '-i', patchFile], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(patchCheck.exitCode, patchCheck.all).toBe(0);
    await execa('git', ['apply', patchFile], { cwd: project.root });
    expect(existsSync(join(project.root, '.flaskenv'))).toBe(false);
    const written = ['app.py', 'crlf.py', 'Dockerfile', 'requirements.txt', 'gunicorn.conf.py'];
    const viaPatch = Object.fromEntries(written.map((f) => [f, readFileSync(join(project.root, f), 'utf8')]));
    expect(viaPatch.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]');
    const other = await committedProject(files);
    const byPatch = await committedProject(files);
    try {
      await secureFlask(['migrate', '--write'], { cwd: other.root });
      for (const [file, text] of Object.entries(viaPatch))
        expect(readFileSync(join(other.root, file), 'utf8'), file).toBe(text);
      expect(existsSync(join(other.root, '.flaskenv'))).toBe(false);
      expect(viaPatch['crlf.py']).toContain('app.run()\r\n');
      // GNU patch applies it too, deletion included.
      const applied = await execa('patch', ['-p1', '-i', patchFile], { cwd: byPatch.root, reject: false, all: true });
      expect(applied.exitCode, applied.all).toBe(0);
      expect(existsSync(join(byPatch.root, '.flaskenv'))).toBe(false);
      for (const [file, text] of Object.entries(viaPatch))
        expect(readFileSync(join(byPatch.root, file), 'utf8'), file).toBe(text);
    } finally {
      other.remove();
      byPatch.remove();
    }
  });

  it('--json lists each edit with offsets and line/column positions', async () => {
    project = await committedProject({ 'app.py': APP });
    const result = await secureFlask(['migrate', '--json'], { cwd: project.root });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: {
        path: string;
        status: string;
        changes: { ruleId: string; title: string; edits: { startLine: number; replacement: string }[] }[];
      }[];
      summary: { changed: number };
    };
    expect(report.summary.changed).toBe(1);
    expect(must(report.files[0]).path).toBe('app.py');
    expect(
      must(report.files[0]).changes.map((change) => [
        change.ruleId,
        must(change.edits[0]).startLine,
        must(change.edits[0]).replacement,
      ]),
    ).toEqual([
      ['config-debug-item', 4, ''],
      ['run-debug', 7, ''],
    ]);
  });

  it("plans a Dockerfile's switch to gunicorn in a fresh process where no Python file has a finding (the fix reads the app)", async () => {
    project = await committedProject({
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'requirements.txt': 'flask\n',
      Dockerfile:
        'FROM python:3.12-slim\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["flask", "run", "--host", "0.0.0.0"]\n',
    });
    const result = await secureFlask(['migrate', '--json'], { cwd: project.root });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: { path: string; changes: { ruleId: string; edits: { replacement: string }[] }[] }[];
    };
    const dockerfile = report.files.find((file) => file.path === 'Dockerfile');
    expect(dockerfile?.changes.map((change) => change.ruleId)).toEqual(['dockerfile-dev-server']);
    expect(
      must(dockerfile?.changes[0])
        .edits.map((edit) => edit.replacement)
        .join(''),
    ).toMatch(/gunicorn/);
  });

  it('exits 0 with nothing to do on a clean project', async () => {
    project = await committedProject({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    const result = await secureFlask(['migrate'], { cwd: project.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^migrate: 0 changed, 1 unchanged, 0 skipped, 0 failed$/m);
  });

  it('rejects bad flags with a one-line error', async () => {
    for (const [args, message] of [
      [['--frobnicate'], /unknown option '--frobnicate'/],
      [['--patch', ''], /--patch needs a file name/],
      [['--jobs', '0'], /--jobs must be a whole number/],
      [['missing/path'], /no such file or directory: missing\/path/],
      [['--patch', 'no/such/folder/fix.patch'], /cannot write no\/such\/folder\/fix\.patch: no such file or directory/],
    ] as const) {
      const result = await secureFlask(['migrate', ...args]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('migrate over every flagged rule fixture', () => {
  it('compiles, is idempotent, and leaves only findings that need a person', async () => {
    project = tempProject('secure-flask-migrate-all-');
    for (const rule of readdirSync(join(REPO_ROOT, 'fixtures'))) {
      if (rule === 'apps' || rule === 'behaviour' || rule === 'deploy-model' || rule === 'deploy-severity') continue;
      for (const caseName of readdirSync(join(REPO_ROOT, 'fixtures', rule))) {
        if (caseName.startsWith('flagged'))
          cpSync(join(REPO_ROOT, 'fixtures', rule, caseName), join(project.root, rule, caseName), { recursive: true });
      }
    }
    // A checkout: what a fixture's .gitignore lists is a developer's own, not committed.
    await commitAll(project);
    const first = await secureFlask(['migrate', '--write', '.'], { cwd: project.root });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const compiled = await execa(python, ['-m', 'compileall', '-q', '.'], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(compiled.exitCode, compiled.all).toBe(0);
    const second = await secureFlask(['migrate', '.'], { cwd: project.root });
    expect(second.stdout).toMatch(/^migrate: 0 changed/m);
    const check = await secureFlask(['check', '--format', 'json', '.'], { cwd: project.root });
    const remaining = (JSON.parse(check.stdout) as { findings: { ruleId: string; path: string }[] }).findings
      .map((f) => `${f.path} ${f.ruleId}`)
      .sort();
    // Reviewed: each of these has no rewrite a reviewer could trust at a glance (see each rule's doc).
    // Grouped by reason, compared in sorted order.
    expect(remaining).toEqual(
      [
        // A template env file copied or loaded into place: the template itself is for a person to edit.
        'compose-debug-env/flagged-template/docker-compose.yml compose-debug-env',
        'compose-debug-env/flagged-env-file-pin/docker-compose.yml compose-debug-env',
        // An entry naming a config class the app loads with from_object(): which class production means is a person's call.
        'compose-debug-env/flagged-config-class/compose.yaml compose-debug-env',
        // A value that follows a variable of the environment that runs compose (`FLASK_DEBUG=${DEBUG}`, a warning):
        // whether production ever sets it is a person's call. So is a bare name compose passes through.
        'compose-debug-env/flagged-interpolation-ignored-env/docker-compose.yml compose-debug-env',
        ...Array(6).fill('compose-debug-env/flagged-interpolation/docker-compose.yml compose-debug-env'),
        'dockerfile-debug/flagged-config-class/Dockerfile dockerfile-debug',
        'kubernetes-debug-env/flagged-config-class/deploy/chart/values.yaml kubernetes-debug-env',
        'kubernetes-debug-env/flagged-config-class/k8s/configmap.yaml kubernetes-debug-env',
        'kubernetes-debug-env/flagged-config-class/k8s/configmap.yaml kubernetes-debug-env',
        'process-debug-env/flagged-config-selector/portal.service process-debug-env',
        'script-debug/flagged-config-selector/start.sh script-debug',
        // A committed config file the app loads (from_file, from_json, from_pyfile, from_envvar, FlaskDynaconf's
        // settings files): the file is a person's to edit.
        'config-file-debug/flagged-dynaconf/shop/admin.py config-file-debug',
        'config-file-debug/flagged-dynaconf/shop/ext/settings.py config-file-debug',
        'config-file-debug/flagged-envvar/app.py config-file-debug',
        'config-file-debug/flagged-instance/myapp/__init__.py config-file-debug',
        'config-file-debug/flagged-instance/myapp/__init__.py config-file-debug',
        'config-file-debug/flagged-parsed-file/loop_app.py config-file-debug',
        'config-file-debug/flagged-parsed-file/service/toml_loop.py config-file-debug',
        'config-file-debug/flagged-parsed-file/site/__init__.py config-file-debug',
        'config-file-debug/flagged-parsed-file/update_app.py config-file-debug',
        'config-file-debug/flagged/cfg_app.py config-file-debug',
        'config-file-debug/flagged/json_app.py config-file-debug',
        'config-file-debug/flagged/legacy_app.py config-file-debug',
        'config-file-debug/flagged/toml_app.py config-file-debug',
        // A factory called with the development config by name or class: which config that script should get is a person's call.
        'dev-config-selected/flagged-class-handed/run.py dev-config-selected',
        'dev-config-selected/flagged-class-passed/index.py dev-config-selected',
        'dev-config-selected/flagged-dotted-path/serve.py dev-config-selected',
        'dev-config-selected/flagged-dotted-path/serve.py dev-config-selected',
        'dev-config-selected/flagged-constant-name/run.py dev-config-selected',
        'dev-config-selected/flagged-fallback/run.py dev-config-selected',
        'dev-config-selected/flagged-framework-named-package/run.py dev-config-selected',
        'dev-config-selected/flagged-package-absolute-import/serve.py dev-config-selected',
        // A development class chosen in a branch and handed to from_object by a name: which branch is a person's call.
        'dev-config-selected/flagged-branch-chosen/shop/__init__.py dev-config-selected',
        'dev-config-selected/flagged-branch-chosen/site/__init__.py dev-config-selected',
        // A fallback that names the development class by its import path: the production class's path is a person's call.
        'dev-config-selected/flagged-formatted-path/app.py dev-config-selected',
        'dev-config-selected/flagged-path-fallback/app.py dev-config-selected',
        'dev-config-selected/flagged-path-fallback/app.py dev-config-selected',
        'dev-config-selected/flagged-path-fallback/app.py dev-config-selected',
        // ...and a bare run() on that app, which inherits the config's DEBUG until a person changes the call above.
        'dev-config-selected/flagged-constant-name/run.py run-debug',
        'dev-config-selected/flagged-fallback/run.py run-debug',
        'dev-config-selected/flagged-formatted-path/app.py run-debug',
        'dev-config-selected/flagged-framework-named-package/run.py run-debug',
        // A development stage keeps its debug setting and its development server (reported as a warning).
        'dockerfile-debug/flagged-debugger/Dockerfile dockerfile-dev-server',
        'dockerfile-debug/flagged-development/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-development/Dockerfile dockerfile-debug',
        // A template copied to .env in a build stage the final image copies from: the template is a person's to edit.
        'dockerfile-debug/flagged-template-copy-from-builder/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-template-copy-from-builder/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-template-copy/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-template-copy/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-template-flask-run/Dockerfile dockerfile-debug',
        'dockerfile-debug/flagged-template-under-gunicorn/Dockerfile dockerfile-debug',
        // Dev-server commands whose image or platform does not say where packages are installed (no requirements,
        // no pip install, no COPY of the app, supervisord/systemd environments): `--debug` is dropped, the command listed.
        'dockerfile-debug/flagged/Dockerfile dockerfile-dev-server',
        'dockerfile-debug/flagged/web.dockerfile dockerfile-dev-server',
        // A Dash app: gunicorn serves its Flask server as module:app.server, which migrate leaves to a person.
        'dockerfile-dev-server/flagged-dash/Dockerfile dockerfile-dev-server',
        // An image that copies the app below a folder it never makes the working directory: where a new
        // gunicorn.conf.py would have to go is a person's call.
        'dockerfile-dev-server/flagged-image-path/Dockerfile dockerfile-dev-server',
        // Flask-SocketIO needs an eventlet or gevent worker under gunicorn: which one, and tested, is a person's call.
        'dockerfile-dev-server/flagged-socketio-threading/Dockerfile dockerfile-dev-server',
        'dockerfile-dev-server/flagged-manage/Dockerfile.flags dockerfile-dev-server',
        'dockerfile-dev-server/flagged-manage/Dockerfile.group dockerfile-dev-server',
        'dockerfile-dev-server/flagged-split-exec/Dockerfile dockerfile-dev-server',
        'dockerfile-dev-server/flagged/Dockerfile dockerfile-dev-server',
        'dockerfile-dev-server/flagged/Dockerfile.api dockerfile-dev-server',
        'orchestrator-dev-server/flagged-container-path/compose.yaml orchestrator-dev-server',
        'orchestrator-dev-server/flagged-debugger/compose.yaml orchestrator-dev-server',
        'orchestrator-dev-server/flagged-development/compose.yaml orchestrator-dev-server',
        'orchestrator-dev-server/flagged/compose.yaml orchestrator-dev-server',
        'orchestrator-dev-server/flagged/compose.yaml orchestrator-dev-server',
        'orchestrator-dev-server/flagged/pod.yaml orchestrator-dev-server',
        // The file an EnvironmentFile= loads, which migrate does not rewrite.
        'process-debug-env/flagged/app.service process-debug-env',
        // gunicorn's -e inside the value of GUNICORN_CMD_ARGS: the rest of the value is the project's to keep.
        'dockerfile-debug/flagged-gunicorn-env/Dockerfile.args dockerfile-debug',
        // A developer's opt-in (`if os.getenv("APP_DEBUG") ...: app.run(debug=True)`) that compose turns on, and the
        // dev server of a script that calls app.run() twice: the deploy file's setting is a person's to remove.
        'run-debug/flagged-opt-in-set-by-deploy/Dockerfile dockerfile-dev-server',
        'run-debug/flagged-opt-in-set-by-deploy/app.py run-debug',
        // `python server.py` runs an app re-bound from another module: which object gunicorn serves is a person's call.
        'run-debug/flagged-rebound-app/orders/Dockerfile dockerfile-dev-server',
        'process-dev-server/flagged-connexion/unpinned/Procfile process-dev-server',
        'process-dev-server/flagged-debugger/Procfile process-dev-server',
        'process-dev-server/flagged-default-branch/Procfile process-dev-server',
        'process-dev-server/flagged/Procfile process-dev-server',
        'process-dev-server/flagged/supervisord.conf process-dev-server',
        'process-dev-server/flagged/web.service process-dev-server',
        // A Render startCommand: Render installs what the service's buildCommand installs, which is a person's to change.
        'process-dev-server/flagged-render/render.yaml process-dev-server',
        'process-dev-server/flagged-render/render.yaml process-dev-server',
        // A heroku.yml run command: the image heroku.yml builds is what must install gunicorn, a person's change.
        'process-dev-server/flagged-heroku-manifest/heroku.yml process-dev-server',
        // npm scripts: nothing says what Python `npm start` runs with (migrate drops --debug there), and the dev
        // script is for development; so is a front end's workspace whose npm start runs `react-scripts start`.
        'process-dev-server/flagged-npm-script/package.json process-dev-server',
        'process-dev-server/flagged-npm-script/package.json process-dev-server',
        'process-dev-server/flagged-front-end-workspace/package.json process-dev-server',
        // An App Engine entrypoint must bind the PORT App Engine sets, with what requirements.txt installs: a person's.
        'process-dev-server/flagged-appengine/app.yaml process-dev-server',
        // zappa_settings.json is JSON: removing a member takes a comma with it, a person's edit.
        'process-debug-env/flagged-zappa/zappa_settings.json process-debug-env',
        // A script's server command: the deploy file that runs it decides what is installed.
        'script-debug/flagged-dash/start.sh script-debug',
        'script-debug/flagged-debugger/boot.sh script-debug',
        'script-debug/flagged/boot.sh script-debug',
        // `python app.py` after `cd ..`: the fixture's own app.py (the nearest), as the fixture alone reports it.
        'script-debug/flagged/scripts/start.sh script-debug',
        'werkzeug-debugged-application/flagged/app.py werkzeug-debugged-application',
        'werkzeug-debugged-application/flagged/app.py werkzeug-debugged-application',
      ].sort(),
    );
  }, 120_000);
});

const MIGRATED_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n';
const review = (root: string) => inTerminal(`${process.execPath} ${SECURE_FLASK_BIN} migrate`, root);

describe('interactive review', () => {
  it('asks per change with single keys (y/n as git add -p), applies the accepted one and leaves the skipped one', async () => {
    project = await committedProject({ 'app.py': APP });
    const session = review(project.root);
    await session.waitFor(/\(1\/2\) app\.py: change 1 of 2: .*Apply \[y,n,a,q,\?\]\?/);
    await session.type('y');
    await session.waitFor(/\(2\/2\) app\.py: change 2 of 2/);
    await session.type('n');
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/Wrote 1 file\./);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP.replace('app.config["DEBUG"] = True\n', ''));
  });

  it('q writes what was accepted and exits 1 with the rest pending', async () => {
    project = await committedProject({ 'app.py': APP, 'other.py': APP });
    const session = review(project.root);
    await session.waitFor(/\(1\/4\)/);
    await session.type('a'); // all of app.py's remaining changes... and every later one
    const accepted = await session.finished;
    expect(accepted.exitCode, accepted.output).toBe(0);
    expect(readFileSync(join(project.root, 'other.py'), 'utf8')).toBe(MIGRATED_APP);

    project.remove();
    project = await committedProject({ 'app.py': APP, 'other.py': APP });
    const quitting = review(project.root);
    await quitting.waitFor(/\(1\/4\)/);
    await quitting.type('y');
    await quitting.waitFor(/\(2\/4\)/);
    await quitting.type('y');
    await quitting.waitFor(/\(3\/4\)/);
    await quitting.type('q');
    const { exitCode, output } = await quitting.finished;
    expect(exitCode, output).toBe(1);
    expect(output).toMatch(/2 changes not reviewed/);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(MIGRATED_APP);
    expect(readFileSync(join(project.root, 'other.py'), 'utf8')).toBe(APP);
  });

  it('Ctrl+C writes nothing, not even what was accepted, and exits 130', async () => {
    project = await committedProject({ 'app.py': APP });
    const session = review(project.root);
    await session.waitFor(/\(1\/2\)/);
    await session.type('y');
    await session.waitFor(/\(2\/2\)/);
    await session.type(KEY.ctrlC);
    const { exitCode, output } = await session.finished;
    expect(exitCode, output).toBe(130);
    expect(output).toMatch(/Cancelled: nothing written/);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
  });

  it('a dry run on a dirty tree exits 1 in a terminal, as it does when piped', async () => {
    project = await committedProject({ 'app.py': APP });
    writeFileSync(join(project.root, 'notes.txt'), 'uncommitted\n');
    const piped = await secureFlask(['migrate'], { cwd: project.root });
    expect(piped.exitCode).toBe(1);
    const { exitCode, output } = await review(project.root).finished;
    expect(exitCode, output).toBe(1);
    expect(output).toMatch(/no review: the git working tree has uncommitted changes \(notes\.txt\)/);
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(APP);
  });
});

describe('what migrate says it wrote', () => {
  const DEPLOYED = {
    'app.py': APP,
    Dockerfile: 'FROM python:3.12\nENV FLASK_DEBUG=1\nCMD ["python", "app.py"]\n',
    'requirements.txt': 'flask\n',
  };

  it('the summary counts every file --write then writes', async () => {
    project = await committedProject(DEPLOYED);
    const dry = await secureFlask(['migrate'], { cwd: project.root });
    const [, changed, created] = /^migrate: (\d+) changed(?:, (\d+) new)?/m.exec(dry.stdout) ?? [];
    const result = await secureFlask(['migrate', '--write'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    const [, written] = /Wrote (\d+) files?\./.exec(result.stdout) ?? [];
    const touched = (
      await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: project.root })
    ).stdout
      .split('\n')
      .filter(Boolean);
    expect(Number(written)).toBe(touched.length);
    expect(Number(changed) + Number(created ?? 0)).toBe(touched.length);
  });

  it('--write --patch on a clean tree writes both (the patch file does not make the tree dirty) and says where the patch went', async () => {
    project = await committedProject({ 'app.py': APP });
    const result = await secureFlask(['migrate', '--write', '--patch', 'fix.patch'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'secure-flask migrate: wrote the patch for 1 file to fix.patch (apply it with: git apply fix.patch)',
    );
    expect(readFileSync(join(project.root, 'fix.patch'), 'utf8')).toContain('--- a/app.py\n');
    expect(readFileSync(join(project.root, 'app.py'), 'utf8')).toBe(MIGRATED_APP);
  });

  it('--patch quotes file names as git does, so git apply and patch -p1 accept tabs, newlines, quotes and non-ASCII', async () => {
    const names = [
      'tab\there.py',
      'new\nline.py',
      'quote".py',
      'back\\slash.py',
      'caf\u00e9.py',
      'with space.py',
      'plain.py',
    ];
    project = await committedProject(Object.fromEntries(names.map((name) => [name, APP])));
    const result = await secureFlask(['migrate', '--patch', 'names.patch'], { cwd: project.root });
    expect(result.exitCode, result.stderr).toBe(1);
    const patch = readFileSync(join(project.root, 'names.patch'), 'utf8');
    expect(patch).toContain('diff --git "a/tab\\there.py" "b/tab\\there.py"\n');
    expect(patch).toContain('--- "a/caf\\303\\251.py"\n');
    expect(patch).toContain('--- a/with space.py\t\n');
    const gitCheck = await execa('git', ['apply', '--check', '-v', 'names.patch'], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(gitCheck.exitCode, gitCheck.all).toBe(0);
    const patchCheck = await execa('patch', ['-p1', '--dry-run', '-i', 'names.patch'], {
      cwd: project.root,
      reject: false,
      all: true,
    });
    expect(patchCheck.exitCode, patchCheck.all).toBe(0);
    await execa('patch', ['-p1', '-i', 'names.patch'], { cwd: project.root });
    for (const name of names) expect(readFileSync(join(project.root, name), 'utf8'), name).toBe(MIGRATED_APP);
  });
});
