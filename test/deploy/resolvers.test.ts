import { beforeAll, describe, expect, it } from 'vitest';
import type { DevServerCommand } from '../../src/deploy/dev-server-command.js';
import { devServerCommandOf } from '../../src/deploy/dev-server-command.js';
import { deployCommand } from '../../src/deploy/formats/common.js';
import { parseShellCommands } from '../../src/deploy/shell/shell-commands.js';
import { resolveImage, resolvePlatformInstall } from '../../src/deploy/install-location.js';
import { resolveFlaskRunAddress, pythonExpression } from '../../src/deploy/listen-address.js';
import { memoryFiles } from '../../src/deploy/project-files.js';
import { loadShellParser } from '../../src/deploy/shell/shell-parser.js';
import { planDockerfileSwitch } from '../../src/deploy/server-switch.js';
import { withServedApp, type ServedAppQuery } from '../../src/deploy/served-app.js';
import { must } from '../support/must.js';

// The resolvers are pure: an in-memory project, no disk, no process. RUN lines are read with the bash grammar.
beforeAll(() => loadShellParser());
const root = '/repo';
// The fix's view of a command is the model's: its words read with the bash grammar, then classified.
const command = (text: string): DevServerCommand => {
  const simple = must(parseShellCommands(text)[0]);
  const model = deployCommand(simple.argv, { path: '', start: 0, end: 0, line: 1 });
  model.prefixEnv.push(
    ...simple.assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix' as const, at: model.at })),
  );
  return must(devServerCommandOf(model));
};
const servedTarget = (
  query: Omit<ServedAppQuery, 'folder' | 'environment'> & { environment?: Map<string, string> },
  files: Record<string, string>,
) =>
  withServedApp({ folder: root, environment: new Map(), ...query }, memoryFiles(files), (served) =>
    served.ok ? served.value.target : `unresolved: ${served.reason}`,
  );

