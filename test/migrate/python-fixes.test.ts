import { describe, expect, it } from 'vitest';
import { migrateInMemory } from '../support/migrate-plan.js';
import { must } from '../support/must.js';

const app = (body: string) => `from flask import Flask\n\napp = Flask(__name__)\n${body}`;

/** Each case: the file before, and the file a reviewer expects after migrate (written by hand). */
async function migratedApp(before: string): Promise<string> {
  const result = await migrateInMemory({ 'app.py': before });
  return must(result.after['app.py']);
}

describe('run-debug and socketio-run-debug rewrites', () => {
  it.each([
    ['app.run(debug=True)\n', 'app.run()\n'],
    ['app.run(debug=True, port=5000)\n', 'app.run(port=5000)\n'],
    ['app.run(host="0.0.0.0", debug=True)\n', 'app.run(host="0.0.0.0")\n'],
    ['app.run(port=5000, debug=True,)\n', 'app.run(port=5000,)\n'],
    ['app.run("0.0.0.0", 5000, True)\n', 'app.run("0.0.0.0", 5000)\n'],
    ['app.run("0.0.0.0", 5000, True, False)\n', 'app.run("0.0.0.0", 5000, None, False)\n'],
    ['app.run(use_debugger=True, use_evalex=True)\n', 'app.run()\n'],
    [
      'app.run(\n    host="0.0.0.0",\n    debug=True,  # for now\n    port=5000,\n)\n',
      'app.run(\n    host="0.0.0.0",\n    port=5000,\n)\n',
    ],
    ['app.run(host="0.0.0.0",\n        debug=True)\n', 'app.run(host="0.0.0.0")\n'],
  ])('%j', async (call, expected) => {
    expect(await migratedApp(app(call))).toBe(app(expected));
  });

  it('keeps CRLF line endings, tabs and trailing comments', async () => {
    const before =
      'from flask import Flask\r\n\r\napp = Flask(__name__)\r\nif True:\r\n\tapp.run(\r\n\t\tport=1,\r\n\t\tdebug=True,\r\n\t)  # run it\r\n';
    const expected =
      'from flask import Flask\r\n\r\napp = Flask(__name__)\r\nif True:\r\n\tapp.run(\r\n\t\tport=1,\r\n\t)  # run it\r\n';
    expect(await migratedApp(before)).toBe(expected);
  });

  it('socketio.run(app, debug=True) loses its debug argument', async () => {
    const before =
      'from flask import Flask\nfrom flask_socketio import SocketIO\n\napp = Flask(__name__)\nsocketio = SocketIO(app)\nsocketio.run(app, host="0.0.0.0", debug=True)\n';
    expect(await migratedApp(before)).toBe(before.replace(', debug=True', ''));
  });
});

describe('app.debug and app.config rewrites', () => {
  it.each([
    ['x = 1\napp.debug = True\ny = 2\n', 'x = 1\ny = 2\n'],
    ['app.debug = True  # enable the debugger\n', ''],
    ['app.testing = app.debug = True\n', 'app.testing = True\n'],
    ['app.debug = app.testing = 1\n', 'app.testing = 1\n'],
    ['def enable():\n    app.debug = True\n', 'def enable():\n    pass\n'],
    // A comment that only introduced the removed line goes with it; one about more than that line stays.
    ['x = 1\n\n# Enable debug mode.\napp.debug = True\n\ny = 2\n', 'x = 1\n\n\ny = 2\n'],
    ['def enable():\n    # Enable debug mode.\n    app.debug = True\n', 'def enable():\n    pass\n'],
    [
      '\n# Debug mode and the toolbar.\napp.debug = True\nprint("toolbar")\n',
      '\n# Debug mode and the toolbar.\nprint("toolbar")\n',
    ],
    ['\n# Settings\napp.debug = True\n', '\n# Settings\n'],
    ['x = 1\n# Enable debug mode.\napp.debug = True\n', 'x = 1\n'],
    ['app.config["DEBUG"] = True\napp.config["X"] = 1\n', 'app.config["X"] = 1\n'],
    ['app.config.update(DEBUG=True, SECRET_KEY="k")\n', 'app.config.update(SECRET_KEY="k")\n'],
    ['app.config.update(DEBUG=True)\nprint("ok")\n', 'print("ok")\n'],
    ['app.config.update({"DEBUG": True, "X": 1})\n', 'app.config.update({"X": 1})\n'],
    ['app.config.update(dict(DEBUG=True))\n', ''],
    [
      'app.config.from_mapping(\n    SECRET_KEY="k",\n    DEBUG=True,\n)\n',
      'app.config.from_mapping(\n    SECRET_KEY="k",\n)\n',
    ],
  ])('%j', async (body, expected) => {
    expect(await migratedApp(app(body))).toBe(app(expected));
  });
});

