import { describe, expect, it } from 'vitest';
import { migrateInMemory } from '../support/migrate-plan.js';

const FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080)\n';

describe('env files', () => {
  it('drops FLASK_DEBUG and FLASK_ENV lines and keeps the rest, CRLF included', async () => {
    const result = await migrateInMemory({ '.flaskenv': 'FLASK_APP=app\r\nFLASK_DEBUG=1\r\nFLASK_ENV=development\r\nOTHER=x\r\n' });
    expect(result.after['.flaskenv']).toBe('FLASK_APP=app\r\nOTHER=x\r\n');
  });
});

describe('Dockerfiles', () => {
  it('removes one ENV pair, a whole single-pair ENV, and a continued pair', async () => {
    const before = 'FROM python:3.12\nENV A=1 FLASK_DEBUG=1 B=2\nENV FLASK_ENV development\nENV PYTHONUNBUFFERED=1 \\\n    FLASK_DEBUG=true\nCMD ["gunicorn", "wsgi:app"]\n';
    const expected = 'FROM python:3.12\nENV A=1 B=2\nENV PYTHONUNBUFFERED=1\nCMD ["gunicorn", "wsgi:app"]\n';
    expect((await migrateInMemory({ Dockerfile: before })).after.Dockerfile).toBe(expected);
  });

  it('replaces `python app.py` with Gunicorn and adds wsgi.py, gunicorn.conf.py (on the app port) and the requirement', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask==3.1.3\n',
    });
    expect(result.after.Dockerfile).toBe('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]\n');
    expect(result.after['wsgi.py']).toMatch(/^from app import app {2}# noqa: F401$/m);
    expect(result.after['gunicorn.conf.py']).toMatch(/os\.environ\.get\('PORT', '8080'\)/);
    expect(result.after['requirements.txt']).toBe('flask==3.1.3\ngunicorn>=23\n');
  });

  it('uses the factory when the script builds its app with create_app(), and keeps ENTRYPOINT', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nENTRYPOINT python run.py\n',
      'run.py': 'from myapp import create_app\n\napp = create_app()\napp.run()\n',
      'myapp/__init__.py': 'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
    });
    expect(result.after.Dockerfile).toBe('FROM python:3.12\nENTRYPOINT ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]\n');
    expect(result.after['wsgi.py']).toMatch(/^from run import app/m);
  });

  it('leaves a command whose app it cannot find to a person', async () => {
    const result = await migrateInMemory({ Dockerfile: 'FROM python:3.12\nCMD ["python", "app.py"]\n' });
    expect(result.after.Dockerfile).toBe('FROM python:3.12\nCMD ["python", "app.py"]\n');
    expect(result.manual).toEqual(['Dockerfile:2 dockerfile-dev-server']);
  });
});

describe('compose, Kubernetes and process files', () => {
  it('removes compose environment entries in both forms, and an emptied environment key', async () => {
    const before = 'services:\n  web:\n    environment:\n      FLASK_DEBUG: "1"\n      DB: x\n  api:\n    image: api\n    environment:\n      - FLASK_DEBUG=1\n    ports: ["80:80"]\n';
    const expected = 'services:\n  web:\n    environment:\n      DB: x\n  api:\n    image: api\n    ports: ["80:80"]\n';
    expect((await migrateInMemory({ 'docker-compose.yml': before })).after['docker-compose.yml']).toBe(expected);
  });

  it('removes a Kubernetes env item and a ConfigMap key', async () => {
    const before = 'kind: Deployment\nspec:\n  containers:\n    - name: web\n      image: web\n      env:\n        - name: A\n          value: "1"\n        - name: FLASK_DEBUG\n          value: "1"\n---\nkind: ConfigMap\ndata:\n  FLASK_ENV: development\n  OTHER: x\n';
    const expected = 'kind: Deployment\nspec:\n  containers:\n    - name: web\n      image: web\n      env:\n        - name: A\n          value: "1"\n---\nkind: ConfigMap\ndata:\n  OTHER: x\n';
    expect((await migrateInMemory({ 'k8s.yaml': before })).after['k8s.yaml']).toBe(expected);
  });

  it('replaces a compose command and a Procfile web process with Gunicorn', async () => {
    const result = await migrateInMemory({
      'compose.yaml': 'services:\n  web:\n    command: ["python", "app.py"]\n  worker:\n    command: flask run --host 0.0.0.0\n',
      Procfile: 'web: python app.py\nrelease: flask db upgrade\n',
      'app.py': FLASK_APP,
    });
    expect(result.after['compose.yaml']).toBe('services:\n  web:\n    command: ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]\n  worker:\n    command: gunicorn -c gunicorn.conf.py wsgi:app\n');
    expect(result.after.Procfile).toBe('web: gunicorn -c gunicorn.conf.py wsgi:app\nrelease: flask db upgrade\n');
  });

  it('keeps the virtualenv of a systemd or supervisord command', async () => {
    const result = await migrateInMemory({
      'web.service': '[Service]\nExecStart=/srv/web/venv/bin/python -m flask run --host 0.0.0.0\n',
      'app.py': FLASK_APP,
    });
    expect(result.after['web.service']).toBe('[Service]\nExecStart=/srv/web/venv/bin/gunicorn -c gunicorn.conf.py wsgi:app\n');
  });
});
