import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUNICORN_PIN } from '../../src/deploy/gunicorn-config.js';
import { REPO_ROOT } from '../support/python-env.js';
import { migrateInMemory } from '../support/migrate-plan.js';

const FLASK_APP =
  'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080)\n';

describe('env files', () => {
  it('drops FLASK_DEBUG and FLASK_ENV lines and keeps the rest, CRLF included', async () => {
    const result = await migrateInMemory({
      '.flaskenv': 'FLASK_APP=app\r\nFLASK_DEBUG=1\r\nFLASK_ENV=development\r\nOTHER=x\r\n',
    });
    expect(result.after['.flaskenv']).toBe('FLASK_APP=app\r\nOTHER=x\r\n');
  });
});

describe('Dockerfiles', () => {
  it('removes one ENV pair, a whole single-pair ENV, and a continued pair', async () => {
    const before =
      'FROM python:3.12\nENV A=1 FLASK_DEBUG=1 B=2\nENV FLASK_ENV development\nENV PYTHONUNBUFFERED=1 \\\n    FLASK_DEBUG=true\nCMD ["gunicorn", "wsgi:app"]\n';
    const expected = 'FROM python:3.12\nENV A=1 B=2\nENV PYTHONUNBUFFERED=1\nCMD ["gunicorn", "wsgi:app"]\n';
    expect((await migrateInMemory({ Dockerfile: before })).after.Dockerfile).toBe(expected);
  });

  it('replaces `python app.py` with Gunicorn serving app:app, on the app port, installed by the requirements file the image installs', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask==3.1.3\n',
    });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n',
    );
    expect(result.after['wsgi.py']).toBeUndefined();
    expect(result.after['gunicorn.conf.py']).toMatch(
      /^_host = "0\.0\.0\.0"\n_port = "8080"\nbind = f"\{_host\}:\{_port\}"$/m,
    );
    expect(result.after['requirements.txt']).toBe(`flask==3.1.3\ngunicorn==${GUNICORN_PIN}\n`);
    expect(result.notices).toEqual([
      expect.stringMatching(
        /^Dockerfile: Now runs `gunicorn -c gunicorn.conf.py app:app` instead of `python app.py`, on the same host 0\.0\.0\.0, port 8080; gunicorn is added \(requirements\.txt\): rebuild/,
      ),
    ]);
  });

  it('serves a module that only defines create_app() as app:create_app(), never as an `app` it does not have', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["flask", "run", "--host", "0.0.0.0"]\n',
      'app.py': 'from flask import Flask\n\n\ndef create_app(config=None):\n    return Flask(__name__)\n',
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]');
    expect(result.after['wsgi.py']).toBeUndefined();
    expect(result.after['gunicorn.conf.py']).toContain('_port = os.environ.get("FLASK_RUN_PORT", "5000")');
  });

  it('a factory that needs an argument, or a script that calls app.run() on import, is left for a person with the reason', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT python run.py\n',
      'run.py': 'from myapp import create_app\n\napp = create_app()\napp.run()\n',
      'myapp/__init__.py':
        'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      'requirements.txt': 'flask\n',
      'other/Dockerfile': 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD flask run\n',
      'other/app.py': 'from flask import Flask\n\n\ndef create_app(config):\n    return Flask(__name__)\n',
      'other/requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT python run.py\n',
    );
    expect(result.after['other/Dockerfile']).toContain('CMD flask run');
    expect(result.manual).toEqual(['Dockerfile:4 dockerfile-dev-server', 'other/Dockerfile:4 dockerfile-dev-server']);
    expect(result.reasons[0]).toMatch(
      /run calls app\.run\(\) while it is imported, so gunicorn would start the development server inside its worker/,
    );
    expect(result.reasons[1]).toMatch(/no Flask app or create_app\(\) factory found at the top level of app/);
  });

  it('`RUN pip install flask` with no requirements file gets gunicorn on that line; a requirements.txt the image never installs is left alone', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask "itsdangerous>=2" && rm -rf /root/.cache\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\npytest\n',
    });
    expect(result.after.Dockerfile).toContain(
      'RUN pip install --no-cache-dir flask "itsdangerous>=2" gunicorn && rm -rf /root/.cache\n',
    );
    expect(result.after['requirements.txt']).toBe('flask\npytest\n');
  });

  it('follows COPY and WORKDIR to the requirements file `pip install -r` really installs', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nWORKDIR /srv\nCOPY requirements/prod.txt /tmp/reqs.txt\nRUN pip install -r /tmp/reqs.txt\nCOPY . app\nWORKDIR /srv/app\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
      'requirements/prod.txt': 'flask==3.1.3\n',
    });
    expect(result.after['requirements/prod.txt']).toBe(`flask==3.1.3\ngunicorn==${GUNICORN_PIN}\n`);
    expect(result.after['requirements.txt']).toBe('flask\n');
    expect(result.after.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]');
  });

  it('adds nothing when an included requirements file already has gunicorn; refuses a hash-pinned file', async () => {
    const present = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n',
      'app.py': FLASK_APP,
      'requirements.txt': '-r base.txt\nflask\n',
      'base.txt': 'Gunicorn==23.0.0\n',
    });
    expect(present.after['requirements.txt']).toBe('-r base.txt\nflask\n');
    expect(present.notices[0]).toMatch(/gunicorn is already installed/);
    const hashed = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nCOPY . .\nRUN pip install --require-hashes -r requirements.txt\nCMD python app.py\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask==3.1.3 --hash=sha256:00\n',
    });
    expect(hashed.after.Dockerfile).toContain('CMD python app.py');
    expect(hashed.reasons).toEqual([expect.stringMatching(/requirements\.txt pins hashes/)]);
  });

  it('carries an environment-variable port into gunicorn.conf.py with the same default', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nWORKDIR /code\nCOPY requirements.txt /code\nRUN pip3 install -r requirements.txt\nCOPY . .\nCMD ["python3", "server.py"]\n',
      'server.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.environ.get("FLASK_SERVER_PORT", 9090)))\n',
      'requirements.txt': 'flask\n',
      'compose.yaml': 'services:\n  backend:\n    build: .\n    environment:\n      - FLASK_SERVER_PORT=9091\n',
    });
    expect(result.after['gunicorn.conf.py']).toContain('_port = os.environ.get("FLASK_SERVER_PORT", "9090")');
    expect(result.after['compose.yaml']).toBe(
      'services:\n  backend:\n    build: .\n    environment:\n      - FLASK_SERVER_PORT=9091\n',
    );
  });

  it('a __main__ block that does more than app.run() is left for a person', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      'app.py':
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    init_db()\n    app.run()\n',
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toContain('CMD ["python", "app.py"]');
    expect(result.reasons).toEqual([
      expect.stringMatching(/the `__main__` block of app\.py also runs `init_db\(\)`, which gunicorn would skip/),
    ]);
  });

  it('`ENTRYPOINT ["python3"]` + `CMD ["app.py"]` is one command: both give way to gunicorn', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nWORKDIR /code\nCOPY requirements.txt /code\nRUN pip install -r requirements.txt\nCOPY . /code\nENTRYPOINT ["python3"]\nCMD ["app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12\nWORKDIR /code\nCOPY requirements.txt /code\nRUN pip install -r requirements.txt\nCOPY . /code\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n',
    );
    expect(result.notices[0]).toMatch(/The `ENTRYPOINT \["python3"\]` that ran the script is removed\.$/);
  });

  it('never switches a development stage; the production stage is switched', async () => {
    const dockerfile =
      'FROM python:3.12 AS base\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n\nFROM base AS dev\nCMD ["flask", "run", "--debug"]\n\nFROM base AS prod\nCMD ["python", "app.py"]\n';
    const result = await migrateInMemory({
      Dockerfile: dockerfile,
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toBe(
      dockerfile.replace('CMD ["python", "app.py"]', 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]'),
    );
  });

  it('leaves a command whose app it cannot find to a person', async () => {
    const result = await migrateInMemory({ Dockerfile: 'FROM python:3.12\nCMD ["python", "app.py"]\n' });
    expect(result.after.Dockerfile).toBe('FROM python:3.12\nCMD ["python", "app.py"]\n');
    expect(result.manual).toEqual(['Dockerfile:2 dockerfile-dev-server']);
  });
});