describe('config classes, config modules and config selection', () => {
  it('removes DEBUG from the base class and pins every production class that relied on it', async () => {
    const before = [
      'class Config:',
      '    SECRET = 1',
      '    DEBUG = True',
      '',
      '',
      'class DevelopmentConfig(Config):',
      '    DEBUG = True',
      '',
      '',
      'class ProductionConfig(Config):',
      '    """Settings for production."""',
      '    SQL = "postgres://"',
      '',
      '',
      'class StagingConfig(ProductionConfig):',
      '    pass',
      '',
    ].join('\n');
    const expected = [
      'class Config:',
      '    SECRET = 1',
      '',
      '',
      'class DevelopmentConfig(Config):',
      '    DEBUG = True',
      '',
      '',
      'class ProductionConfig(Config):',
      '    """Settings for production."""',
      '    DEBUG = False',
      '    SQL = "postgres://"',
      '',
      '',
      'class StagingConfig(ProductionConfig):',
      '    pass',
      '',
    ].join('\n');
    const result = await migrateInMemory({ 'config.py': before });
    expect(result.after['config.py']).toBe(expected);
  });

  it('rewrites a module of many config classes as it would a few (their mentions found in one pass)', async () => {
    const count = 30;
    const production = (pin: string) =>
      Array.from({ length: count }, (_, n) => `class ProductionConfig${n}(Config):\n${pin}    SQL_${n} = "x"\n\n\n`);
    // Settings objects read as attributes: instantiated here, never handed to Flask, so left alone.
    const settings = Array.from(
      { length: count },
      (_, n) => `class TenantSettings${n}:\n    DEBUG = True\n\n\ntenant_${n} = TenantSettings${n}()\n\n\n`,
    );
    const before = ['class Config:\n    SECRET = 1\n    DEBUG = True\n\n\n', ...production(''), ...settings].join('');
    const expected = ['class Config:\n    SECRET = 1\n\n\n', ...production('    DEBUG = False\n'), ...settings].join(
      '',
    );
    const result = await migrateInMemory({ 'config.py': before });
    expect(result.after['config.py']).toBe(expected);
  });

  it('flips DEBUG in a production class and pins one that inherits from development', async () => {
    const before =
      'class DevConfig:\n    DEBUG = True\n\n\nclass ProdConfig(DevConfig):\n    X = 1\n\n\nclass ProductionConfig:\n    DEBUG = True\n';
    const expected =
      'class DevConfig:\n    DEBUG = True\n\n\nclass ProdConfig(DevConfig):\n    DEBUG = False\n    X = 1\n\n\nclass ProductionConfig:\n    DEBUG = False\n';
    // The app loads both (a class nothing loads is no finding).
    const app = 'from settings import ProdConfig, ProductionConfig\n\nCONFIGS = [ProdConfig, ProductionConfig]\n';
    expect((await migrateInMemory({ 'settings.py': before, 'app.py': app })).after['settings.py']).toBe(expected);
  });

  it('removes a module-level DEBUG loaded by from_object(__name__)', async () => {
    const before =
      'from flask import Flask\n\nDEBUG = True\nSECRET_KEY = "x"\napp = Flask(__name__)\napp.config.from_object(__name__)\n';
    expect(await migratedApp(before)).toBe(before.replace('DEBUG = True\n', ''));
  });

  it('points the config map default at the production class, and lets FLASK_DEBUG decide after a hard-wired from_object("...Development...")', async () => {
    const before =
      'from flask import Flask\n\nconfig = {\n    "development": DevelopmentConfig,\n    "production": ProductionConfig,\n    "default": DevelopmentConfig,\n}\n\n\ndef pick(name=None):\n    return config[name or "default"]\n\n\napp = Flask(__name__)\napp.config.from_object("config.DevelopmentConfig")\n';
    const result = await migrateInMemory({ 'app.py': before });
    expect(result.after['app.py']).toBe(
      before
        .replace('"default": DevelopmentConfig', '"default": ProductionConfig')
        .replace('from flask import Flask\n', 'from flask import Flask\nimport os\n')
        .concat('app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")\n'),
    );
    expect(result.manual).toEqual([]);
    expect(result.fixNotices).toEqual([
      'with no config selected the app now loads ProductionConfig: select "development" for local runs',
      '"config.DevelopmentConfig" still loads in every environment, but its DEBUG no longer turns the debugger on: set FLASK_DEBUG=1 (or use flask run --debug) for it locally',
    ]);
  });

  it('says when the production class the map now defaults to refuses to start without SECRET_KEY', async () => {
    const config = [
      'import os',
      '',
      '',
      'class DevelopmentConfig:',
      '    DEBUG = True',
      '',
      '',
      'class ProductionConfig:',
      '    SECRET_KEY = os.environ.get("SECRET_KEY")',
      '',
      '    @classmethod',
      '    def init_app(cls, app):',
      '        assert cls.SECRET_KEY, "SECRET_KEY must be set in production"',
      '',
      '',
      'config = {"development": DevelopmentConfig, "production": ProductionConfig, "default": DevelopmentConfig}',
      '',
      '',
      'def pick():',
      '    return config[os.getenv("FLASK_CONFIG") or "default"]',
      '',
    ].join('\n');
    const result = await migrateInMemory({ 'config.py': config });
    expect(result.after['config.py']).toBe(
      config.replace('"default": DevelopmentConfig', '"default": ProductionConfig'),
    );
    expect(result.fixNotices).toEqual([
      'with no config selected the app now loads ProductionConfig, which refuses to start without SECRET_KEY: set SECRET_KEY, or select "development" (FLASK_CONFIG=development) for local runs',
    ]);
  });

  it('switches a fallback to the development entry to production, and leaves create_app("development") for a person', async () => {
    const config =
      'class DevelopmentConfig:\n    DEBUG = True\n\n\nclass ProductionConfig:\n    DEBUG = False\n\n\nconfig_by_name = {"development": DevelopmentConfig, "production": ProductionConfig}\n';
    const factory = [
      'import os',
      '',
      'from flask import Flask',
      '',
      'from config import config_by_name',
      '',
      '',
      "def create_app(config_name='development'):",
      '    app = Flask(__name__)',
      '    app.config.from_object(config_by_name[config_name])',
      '    return app',
      '',
      '',
      'def create_api():',
      '    api = Flask(__name__)',
      '    api.config.from_object(config_by_name[os.getenv("FLASK_CONFIG", "development")])',
      '    return api',
      '',
    ].join('\n');
    const run = 'from factory import create_app\n\napp = create_app("development")\n';
    // The default matters because a module calls the factory without a name.
    const wsgi = 'from factory import create_app\n\napplication = create_app()\n';
    const result = await migrateInMemory({
      'config.py': config,
      'factory.py': factory,
      'run.py': run,
      'wsgi.py': wsgi,
    });
    expect(result.after['factory.py']).toBe(
      factory
        .replace("config_name='development'", "config_name='production'")
        .replace('"FLASK_CONFIG", "development"', '"FLASK_CONFIG", "production"'),
    );
    expect(result.after['run.py']).toBe(run);
    expect(result.fixNotices.every((notice) => /now loads the "production" config/.test(notice))).toBe(true);
  });
});

