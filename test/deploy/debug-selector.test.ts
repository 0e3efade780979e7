import { describe, expect, it } from 'vitest';
import {
  debugConfigClasses,
  findConfigPathSelectors,
  findDebugSelectors,
  findDecidingReads,
} from '../../src/python/debug-selector.js';
import { must } from '../support/must.js';

describe('app-specific debug switches', () => {
  it('finds a variable compared to a literal that picks a config key or class', () => {
    const source = [
      'import os',
      'DEBUG = (os.getenv("DEBUG", "False") == "True")',
      'mode = "Debug" if DEBUG else "Production"',
      'VERBOSE = os.environ.get("APP_DEBUG", "").lower() in ("1", "true")',
      'config_class = DevConfig if VERBOSE else ProdConfig',
    ].join('\n');
    const selectors = findDebugSelectors(source).map((selector) => ({
      variable: selector.variable,
      selects: selector.selects,
      line: selector.line,
      on: ['True', 'true', '1'].map(selector.passes),
    }));
    expect(selectors).toEqual([
      { variable: 'DEBUG', selects: 'Debug', line: 3, on: [true, false, false] },
      { variable: 'APP_DEBUG', selects: 'DevConfig', line: 5, on: [true, true, true] },
    ]);
  });

  it('ignores a variable that selects nothing', () => {
    expect(findDebugSelectors('import os\nDEBUG = os.getenv("DEBUG") == "1"\nprint(DEBUG)\n')).toEqual([]);
  });

  it('finds a variable whose value from_object() loads as the config class, in each reader', () => {
    const source = [
      'app.config.from_object(os.environ["APP_SETTINGS"])',
      "app.config.from_object(env('APP_CONFIG', default='config.ProductionConfig'))",
      'app.config.from_object(os.getenv("SHOP_CONFIG", "config.Prod"))',
      'app.config.from_object(config("SITE_SETTINGS"))',
      'app.config.from_object("config.ProductionConfig")',
    ].join('\n');
    const selectors = findConfigPathSelectors(source);
    expect(selectors.map((selector) => [selector.variable, selector.line])).toEqual([
      ['APP_SETTINGS', 1],
      ['APP_CONFIG', 2],
      ['SHOP_CONFIG', 3],
      ['SITE_SETTINGS', 4],
    ]);
    expect(['config.DevelopmentConfig', 'DevelopmentConfig', 'development'].map(must(selectors[0]).passes)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('lists the classes that set DEBUG = True in their own body', () => {
    const source =
      'class Base:\n    DEBUG = False\n\nclass DebugConfig(Base):\n    # on\n    DEBUG = True\n\nclass Other:\n    pass\nDEBUG = True\n';
    expect(debugConfigClasses(source)).toEqual([{ name: 'DebugConfig', line: 6 }]);
  });
});

describe('findDecidingReads', () => {
  const lines = (source: string) => findDecidingReads(source, 'FLASK_ENV').map((read) => read.line);

  it('finds a read the code compares or picks a config by, directly or through the name it is bound to', () => {
    expect(lines('if os.getenv("FLASK_ENV", "production") == "development":\n    DEBUG = True\n')).toEqual([1]);
    expect(lines('import os\nenv = os.environ.get("FLASK_ENV")\nif env != "production":\n    x = 1\n')).toEqual([2]);
    expect(lines('env = os.environ["FLASK_ENV"]\napp = create_app(env)\n')).toEqual([1]);
    expect(lines('app.config.from_object(config[os.getenv("FLASK_ENV") or "default"])\n')).toEqual([1]);
    expect(lines('DEV = os.getenv("FLASK_ENV", "").lower() in ("dev", "development")\n')).toEqual([1]);
  });

  it('ignores a read that is only logged or printed, and one in a comment', () => {
    expect(lines('print(os.getenv("FLASK_ENV"))\n')).toEqual([]);
    expect(lines('env = os.getenv("FLASK_ENV")\nlog.info("env %s", env)\n')).toEqual([]);
    expect(lines('# if os.getenv("FLASK_ENV") == "development":\n')).toEqual([]);
  });
});
