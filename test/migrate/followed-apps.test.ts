import { describe, expect, it } from 'vitest';
import { migrateInMemory } from '../support/migrate-plan.js';

// Shapes met on public repositories that check missed, each migrated: before and the after a reviewer expects.
describe('an app bound in another module and re-bound locally', () => {
  const settings = 'import connexion\n\napi_app = connexion.App(__name__, specification_dir="spec")\n';
  const runTail = '\nif __name__ == "__main__":\n    service.run(host="0.0.0.0", port=8081, debug=True)\n';

  it.each([
    ['import settings\n\nservice = settings.api_app\n'],
    ['from settings import api_app\n\nservice = api_app\n'],
  ])('%j: run(debug=True) loses its debug argument', async (head) => {
    const result = await migrateInMemory({
      'settings.py': settings,
      'requirements.txt': 'connexion==2.14.2\n',
      'server.py': head + runTail,
    });
    expect(result.after['server.py']).toBe(head + runTail.replace(', debug=True', ''));
    expect(result.after['settings.py']).toBe(settings);
  });

  it('a name re-bound from a project module that is no app is left alone', async () => {
    const registry = 'class Job:\n    def run(self, debug=False):\n        return debug\n\n\nworker = Job()\n';
    const server = 'import registry\n\njob = registry.worker\njob.run(debug=True)\n';
    const result = await migrateInMemory({ 'registry.py': registry, 'server.py': server });
    expect(result.after['server.py']).toBe(server);
  });
});

describe('a framework star-imported', () => {
  it.each([
    ['from dash import *\n\nboard = dash.Dash(__name__)\nboard.run_server(debug=True)\n'],
    ['from dash import *\n\nboard = Dash(__name__)\nboard.run(debug=True, port=8050)\n'],
    ['from flask import *\n\nsite = Flask(__name__)\nsite.run(debug=True, port=8050)\n'],
  ])('%j: the run loses its debug argument', async (before) => {
    const result = await migrateInMemory({ 'board.py': before });
    expect(result.after['board.py']).toBe(before.replace('debug=True, ', '').replace('debug=True', ''));
  });

  it("a project module's star import binds the project's own names, not the framework's", async () => {
    const widgets = 'class Dash:\n    def run_server(self, debug=False):\n        return debug\n';
    const panel = 'from widgets import *\n\npanel = Dash()\npanel.run_server(debug=True)\n';
    const result = await migrateInMemory({ 'widgets.py': widgets, 'panel.py': panel });
    expect(result.after['panel.py']).toBe(panel);
  });
});

describe('a factory called with an environment read that falls back to the development config', () => {
  const config =
    'class Config:\n    DEBUG = False\n\n\nclass DevConfig(Config):\n    DEBUG = True\n\n\n' +
    'class ProdConfig(Config):\n    DEBUG = False\n\n\nconfig_by_name = dict(dev=DevConfig, prod=ProdConfig)\n';
  const factory =
    'from flask import Flask\n\nfrom config import config_by_name\n\n\ndef create_app(config_name):\n' +
    '    app = Flask(__name__)\n    app.config.from_object(config_by_name[config_name])\n    return app\n';

  it.each([
    ["app = create_app(os.getenv('APP_ENV') or 'dev')\n", "app = create_app(os.getenv('APP_ENV') or 'prod')\n"],
    ["app = create_app(os.getenv('APP_ENV', 'dev'))\n", "app = create_app(os.getenv('APP_ENV', 'prod'))\n"],
  ])('%j falls back to production', async (call, expected) => {
    const head = 'import os\n\nfrom factory import create_app\n\n';
    const result = await migrateInMemory({ 'config.py': config, 'factory.py': factory, 'manage.py': head + call });
    expect(result.after['manage.py']).toBe(head + expected);
    expect(result.fixNotices.join('\n')).toContain('with nothing set the app now loads the "prod" config');
  });

  it('a fallback to production is no finding', async () => {
    const manage = "import os\n\nfrom factory import create_app\n\napp = create_app(os.getenv('APP_ENV') or 'prod')\n";
    const result = await migrateInMemory({ 'config.py': config, 'factory.py': factory, 'manage.py': manage });
    expect(result.after['manage.py']).toBe(manage);
    expect(result.titles).toEqual([]);
  });
});

describe('a conditional over an environment read that is off only for exact strings', () => {
  const head = 'import os\n\nfrom dash import Dash\n\nboard = Dash(__name__)\n';
  const tail = '\nif __name__ == "__main__":\n    board.run(host="0.0.0.0", debug=debug_mode)\n';

  it('off only for "False": read strictly, on only for 1/true/yes/on', async () => {
    const before = `${head}debug_mode = False if os.environ["BOARD_DEBUG"] == "False" else True\n${tail}`;
    const result = await migrateInMemory({ 'board.py': before });
    expect(result.after['board.py']).toBe(
      `${head}debug_mode = os.environ.get("BOARD_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")\n${tail}`,
    );
  });

  it('off only for "production": no rewrite of the read keeps its meaning, so the debug argument goes', async () => {
    const line = 'debug_mode = True if os.environ.get("BOARD_ENV") != "production" else False\n';
    const result = await migrateInMemory({ 'board.py': `${head}${line}${tail}` });
    expect(result.after['board.py']).toBe(`${head}${line}${tail.replace(', debug=debug_mode', '')}`);
  });

  it('on only for an exact string that is also the default: the default becomes off', async () => {
    const line = 'debug_mode = True if os.getenv("BOARD_TRACE", "yes") == "yes" else False\n';
    const result = await migrateInMemory({ 'board.py': `${head}${line}${tail}` });
    expect(result.after['board.py']).toBe(
      `${head}${line.replace('"BOARD_TRACE", "yes"', '"BOARD_TRACE", "false"')}${tail}`,
    );
  });

  it('on only for "1" and off when unset: no finding, nothing to migrate', async () => {
    const before = `${head}debug_mode = True if os.environ.get("BOARD_DEBUG") == "1" else False\n${tail}`;
    const result = await migrateInMemory({ 'board.py': before });
    expect(result.after['board.py']).toBe(before);
  });
});

describe('a deploy entry naming the config class the app loads', () => {
  it('is left for a person: without it, from_object(os.environ[...]) would not start', async () => {
    const compose = 'services:\n  web:\n    build: .\n    environment:\n      SHOP_SETTINGS: settings.DevSettings\n';
    const result = await migrateInMemory({
      'settings.py': 'class DevSettings:\n    DEBUG = True\n\n\nclass ProdSettings:\n    DEBUG = False\n',
      'app.py':
        'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config.from_object(os.environ["SHOP_SETTINGS"])\n',
      'compose.yaml': compose,
    });
    expect(result.after['compose.yaml']).toBe(compose);
    expect(result.manual.join('\n')).toBe('compose.yaml:5 compose-debug-env');
  });
});