describe('a dotted config path passed through a factory parameter', () => {
  const settings =
    'class Base:\n    TESTING = False\n\n\nclass Local(Base):\n    DEBUG = True\n\n\nclass Live(Base):\n    DEBUG = False\n';
  const factory =
    'from flask import Flask\n\n\ndef build_app(settings=None):\n    app = Flask(__name__)\n    app.config.from_object(settings)\n    return app\n';

  it('leaves create_app("settings.Local") for a person, with why, and changes no file', async () => {
    const serve =
      'from shop import build_app\n\napp = build_app(settings="settings.Local")\nworker = build_app("settings.Local")\n';
    const result = await migrateInMemory({ 'settings.py': settings, 'shop/__init__.py': factory, 'serve.py': serve });
    expect(result.after['serve.py']).toBe(serve);
    expect(result.after['shop/__init__.py']).toBe(factory);
    expect(result.manual).toEqual(['serve.py:3 dev-config-selected', 'serve.py:4 dev-config-selected']);
    expect(
      result.reasons.every((reason) => reason.startsWith('settings.Local is the development class, passed by name')),
    ).toBe(true);
  });
});

describe("a factory parameter's default loaded by from_object", () => {
  it('lets FLASK_DEBUG decide DEBUG after loading the default development class, as for a hard-wired one', async () => {
    const settings = 'class LocalSettings:\n    DEBUG = True\n';
    const factory = [
      'from flask import Flask',
      '',
      'from settings import LocalSettings',
      '',
      '',
      'def create_app(settings_class=LocalSettings):',
      '    app = Flask(__name__)',
      '    app.config.from_object(settings_class)',
      '    return app',
      '',
    ].join('\n');
    const wsgi = 'from factory import create_app\n\napp = create_app()\n';
    const result = await migrateInMemory({ 'settings.py': settings, 'factory.py': factory, 'wsgi.py': wsgi });
    expect(result.after['factory.py']).toBe(
      factory
        .replace('from flask import Flask\n', 'from flask import Flask\n')
        .replace('from settings import LocalSettings\n', 'from settings import LocalSettings\nimport os\n')
        .replace(
          '    app.config.from_object(settings_class)\n',
          '    app.config.from_object(settings_class)\n' +
            '    app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")\n',
        ),
    );
    expect(result.after['settings.py']).toBe(settings);
    expect(result.manual).toEqual([]);
    expect(result.fixNotices).toEqual([
      'LocalSettings still loads in every environment, but its DEBUG no longer turns the debugger on: set FLASK_DEBUG=1 (or use flask run --debug) for it locally',
    ]);
  });
});