describe('compose, Kubernetes and process files', () => {
  it('removes compose environment entries in both forms, and an emptied environment key', async () => {
    const before =
      'services:\n  web:\n    environment:\n      FLASK_DEBUG: "1"\n      DB: x\n  api:\n    image: api\n    environment:\n      - FLASK_DEBUG=1\n    ports: ["80:80"]\n';
    const expected = 'services:\n  web:\n    environment:\n      DB: x\n  api:\n    image: api\n    ports: ["80:80"]\n';
    expect((await migrateInMemory({ 'docker-compose.yml': before })).after['docker-compose.yml']).toBe(expected);
  });

  it('removes a Kubernetes env item and a ConfigMap key', async () => {
    const before =
      'kind: Deployment\nspec:\n  containers:\n    - name: web\n      image: web\n      env:\n        - name: A\n          value: "1"\n        - name: FLASK_DEBUG\n          value: "1"\n---\nkind: ConfigMap\ndata:\n  FLASK_ENV: development\n  OTHER: x\n';
    const expected =
      'kind: Deployment\nspec:\n  containers:\n    - name: web\n      image: web\n      env:\n        - name: A\n          value: "1"\n---\nkind: ConfigMap\ndata:\n  OTHER: x\n';
    expect((await migrateInMemory({ 'k8s.yaml': before })).after['k8s.yaml']).toBe(expected);
  });

  it('switches the Procfile web process and never the development Procfile', async () => {
    const dev = '# Use the Flask development server\nweb: flask run --debug\n';
    const result = await migrateInMemory({
      Procfile: 'web: python app.py\nrelease: flask db upgrade\n',
      'Procfile.dev': dev,
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Procfile).toBe('web: gunicorn -c gunicorn.conf.py app:app\nrelease: flask db upgrade\n');
    expect(result.after['requirements.txt']).toBe('flask\ngunicorn>=23\n');
    expect(result.after['Procfile.dev']).toBe(dev);
    expect(result.manual).toEqual(['Procfile.dev:2 process-dev-server']);
    expect(result.reasons[0]).toMatch(/for development only.*keeps its development server/);
  });

  it('commands left for a person lose --debug: supervisord, systemd, compose with an image built elsewhere', async () => {
    const result = await migrateInMemory({
      'web.service': '[Service]\nExecStart=/srv/web/venv/bin/flask run --debug --host 0.0.0.0\n',
      'supervisord.conf': '[program:web]\ncommand=flask run --debug\n',
      'compose.yaml':
        'services:\n  web:\n    image: example/web\n    command: flask run --debug --host=0.0.0.0\n  api:\n    image: example/api\n    command: ["flask", "run", "--debug"]\n',
      'app.py': FLASK_APP,
    });
    expect(result.after['web.service']).toBe('[Service]\nExecStart=/srv/web/venv/bin/flask run --host 0.0.0.0\n');
    expect(result.after['supervisord.conf']).toBe('[program:web]\ncommand=flask run\n');
    expect(result.after['compose.yaml']).toBe(
      'services:\n  web:\n    image: example/web\n    command: flask run --host=0.0.0.0\n  api:\n    image: example/api\n    command: ["flask", "run"]\n',
    );
    expect(result.reasons).toEqual([
      expect.stringMatching(/runs an image built elsewhere/),
      expect.stringMatching(/runs an image built elsewhere/),
      expect.stringMatching(/environment this program runs/),
      expect.stringMatching(/environment this unit runs/),
    ]);
  });
});

describe('hygiene', () => {
  it('deletes an env file whose only setting was removed, with the comment that introduced it', async () => {
    const result = await migrateInMemory({
      '.flaskenv': '# Enable debug mode.\nFLASK_DEBUG=1\n',
      '.env': 'FLASK_ENV=development\n\n',
    });
    expect(result.deleted.sort()).toEqual(['.env', '.flaskenv']);
    expect(result.after['.flaskenv']).toBe('');
    expect(result.notices).toEqual([
      expect.stringMatching(/^\.env is deleted/),
      expect.stringMatching(/^\.flaskenv is deleted/),
    ]);
  });

  it('removes a comment that only introduced the removed line, in env files, Dockerfiles, YAML and Python', async () => {
    const result = await migrateInMemory({
      '.flaskenv':
        'FLASK_APP=app\n\n# Enable debug mode.\nFLASK_DEBUG=1\n\n# Where the app lives\nFLASK_RUN_PORT=8000\n',
      Dockerfile: 'FROM python:3.12\n# Turn the debugger on\nENV FLASK_DEBUG=1\n\nCMD ["gunicorn", "app:app"]\n',
      'compose.yaml':
        'services:\n  web:\n    environment:\n      DB: x\n      # debug mode for everyone\n      FLASK_DEBUG: "1"\n',
      'app.py':
        'from flask import Flask\n\napp = Flask(__name__)\n# Show tracebacks in the browser\napp.debug = True\n\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    });
    expect(result.after['.flaskenv']).toBe('FLASK_APP=app\n\n# Where the app lives\nFLASK_RUN_PORT=8000\n');
    expect(result.after.Dockerfile).toBe('FROM python:3.12\n\nCMD ["gunicorn", "app:app"]\n');
    expect(result.after['compose.yaml']).toBe('services:\n  web:\n    environment:\n      DB: x\n');
    expect(result.after['app.py']).toBe(
      'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n',
    );
  });

  it('a comment that only introduced a removed debug argument goes with it; one that says more stays', async () => {
    const result = await migrateInMemory({
      'app.py':
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # Enable debug mode.\n    app.run(host="0.0.0.0", port=5000, debug=True)\n',
      'other.py':
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # Listen on every interface, with debug mode\n    app.run(host="0.0.0.0", debug=True)\n',
    });
    expect(result.after['app.py']).toBe(
      'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)\n',
    );
    expect(result.after['other.py']).toBe(
      'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # Listen on every interface, with debug mode\n    app.run(host="0.0.0.0")\n',
    );
  });

  it('keeps a comment that heads more than the removed line, and tool directives', async () => {
    const before =
      '# syntax=docker/dockerfile:1\nFROM python:3.12\n# Settings for the web image\nENV FLASK_DEBUG=1\nENV PYTHONUNBUFFERED=1\n';
    const result = await migrateInMemory({ Dockerfile: before, '.flaskenv': '#!/usr/bin/env bash\nFLASK_DEBUG=1\n' });
    expect(result.after.Dockerfile).toBe(
      '# syntax=docker/dockerfile:1\nFROM python:3.12\n# Settings for the web image\nENV PYTHONUNBUFFERED=1\n',
    );
    expect(result.after['.flaskenv']).toBe('#!/usr/bin/env bash\n');
  });

  it('replaces a comment that describes the development server above a switched command', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n# Use the Flask development server\n# (Werkzeug, reloads on change)\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n# Gunicorn serves the app (settings in gunicorn.conf.py); use `flask run --debug` only locally.\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n',
    );
  });
});

describe('Docker keeps only the last CMD', () => {
  it('switches the CMD that runs, not the dead one, adding gunicorn once', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install Flask\nCMD ["python", "app.py"]\nCMD ["flask", "run", "--host=0.0.0.0", "--port=5000"]',
      'app.py': FLASK_APP,
    });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install Flask gunicorn\nCMD ["python", "app.py"]\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]',
    );
    expect(result.after['gunicorn.conf.py']).toContain('_host = "0.0.0.0"\n_port = "5000"\n');
  });
});

