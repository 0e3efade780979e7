import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigKeySelections } from '../../src/check/config-key-selections.js';
import { tempProject, type TempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

function selections(source: string): ConfigKeySelections {
  project = tempProject();
  project.write('factory.py', source);
  return new ConfigKeySelections([join(project.root, 'factory.py')]);
}

describe('which config map keys a module selects', () => {
  it('counts a fallback, a call argument, a subscript and a default', () => {
    expect(selections('name = os.getenv("APP_ENV") or "default"\n').isSelected('default')).toBe(true);
    expect(selections('app = create_app("default")\n').isSelected('default')).toBe(true);
    expect(selections('cls = config["default"]\n').isSelected('default')).toBe(true);
    expect(selections('def create_app(name="default"):\n    pass\n').isSelected('default')).toBe(true);
  });

  it('does not count a map entry, nor a fallback after an f-string or str() (an unset read is "None")', () => {
    expect(selections('config = {"default": DevConfig}\n').isSelected('default')).toBe(false);
    expect(selections('name = f"{os.getenv(\'APP_ENV\')}" or "default"\n').isSelected('default')).toBe(false);
    expect(selections('name = str(os.environ.get("APP_ENV")) or "default"\n').isSelected('default')).toBe(false);
  });
});