describe('Werkzeug rewrites', () => {
  it('guards DebuggedApplication behind app.debug, keeping indentation', async () => {
    const before =
      'from flask import Flask\nfrom werkzeug.debug import DebuggedApplication\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)\n    return app\n';
    const expected =
      'from flask import Flask\nfrom werkzeug.debug import DebuggedApplication\n\n\ndef create_app():\n    app = Flask(__name__)\n    if app.debug:\n        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)\n    return app\n';
    expect(await migratedApp(before)).toBe(expected);
  });

  it('leaves a DebuggedApplication bound to a new name for a person (guarding it would leave the name unbound)', async () => {
    const before =
      'from flask import Flask\nfrom werkzeug.debug import DebuggedApplication\n\napp = Flask(__name__)\napplication = DebuggedApplication(app, True)\n';
    const result = await migrateInMemory({ 'app.py': before });
    expect(result.after['app.py']).toBe(before);
    expect(result.manual).toEqual(['app.py:5 werkzeug-debugged-application']);
  });

  it('reads use_debugger strictly from FLASK_DEBUG and adds import os after the imports', async () => {
    const before =
      '"""Serve it."""\nfrom __future__ import annotations\n\nfrom werkzeug.serving import run_simple\n\nfrom app import app\n\nrun_simple("127.0.0.1", 8000, app, use_debugger=True)\n';
    const expected =
      '"""Serve it."""\nfrom __future__ import annotations\n\nfrom werkzeug.serving import run_simple\n\nfrom app import app\nimport os\n\nrun_simple("127.0.0.1", 8000, app, use_debugger=os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes"))\n';
    const result = await migrateInMemory({
      'serve.py': before,
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(result.after['serve.py']).toBe(expected);
  });

  it('does not add import os twice', async () => {
    const before =
      'import os\nfrom werkzeug.serving import run_simple\nfrom app import app\nrun_simple("h", 1, app, True, True)\n';
    const result = await migrateInMemory({
      'serve.py': before,
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(result.after['serve.py']).toBe(
      before.replace(
        'True, True)',
        `True, ${'os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")'})`,
      ),
    );
  });
});

describe('config loaded from a committed file', () => {
  it('is listed for a person with the file to change; the loader and the file are left as they are', async () => {
    const app =
      'import json\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config.from_file("config.json", load=json.load)\n';
    const config = '{"DEBUG": true, "NAME": "shop"}\n';
    const result = await migrateInMemory({ 'app.py': app, 'config.json': config });
    expect(result.after['app.py']).toBe(app);
    expect(result.after['config.json']).toBe(config);
    expect(result.manual).toEqual(['app.py:6 config-file-debug']);
    expect(result.reasons).toEqual([expect.stringContaining('remove DEBUG from the committed config file')]);
  });
});

describe('files migrate must not touch', () => {
  it('leaves a file with a syntax error byte-for-byte as it was, and says why', async () => {
    const broken = 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n\n\ndef broken(:\n    pass\n';
    const result = await migrateInMemory({ 'app.py': broken });
    expect(result.after['app.py']).toBe(broken);
    expect(result.statuses['app.py']).toBe('skipped');
  });

  it('keeps a UTF-8 BOM and a latin-1 file in its encoding', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(app('app.run(debug=True)\n'))]);
    const latin = Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\nfrom flask import Flask\nname = "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"\napp = Flask(name)\napp.run(debug=True)\n'),
    ]);
    const result = await migrateInMemory({ 'bom_app.py': bom, 'latin_app.py': latin });
    expect(result.after['bom_app.py']).toBe(app('app.run()\n'));
    expect(result.after['latin_app.py']).toBe(
      '# -*- coding: latin-1 -*-\nfrom flask import Flask\nname = "caf\u00e9"\napp = Flask(name)\napp.run()\n',
    );
  });
});

