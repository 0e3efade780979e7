import { describe, expect, it } from 'vitest';
import { projectDeployModel } from '../../src/deploy/project-model.js';
import { shellParserLoaded } from '../../src/deploy/shell/shell-parser.js';
import { tempProject } from '../support/temp-project.js';

// The bash grammar costs a WebAssembly load: a model with no shell text must not pay it.
describe('the bash grammar loads only when a command needs shell parsing', () => {
  it('exec-form CMD, plain-word Procfile lines and simple && lines need no grammar; a redirect loads it', async () => {
    const project = tempProject('secure-flask-lazy-');
    try {
      const dockerfile = project.write(
        'Dockerfile',
        'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
      );
      const procfile = project.write('Procfile', 'web: gunicorn -b 0.0.0.0:$PORT app:app\n');
      const plain = await projectDeployModel(project.root, [{ path: dockerfile, kind: 'dockerfile' }]);
      expect(plain.entrypoints[0]?.command.target).toEqual({ kind: 'wsgi-server', server: 'gunicorn', app: 'app:app' });
      expect(shellParserLoaded()).toBe(false);
      project.write('Procfile', 'web: gunicorn -b 0.0.0.0:8000 app:app\n');
      await projectDeployModel(project.root, [{ path: procfile, kind: 'procfile' }]);
      expect(shellParserLoaded()).toBe(false);
      // Commands joined by && with a quoted argument are still read without the grammar.
      project.write('Dockerfile', 'FROM python:3.12\nCMD flask db upgrade && exec gunicorn "app:create_app()"\n');
      const joined = await projectDeployModel(project.root, [{ path: dockerfile, kind: 'dockerfile' }]);
      expect(joined.entrypoints[0]?.command.target).toEqual({
        kind: 'wsgi-server',
        server: 'gunicorn',
        app: 'app:create_app()',
      });
      expect(shellParserLoaded()).toBe(false);
      // A redirect is more than words and operators: the grammar reads it.
      project.write(
        'Dockerfile',
        'FROM python:3.12\nCMD flask db upgrade > /dev/null && exec gunicorn "app:create_app()"\n',
      );
      const shell = await projectDeployModel(project.root, [{ path: dockerfile, kind: 'dockerfile' }]);
      expect(shellParserLoaded()).toBe(true);
      expect(shell.entrypoints[0]?.command.target).toEqual({
        kind: 'wsgi-server',
        server: 'gunicorn',
        app: 'app:create_app()',
      });
    } finally {
      project.remove();
    }
  });
});