describe('what the new command serves', () => {
  const factoryOnly = { '/repo/app.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n' };

  it('finds the app the way Flask does: app, application, a lone app, then a factory', () => {
    expect(
      servedTarget(
        { command: command('flask run') },
        { '/repo/app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
      ),
    ).toBe('app:app');
    expect(
      servedTarget(
        { command: command('flask run') },
        { '/repo/wsgi.py': 'import flask\napplication = flask.Flask(__name__)\n' },
      ),
    ).toBe('wsgi:application');
    expect(
      servedTarget(
        { command: command('flask --app web run') },
        { '/repo/web.py': 'from flask import Flask\nserver = Flask(__name__)\n' },
      ),
    ).toBe('web:server');
    expect(servedTarget({ command: command('flask run') }, factoryOnly)).toBe('app:create_app()');
  });

  it('reads FLASK_APP from the environment the deploy file gives, a package, and a named factory', () => {
    const pkg = {
      '/repo/shop/__init__.py': 'from flask import Flask\n\ndef make_app(config="prod"):\n    return Flask(__name__)\n',
    };
    expect(servedTarget({ command: command('flask run'), environment: new Map([['FLASK_APP', 'shop']]) }, pkg)).toBe(
      'shop:make_app()',
    );
    expect(servedTarget({ command: command('FLASK_APP=shop:make_app flask run') }, pkg)).toBe('shop:make_app()');
    expect(servedTarget({ command: command(`flask --app "shop:make_app('dev')" run`) }, pkg)).toBe(
      "shop:make_app('dev')",
    );
  });

  it('refuses what would fail at import, with the reason', () => {
    expect(
      servedTarget(
        { command: command('flask run') },
        { '/repo/app.py': 'from flask import Flask\n\ndef create_app(config):\n    return Flask(__name__)\n' },
      ),
    ).toMatch(/^unresolved: no Flask app or create_app\(\) factory/);
    expect(
      servedTarget(
        { command: command('python run.py') },
        { '/repo/run.py': 'from flask import Flask\napp = Flask(__name__)\napp.run()\n' },
      ),
    ).toMatch(/while it is imported/);
    expect(
      servedTarget(
        { command: command('python app.py') },
        {
          '/repo/app.py':
            'from flask import Flask\nfrom flask_socketio import SocketIO\napp = Flask(__name__)\nsocketio = SocketIO(app)\nif __name__ == "__main__":\n    socketio.run(app)\n',
        },
      ),
    ).toMatch(/Flask-SocketIO/);
    expect(
      servedTarget(
        { command: command('flask run') },
        { '/repo/app.py': 'from flask import Flask\na = Flask("a")\nb = Flask("b")\n' },
      ),
    ).toMatch(/several Flask apps/);
  });

  it('a script that builds its app in the __main__ block is served through the same factory call', () => {
    const files = {
      '/repo/main.py':
        'from shop import create_app\n\nif __name__ == "__main__":\n    app = create_app("production")\n    app.run(port=8000)\n',
    };
    expect(servedTarget({ command: command('python main.py') }, files)).toBe('main:create_app("production")');
  });
});

describe('where the image installs packages', () => {
  const image = (dockerfile: string, files: Record<string, string> = {}) => {
    const offset = dockerfile.lastIndexOf('CMD');
    const result = resolveImage(
      { path: '/repo/Dockerfile', source: dockerfile },
      offset,
      root,
      memoryFiles({ '/repo/Dockerfile': dockerfile, '/repo/app.py': '', ...files }),
    );
    if (!result.ok) return `unresolved: ${result.reason}`;
    const { install } = result.value;
    return install.kind === 'requirements'
      ? `requirements ${install.path}`
      : install.kind === 'pip-line'
        ? `pip-line ${dockerfile.slice(0, install.offset).split('\n').at(-1)}|`
        : 'present';
  };

  it('maps `pip install -r` through WORKDIR and COPY back to the build context', () => {
    expect(
      image(
        'FROM python\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD x',
        { '/repo/requirements.txt': 'flask\n' },
      ),
    ).toBe('requirements /repo/requirements.txt');
    expect(
      image(
        'FROM python\nCOPY deploy/req-prod.txt /tmp/r.txt\nRUN pip install --requirement=/tmp/r.txt\nCOPY . /\nCMD x',
        { '/repo/deploy/req-prod.txt': 'flask\n' },
      ),
    ).toBe('requirements /repo/deploy/req-prod.txt');
    expect(
      image('FROM python\nWORKDIR /srv\nCOPY reqs/ ./reqs/\nRUN pip install -r reqs/base.txt\nCOPY . .\nCMD x', {
        '/repo/reqs/base.txt': 'flask\n',
      }),
    ).toBe('requirements /repo/reqs/base.txt');
  });

  it('follows a multi-stage build to the stage the command runs in', () => {
    const dockerfile =
      'FROM python AS base\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nFROM base AS web\nCOPY . .\nCMD x';
    expect(image(dockerfile, { '/repo/requirements.txt': 'flask\n' })).toBe('requirements /repo/requirements.txt');
  });

  it('uses the `RUN pip install <packages>` line when no requirements file is installed', () => {
    expect(
      image('FROM python\nRUN pip3 install --no-cache-dir -U flask==3.1.3 requests && apt-get clean\nCOPY . .\nCMD x', {
        '/repo/requirements.txt': 'flask\n',
      }),
    ).toBe('pip-line RUN pip3 install --no-cache-dir -U flask==3.1.3 requests|');
  });

  it('knows gunicorn is already there, and says why when it cannot tell', () => {
    expect(image('FROM python\nCOPY . .\nRUN pip install flask gunicorn\nCMD x')).toBe('present');
    expect(
      image('FROM python\nCOPY . .\nRUN pip install -r requirements.txt\nCMD x', {
        '/repo/requirements.txt': '-r base.txt\n',
        '/repo/base.txt': 'gunicorn==23.0.0\n',
      }),
    ).toBe('present');
    expect(image('FROM python\nCOPY . .\nRUN poetry install\nCMD x')).toMatch(/with poetry/);
    // Installers are read off the RUN's commands: after `&&`, through wrappers, and never from a word inside another one.
    expect(image('FROM python\nCOPY . .\nRUN apt-get update && uv pip install --system .\nCMD x')).toMatch(/with uv/);
    expect(image('FROM python\nCOPY . .\nRUN cd /srv && env CI=1 pipenv sync\nCMD x')).toMatch(/with pipenv/);
    expect(image('FROM python\nCOPY . .\nRUN pip install flask gunicorn && echo "poetry install"\nCMD x')).toBe(
      'present',
    );
    expect(image('FROM python\nCOPY . .\nRUN pip install .\nCMD x')).toMatch(/installs the project itself/);
    expect(image('FROM python\nCOPY app.py .\nRUN pip install flask\nCMD x')).toMatch(/copies only some files/);
    expect(image('FROM python\nCOPY . .\nRUN pip install -r /opt/generated.txt\nCMD x')).toMatch(
      /not copied from the build context/,
    );
  });

  it('a Procfile platform installs requirements.txt, or it is not certain', () => {
    expect(resolvePlatformInstall(root, memoryFiles({ '/repo/requirements.txt': 'flask\n' }))).toEqual({
      ok: true,
      value: {
        kind: 'requirements',
        path: '/repo/requirements.txt',
        evidence: 'the platform installs requirements.txt',
      },
    });
    expect(resolvePlatformInstall(root, memoryFiles({ '/repo/Pipfile': '' })).ok).toBe(false);
  });
});

describe('where the old command listened', () => {
  const flaskRun = (text: string, shell = true) => {
    const result = resolveFlaskRunAddress(command(text).argv, { shell });
    return result.ok
      ? `${pythonExpression(result.value.host)} ${pythonExpression(result.value.port)}`
      : `unresolved: ${result.reason}`;
  };

  it("flask run: flags, shell variables, and FLASK_RUN_* with Flask's defaults", () => {
    expect(flaskRun('flask run --host=0.0.0.0 --port 8000')).toBe('"0.0.0.0" "8000"');
    expect(flaskRun('flask run -h 0.0.0.0 -p ${PORT:-8080}')).toBe('"0.0.0.0" os.environ.get("PORT", "8080")');
    expect(flaskRun('flask run --port $PORT')).toBe('os.environ.get("FLASK_RUN_HOST", "127.0.0.1") os.environ["PORT"]');
    expect(flaskRun('flask run')).toBe(
      'os.environ.get("FLASK_RUN_HOST", "127.0.0.1") os.environ.get("FLASK_RUN_PORT", "5000")',
    );
    expect(flaskRun('flask run --port $PORT', false)).toMatch(/takes a variable no shell in the container expands/);
  });

  it('reads the options off the words the model read: attached short values, quotes, the last one given', () => {
    expect(flaskRun('flask run -p8080 --host "0.0.0.0"')).toBe('"0.0.0.0" "8080"');
    expect(flaskRun("exec flask run --port='7000' --port 9000")).toBe(
      'os.environ.get("FLASK_RUN_HOST", "127.0.0.1") "9000"',
    );
    expect(flaskRun('flask run --port "${PORT:-5001}"')).toBe(
      'os.environ.get("FLASK_RUN_HOST", "127.0.0.1") os.environ.get("PORT", "5001")',
    );
  });

  it('app.run(): literals, constants, __main__ bindings and environment reads with their default', () => {
    const portOf = (source: string) => {
      const dockerfile = 'FROM python\nCOPY . .\nRUN pip install flask\nCMD ["python", "app.py"]\n';
      const files = memoryFiles({
        '/repo/Dockerfile': dockerfile,
        '/repo/app.py': `import os\nfrom flask import Flask\napp = Flask(__name__)\n${source}`,
      });
      const plan = planDockerfileSwitch(
        {
          deployFile: '/repo/Dockerfile',
          command: command('python app.py'),
          commandText: 'python app.py',
          shell: false,
        },
        dockerfile.indexOf('CMD'),
        files,
      );
      return plan.ok
        ? `${pythonExpression(plan.value.listen.host)} ${pythonExpression(plan.value.listen.port)}`
        : `unresolved: ${plan.reason}`;
    };
    expect(portOf('if __name__ == "__main__":\n    app.run("0.0.0.0", 8080)\n')).toBe('"0.0.0.0" "8080"');
    expect(portOf('PORT = 7000\nif __name__ == "__main__":\n    app.run(port=PORT)\n')).toBe('"127.0.0.1" "7000"');
    expect(
      portOf(
        'if __name__ == "__main__":\n    port = int(os.environ.get("FLASK_SERVER_PORT", 9090))\n    app.run(host="0.0.0.0", port=port)\n',
      ),
    ).toBe('"0.0.0.0" os.environ.get("FLASK_SERVER_PORT", "9090")');
    expect(portOf('if __name__ == "__main__":\n    app.run(port=os.getenv("PORT") or 8000)\n')).toBe(
      '"127.0.0.1" os.environ.get("PORT", "8000")',
    );
    expect(portOf('if __name__ == "__main__":\n    app.run(port=int(os.environ["PORT"]))\n')).toBe(
      '"127.0.0.1" os.environ["PORT"]',
    );
    expect(portOf('if __name__ == "__main__":\n    app.run(port=pick_port())\n')).toMatch(
      /^unresolved: cannot tell the port app\.run\(\) binds/,
    );
  });
});