describe('environment reads whose default is on: the default flips, the variable keeps working', () => {
  const header =
    'import os\n\nfrom decouple import config\nfrom environs import Env\nfrom flask import Flask\n\nenv = Env()\napp = Flask(__name__)\n';
  it.each([
    ['app.run(debug=os.getenv("FLASK_DEBUG", "1") == "1")\n', 'app.run(debug=os.getenv("FLASK_DEBUG", "0") == "1")\n'],
    [
      'app.run(debug=os.getenv("DEBUG", "True").lower() in ("true", "1"))\n',
      'app.run(debug=os.getenv("DEBUG", "false").lower() in ("true", "1"))\n',
    ],
    ['app.run(debug=os.getenv("DEBUG") != "0")\n', 'app.run(debug=os.getenv("DEBUG", "0") != "0")\n'],
    [
      'app.run(debug=os.getenv("APP_ENV", "development") == "development")\n',
      'app.run(debug=os.getenv("APP_ENV", "production") == "development")\n',
    ],
    ['app.run(debug=env.bool("DEBUG", True))\n', 'app.run(debug=env.bool("DEBUG", False))\n'],
    [
      'app.run(debug=config("DEBUG", default=True, cast=bool))\n',
      'app.run(debug=config("DEBUG", default=False, cast=bool))\n',
    ],
    [
      'app.run(debug=config("DEBUG", default="Yes", cast=bool))\n',
      'app.run(debug=config("DEBUG", default="No", cast=bool))\n',
    ],
    ['app.debug = int(os.getenv("DEBUG", "1"))\n', 'app.debug = int(os.getenv("DEBUG", "0"))\n'],
    [
      'app.config["DEBUG"] = os.getenv("FLASK_DEBUG", "1") == "1"\n',
      'app.config["DEBUG"] = os.getenv("FLASK_DEBUG", "0") == "1"\n',
    ],
    [
      'DEBUG = os.environ.get("APP_DEBUG", "True") == "True"\napp.run(debug=DEBUG)\n',
      'DEBUG = os.environ.get("APP_DEBUG", "False") == "True"\napp.run(debug=DEBUG)\n',
    ],
    // Through a name bound once to the read: the binding's default flips, as for the direct form.
    [
      'ENV = os.environ.get("FLASK_ENV", "development")\napp.config["DEBUG"] = ENV == "development"\n',
      'ENV = os.environ.get("FLASK_ENV", "production")\napp.config["DEBUG"] = ENV == "development"\n',
    ],
    [
      'STAGE = env.str("APP_STAGE", default="local").lower()\napp.run(debug=STAGE in ("local", "dev"))\n',
      'STAGE = env.str("APP_STAGE", default="production").lower()\napp.run(debug=STAGE in ("local", "dev"))\n',
    ],
    [
      'def main():\n    mode = os.getenv("APP_MODE", "1")\n    app.run(debug=mode == "1")\n',
      'def main():\n    mode = os.getenv("APP_MODE", "0")\n    app.run(debug=mode == "1")\n',
    ],
  ])('%j', async (body, expected) => {
    const result = await migrateInMemory({ 'app.py': header + body });
    expect(result.after['app.py']).toBe(header + expected);
    expect(result.fixNotices).toHaveLength(1);
    expect(result.fixNotices[0]).toMatch(/now defaults to off: set \w+=\w+ where you want debug mode/);
  });

  it.each([
    [
      'app.run(debug=os.environ.get("DEBUG", True))\n',
      'app.run(debug=os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on"))\n',
    ],
    [
      "app.run(debug=os.environ.get('DEBUG', 'yes'))\n",
      'app.run(debug=os.environ.get(\'DEBUG\', \'\').strip().lower() in ("1", "true", "yes", "on"))\n',
    ],
    // What an earlier flip left: off unset, but DEBUG=false is a non-empty string, so on.
    [
      'app.config["DEBUG"] = os.environ.get("DEBUG", False)\n',
      'app.config["DEBUG"] = os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on")\n',
    ],
    [
      'app.debug = os.getenv("FLASK_DEBUG")\n',
      'app.debug = os.getenv("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")\n',
    ],
  ])('a plain string read becomes a strict one: %j', async (body, expected) => {
    const result = await migrateInMemory({ 'app.py': header + body });
    expect(result.after['app.py']).toBe(header + expected);
    expect(result.fixNotices).toHaveLength(1);
    expect(result.fixNotices[0]).toMatch(/is now read strictly: unset, 0, false, no and off mean off/);
  });

  it('flips the default in a config class and in the settings class that app.run(debug=settings.DEBUG) reads', async () => {
    const config =
      'from decouple import config\n\n\nclass ProductionConfig:\n    DEBUG = config("DEBUG", default=True, cast=bool)\n\n\nconfigs = {"production": ProductionConfig}\n';
    const settings =
      'import os\n\nfrom flask import Flask\n\n\nclass Settings:\n    DEBUG = os.environ.get("DEBUG", "1") == "1"\n\n\nsettings = Settings()\napp = Flask(__name__)\napp.run(debug=settings.DEBUG)\n';
    const result = await migrateInMemory({ 'config.py': config, 'app.py': settings });
    expect(result.after['config.py']).toBe(config.replace('default=True', 'default=False'));
    expect(result.after['app.py']).toBe(settings.replace('"DEBUG", "1"', '"DEBUG", "0"'));
  });
});

