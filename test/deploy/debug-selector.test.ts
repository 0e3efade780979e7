import { describe, expect, it } from 'vitest';
import { debugConfigClasses, findDebugSelectors } from '../../src/python/debug-selector.js';

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

  it('lists the classes that set DEBUG = True in their own body', () => {
    const source =
      'class Base:\n    DEBUG = False\n\nclass DebugConfig(Base):\n    # on\n    DEBUG = True\n\nclass Other:\n    pass\nDEBUG = True\n';
    expect(debugConfigClasses(source)).toEqual([{ name: 'DebugConfig', line: 6 }]);
  });
});