describe('environment set by process files and scripts', () => {
  it('drops FLASK_DEBUG/FLASK_ENV from systemd Environment=, supervisord environment=, a Procfile prefix and a script export', async () => {
    const result = await migrateInMemory({
      'app.service':
        '[Service]\nEnvironment=FLASK_DEBUG=1\nEnvironment="A=1" "FLASK_ENV=development"\nExecStart=/srv/venv/bin/gunicorn wsgi:app\n',
      'supervisord.conf': '[program:web]\ncommand=/srv/venv/bin/gunicorn wsgi:app\nenvironment=FLASK_DEBUG="1",B="2"\n',
      Procfile: 'web: FLASK_DEBUG=1 gunicorn wsgi:app\nworker: sh bin/start.sh\n',
      'bin/start.sh': '#!/bin/sh\nexport FLASK_DEBUG=1\nexec flask run --debug --host 0.0.0.0\n',
    });
    expect(result.after['app.service']).toBe(
      '[Service]\nEnvironment="A=1"\nExecStart=/srv/venv/bin/gunicorn wsgi:app\n',
    );
    expect(result.after['supervisord.conf']).toBe(
      '[program:web]\ncommand=/srv/venv/bin/gunicorn wsgi:app\nenvironment=B="2"\n',
    );
    expect(result.after.Procfile).toBe('web: gunicorn wsgi:app\nworker: sh bin/start.sh\n');
    expect(result.after['bin/start.sh']).toBe('#!/bin/sh\nexec flask run --host 0.0.0.0\n');
    expect(result.manual).toEqual(['bin/start.sh:3 script-debug']);
    expect(result.reasons[0]).toMatch(/switched by hand, once gunicorn is installed where the script runs/);
  });

  it('an EnvironmentFile= whose file migrate does not rewrite is left for a person with the reason', async () => {
    const result = await migrateInMemory({
      'app.service': '[Service]\nEnvironmentFile=/etc/app/settings\nExecStart=/srv/venv/bin/gunicorn wsgi:app\n',
      'etc/app/settings': 'FLASK_DEBUG=1\n',
    });
    expect(result.after['app.service']).toBe(
      '[Service]\nEnvironmentFile=/etc/app/settings\nExecStart=/srv/venv/bin/gunicorn wsgi:app\n',
    );
    expect(result.manual).toContain('app.service:2 process-debug-env');
  });
});