describe('a settings object (not a config class) keeps its DEBUG; its read is rewritten instead', () => {
  it('drops debug=settings.DEBUG from app.run() and leaves Settings.DEBUG for the code that reads it', async () => {
    const before =
      'from flask import Flask\n\n\nclass Settings:\n    DEBUG = True\n    PORT = 8000\n\n\nsettings = Settings()\napp = Flask(__name__)\n\nif settings.DEBUG:\n    print("verbose")\n\nif __name__ == "__main__":\n    app.run(port=settings.PORT, debug=settings.DEBUG)\n';
    const result = await migrateInMemory({ 'app.py': before });
    expect(result.after['app.py']).toBe(before.replace(', debug=settings.DEBUG', ''));
  });
});

describe('run_simple(use_debugger=...) reads os.environ through a name that is the os module where the call is', () => {
  const strict = (name: string) => `${name}.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")`;
  const app = { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };

  it('adds a module-level import os when os is imported only inside another function', async () => {
    const before =
      'from werkzeug.serving import run_simple\n\nfrom app import app\n\n\ndef env_name():\n    import os\n    return os.environ.get("NAME")\n\n\ndef serve():\n    run_simple("127.0.0.1", 8000, app, use_debugger=True)\n';
    const result = await migrateInMemory({ ...app, 'serve.py': before });
    expect(result.after['serve.py']).toBe(
      before
        .replace('from app import app\n', 'from app import app\nimport os\n')
        .replace('use_debugger=True', `use_debugger=${strict('os')}`),
    );
  });

  it('uses the function-local import os when it precedes the call', async () => {
    const before =
      'from werkzeug.serving import run_simple\n\nfrom app import app\n\n\ndef serve():\n    import os\n    run_simple("127.0.0.1", int(os.environ.get("PORT", "8000")), app, use_debugger=True)\n';
    const result = await migrateInMemory({ ...app, 'serve.py': before });
    expect(result.after['serve.py']).toBe(before.replace('use_debugger=True', `use_debugger=${strict('os')}`));
  });

  it('imports os under another name when a parameter called os shadows it', async () => {
    const before =
      'import os\n\nfrom werkzeug.serving import run_simple\n\nfrom app import app\n\n\ndef serve(os="linux"):\n    run_simple("127.0.0.1", 8000, app, use_debugger=True)\n';
    const result = await migrateInMemory({ ...app, 'serve.py': before });
    expect(result.after['serve.py']).toBe(
      before
        .replace('from app import app\n', 'from app import app\nimport os as _os\n')
        .replace('use_debugger=True', `use_debugger=${strict('_os')}`),
    );
  });
});

