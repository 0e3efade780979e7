import { describe, expect, it } from 'vitest';
import { loadDeployModel, type DeployFileRef } from '../../src/deploy/model-loader.js';
import { scriptFacts } from '../../src/deploy/formats/script.js';
import { mayStartSomething, scriptMayMatter } from '../../src/deploy/shell/shell-screen.js';
import { shellParseCount, withShellGrammar } from '../../src/deploy/shell/shell-parser.js';
import type { DeployModel } from '../../src/deploy/model.js';
import { must } from '../support/must.js';

/** The model of an in-memory repository at /repo, and how many shell texts the grammar parsed to build it. */
async function modelOf(files: Record<string, string>): Promise<{ model: DeployModel; parses: number }> {
  const deployFiles = Object.keys(files).flatMap((path): DeployFileRef[] => {
    if (path.endsWith('Makefile')) return [{ path, kind: 'makefile' }];
    return path.endsWith('Dockerfile') ? [{ path, kind: 'dockerfile' }] : [];
  });
  const before = shellParseCount();
  const model = await withShellGrammar(() =>
    loadDeployModel({ root: '/repo', files: deployFiles, readText: (path) => files[path] }),
  );
  return { model, parses: shellParseCount() - before };
}

// Sphinx's docs Makefile: dozens of quoted echo lines, none of which starts anything.
const DOCS_MAKEFILE =
  'help:\n' +
  '\t@echo "Please use \\`make <target>\' where <target> is one of"\n' +
  '\t@echo "  html       to make standalone HTML files"\n' +
  'clean:\n' +
  '\trm -rf $(BUILDDIR)/* && echo "cleaned"\n';

describe('shell text that can start nothing is never parsed', () => {
  it('a Makefile recipe line with no server, Python or shell command costs no parse; one with it does', async () => {
    const quiet = await modelOf({ '/repo/Makefile': DOCS_MAKEFILE });
    expect(quiet.model.entrypoints).toEqual([]);
    expect(quiet.parses).toBe(0);

    const serving = await modelOf({
      '/repo/Makefile': `${DOCS_MAKEFILE}run:\n\t@echo "go" > /dev/stderr && flask --debug run\n`,
    });
    expect(serving.parses).toBe(1);
    expect(serving.model.entrypoints.map((entrypoint) => [entrypoint.name, entrypoint.serves.target.kind])).toEqual([
      ['make run', 'flask-run'],
    ]);
  });

  it('a script with no keyword is followed but not parsed: it serves and sets nothing, as a parse would say', async () => {
    const dockerfile = 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nCMD ["sh", "wait.sh"]\n';
    const quiet = await modelOf({
      '/repo/Dockerfile': dockerfile,
      '/repo/wait.sh': '#!/bin/sh\n# wait for the database\nuntil pg_isready; do sleep 1; done\n',
    });
    expect(quiet.parses).toBe(0);
    const [entrypoint] = quiet.model.entrypoints;
    expect(entrypoint?.scripts.map((script) => [script.path, script.exports, script.commands])).toEqual([
      ['/repo/wait.sh', [], []],
    ]);
    expect(entrypoint?.serves.target).toEqual({ kind: 'shell-script', script: 'wait.sh' });

    // The same script, once it exports a variable, is parsed: what it exports reaches the entrypoint.
    const exporting = await modelOf({
      '/repo/Dockerfile': dockerfile,
      '/repo/wait.sh': '#!/bin/sh\nexport PGHOST=db\nuntil pg_isready; do sleep 1; done\n',
    });
    expect(exporting.parses).toBe(1);
    expect(exporting.model.entrypoints[0]?.scripts[0]?.exports.map((setting) => setting.name)).toEqual(['PGHOST']);
  });
});

describe('one parse per shell text', () => {
  it('the script the model follows is not parsed again for its rule, and the parse it shares is frozen', async () => {
    const boot = '#!/bin/sh\nexport FLASK_DEBUG=1\nflask db upgrade && exec gunicorn app:app\n';
    const { model, parses } = await modelOf({
      '/repo/Dockerfile': 'FROM python:3.12\nCOPY boot.sh /boot.sh\nCMD ["/boot.sh"]\n',
      '/repo/boot.sh': boot,
    });
    expect(parses).toBe(1);
    expect(model.entrypoints[0]?.serves.target).toEqual({ kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' });
    const before = shellParseCount();
    const facts = scriptFacts('/repo/boot.sh', boot);
    expect(shellParseCount()).toBe(before);
    expect(facts.exports.map((setting) => `${setting.name}=${setting.value}`)).toEqual(['FLASK_DEBUG=1']);
    const [first] = facts.commands;
    expect(() => must(first).argv.push('--debug')).toThrow(TypeError);
  });
});

describe('the keyword screens err towards a parse', () => {
  it.each([
    'gunicorn -b 0.0.0.0:8000 app:app',
    '$(VENV)/bin/python3 manage.py runserver',
    'py -m flask run',
    'cd docs && sh -c "make html"',
    './scripts/start.sh --prod',
    // A word's value drops quotes and backslashes: these are still python, flask and a shell.
    'py"thon" app.py',
    "exec $'flask' run",
    'b\\ash -c x',
  ])('lets through %j', (line) => {
    expect(mayStartSomething(line)).toBe(true);
  });

  it.each([
    '@echo "  html       to make standalone HTML files"',
    'pip install numpy',
    'git push && ssh-add',
    'rm -rf $(BUILDDIR)/*',
    '$(PYTHON) app.py',
  ])('stops %j', (line) => {
    expect(mayStartSomething(line)).toBe(false);
  });

  it('a script passes with an export, an environment, "$@", or a path it may follow; a shebang alone is not one', () => {
    for (const script of ['export A', 'A=1 worker', 'exec "$@"', 'bin/run', 'run.d', 'declare -x A'])
      expect(scriptMayMatter(`#!/bin/sh\n${script}\n`)).toBe(true);
    expect(scriptMayMatter('#!/usr/bin/env bash\nuntil pg_isready; do sleep 1; done\n')).toBe(false);
    expect(scriptMayMatter('#!/bin/sh')).toBe(false);
  });
});