describe('compose commands', () => {
  it('a `${VAR}` in a compose command is compose interpolation, not the container environment: left for a person without --debug', async () => {
    const result = await migrateInMemory({
      'compose.yaml':
        'services:\n  web:\n    build: .\n    command: flask run --host 0.0.0.0 --port ${PORT:-8001} --debug\n',
      Dockerfile: 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after['compose.yaml']).toBe(
      'services:\n  web:\n    build: .\n    command: flask run --host 0.0.0.0 --port ${PORT:-8001}\n',
    );
    expect(result.reasons).toEqual([expect.stringMatching(/takes a variable no shell in the container expands/)]);
  });
});

describe("requirement lines in the file's style", () => {
  const image = 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';

  it('a file that pins everything with == gets a pinned gunicorn; a file with ranges gets a range', async () => {
    const pinned = await migrateInMemory({
      Dockerfile: image,
      'app.py': FLASK_APP,
      'requirements.txt': '# pinned\nFlask==3.1.3\nwerkzeug == 3.1.9 ; python_version >= "3.9"\n\n',
    });
    expect(pinned.after['requirements.txt']).toBe(
      `# pinned\nFlask==3.1.3\nwerkzeug == 3.1.9 ; python_version >= "3.9"\n\ngunicorn==${GUNICORN_PIN}\n`,
    );
    const ranged = await migrateInMemory({
      Dockerfile: image,
      'app.py': FLASK_APP,
      'requirements.txt': 'Flask==3.1.3\nrequests>=2\n',
    });
    expect(ranged.after['requirements.txt']).toBe('Flask==3.1.3\nrequests>=2\ngunicorn>=23\n');
  });

  it('the pinned version is the gunicorn the test suite proves rewritten entrypoints with', () => {
    const testPins = readFileSync(join(REPO_ROOT, 'test', 'python', 'requirements.txt'), 'utf8');
    expect(/^gunicorn==(\S+)$/m.exec(testPins)?.[1]).toBe(GUNICORN_PIN);
  });
});

describe('several commands in one folder', () => {
  it('two commands that need different gunicorn.conf.py settings: both are switched in one run, the later one with its own settings file', async () => {
    const result = await migrateInMemory({
      Procfile: 'web: python app.py\n',
      Dockerfile:
        'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["flask", "run", "--host", "0.0.0.0", "--port", "9000"]\n',
      'app.py': FLASK_APP,
      'requirements.txt': 'flask\n',
    });
    expect(result.after.Dockerfile).toContain('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n');
    expect(result.after.Procfile).toBe('web: gunicorn -c gunicorn.procfile.conf.py app:app\n');
    expect(result.after['gunicorn.conf.py']).toContain('_port = "9000"');
    expect(result.after['gunicorn.procfile.conf.py']).toContain('_port = "8080"');
    expect(result.manual).toEqual([]);
    expect(result.after['requirements.txt']).toBe('flask\ngunicorn>=23\n');
  });

  it('two production stages sharing one pip install line get gunicorn on it once', async () => {
    const result = await migrateInMemory({
      Dockerfile:
        'FROM python:3.12 AS base\nWORKDIR /app\nRUN pip install flask\nCOPY . .\n\nFROM base AS web\nCMD ["python", "app.py"]\n\nFROM base AS api\nCMD ["python", "app.py"]\n',
      'app.py': FLASK_APP,
    });
    expect(result.after.Dockerfile).toContain('RUN pip install flask gunicorn\n');
  });
});

describe('a Dockerfile command left for a person', () => {
  it('loses --debug in exec and shell form, and says why it still needs a person', async () => {
    const result = await migrateInMemory({
      Dockerfile: 'FROM python:3.12\nCMD ["flask", "run", "--debug", "--host=0.0.0.0"]\n',
      'web/Dockerfile': 'FROM python:3.12\nCMD flask --debug run --host=0.0.0.0\n',
      'app.py': FLASK_APP,
    });
    expect(result.after.Dockerfile).toBe('FROM python:3.12\nCMD ["flask", "run", "--host=0.0.0.0"]\n');
    expect(result.after['web/Dockerfile']).toBe('FROM python:3.12\nCMD flask run --host=0.0.0.0\n');
    expect(result.reasons).toEqual([
      expect.stringMatching(/^still runs Flask's development server: /),
      expect.stringMatching(/^still runs Flask's development server: /),
    ]);
  });
});