describe('a setting imported from another module', () => {
  it('drops debug=Settings.DEBUG_MODE from app.run() and leaves the settings module as it was', async () => {
    const settings = 'class Settings:\n    APP_HOST = "localhost"\n    DEBUG_MODE = True\n';
    const before =
      'from flask import Flask\n\nfrom settings import Settings\n\napp = Flask(__name__)\nprint(Settings.DEBUG_MODE)\napp.run(debug=Settings.DEBUG_MODE, host=Settings.APP_HOST)\n';
    const result = await migrateInMemory({ 'settings.py': settings, 'app.py': before });
    expect(result.after['app.py']).toBe(before.replace('debug=Settings.DEBUG_MODE, ', ''));
    expect(result.after['settings.py']).toBe(settings);
  });
});

describe('a settings class in its own module keeps the DEBUG attribute other modules read', () => {
  it('reads Settings.DEBUG from FLASK_DEBUG instead of deleting it, and drops the debug argument where app.run reads it', async () => {
    const settings = 'class Settings:\n    DEBUG = True\n    PORT = 8000\n';
    const app =
      'from flask import Flask\n\nfrom settings import Settings\n\napp = Flask(__name__)\nprint("debug" if Settings.DEBUG else "quiet")\napp.run(port=Settings.PORT, debug=Settings.DEBUG)\n';
    const result = await migrateInMemory({ 'settings.py': settings, 'app.py': app });
    expect(result.after['settings.py']).toBe(
      'import os\n\nclass Settings:\n    DEBUG = os.environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes")\n    PORT = 8000\n',
    );
    expect(result.after['app.py']).toBe(app.replace(', debug=Settings.DEBUG', ''));
    expect(result.fixNotices).toEqual([
      'code that reads Settings.DEBUG now sees False unless FLASK_DEBUG is 1, true or yes: set FLASK_DEBUG=1 where it should be on (local development only)',
    ]);
  });
});

describe('a config selector function that falls back to a development entry', () => {
  const selector = (entries: string) =>
    [
      'import os',
      '',
      'from flask import Flask',
      '',
      '',
      'class LocalConfig:',
      '    DEBUG = True',
      '',
      '',
      'class LiveConfig:',
      '    DEBUG = False',
      '',
      '',
      `CONFIGS = {${entries}}`,
      '',
      '',
      'def pick_config():',
      '    return CONFIGS[os.environ.get("WORKER_ENV", "local")]',
      '',
      '',
      'worker = Flask(__name__)',
      'worker.config.from_object(pick_config())',
      '',
    ].join('\n');

  it("falls back to the map's own entry that leaves DEBUG off, whatever it is called", async () => {
    const source = selector('"local": LocalConfig, "live": LiveConfig');
    const result = await migrateInMemory({ 'worker.py': source });
    expect(result.after['worker.py']).toBe(source.replace('"WORKER_ENV", "local")', '"WORKER_ENV", "live")'));
  });

  it('leaves it to a person when the map has no production entry that leaves DEBUG off', async () => {
    // A testing entry is no production config, and a "prod" entry that turns DEBUG on is no way out.
    const source = selector('"local": LocalConfig, "test": LiveConfig, "prod": LocalConfig');
    const result = await migrateInMemory({ 'worker.py': source });
    expect(result.after['worker.py']).toBe(source);
    expect(result.manual).toEqual(['worker.py:18 dev-config-selected']);
  });
});
