import { describe, expect, it } from 'vitest';
import { isUnderMainGuard } from '../../src/python/main-guard.js';

/** Whether the line holding `marker` in `source` counts as under the main guard. */
function guarded(source: string, marker = 'app.run'): boolean {
  const line = source.split('\n').findIndex((text) => text.includes(marker)) + 1;
  return isUnderMainGuard(source, line);
}

describe('main guard', () => {
  it.each([
    'if __name__ == "__main__":\n    app.run()',
    "if '__main__' == __name__:  # local only\n    app.run()",
    'if __name__ == "__main__" and LOCAL:\n    app.run()',
    'if LOCAL and cfg.get("mode") == "dev" and __name__ == "__main__":\n    app.run()',
    'if (__name__ == "__main__") and not TESTING:\n    setup()\n    app.run()',
    'if (LOCAL and __name__ == "__main__"):\n    app.run()',
    'if __name__ == "__main__" and LOCAL: app.run()',
    'if __name__ == "__main__": app.run(**{"debug": True})',
    'import os\r\n\r\nif __name__ == "__main__":\r\n    app.run()\r\n',
    'if __name__ == "__main__" and LOCAL:  # local runs\r\n    app.run()\r\n',
  ])('%j runs only as a script', (source) => {
    expect(guarded(source)).toBe(true);
  });

  it.each([
    'if __name__ == "__main__" or FORCE:\n    app.run()',
    'if not (__name__ == "__main__" and LOCAL):\n    app.run()',
    'if not __name__ == "__main__":\n    app.run()',
    'if LOCAL:\n    app.run()',
    'if __name__ == "__main__":\n    pass\napp.run()',
    'if __name__ == "__main__" or FORCE: app.run()',
  ])('%j may run on import', (source) => {
    expect(guarded(source)).toBe(false);
  });
});
