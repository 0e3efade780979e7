import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newestFlaskOn, oldestFlaskRelease } from '../../src/deploy/flask-release.js';
import { pinnedVersionFrom } from '../../src/files/pinned-version.js';

const scratch = mkdtempSync(join(tmpdir(), 'flask-release-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Flask a deployment can run', () => {
  it("follows Flask's Requires-Python on PyPI: what pip installs on each Python", () => {
    // 3.1 needs 3.9; 2.3 and 3.0 need 3.8; 2.1 and 2.2 need 3.7; 2.0 needs 3.6; 1.1 installs on 2.7 and 3.5.
    expect(newestFlaskOn({ major: 3, minor: 12 })).toBeUndefined();
    expect(newestFlaskOn({ major: 3, minor: 9 })).toBeUndefined();
    expect(newestFlaskOn({ major: 3, minor: 8 })).toEqual({ major: 3, minor: 0 });
    expect(newestFlaskOn({ major: 3, minor: 7 })).toEqual({ major: 2, minor: 2 });
    expect(newestFlaskOn({ major: 3, minor: 6 })).toEqual({ major: 2, minor: 0 });
    expect(newestFlaskOn({ major: 3, minor: 5 })).toEqual({ major: 1, minor: 1 });
    expect(newestFlaskOn({ major: 2, minor: 7 })).toEqual({ major: 1, minor: 1 });
  });

  it('a setting several entrypoints get is read against the oldest Flask among them', () => {
    const oldest = oldestFlaskRelease([
      { basis: 'unpinned' },
      { major: 2, minor: 2, basis: 'old' },
      { major: 3, basis: 'new' },
    ]);
    expect(oldest?.basis).toBe('old');
  });

  it("reads a requirements folder's files (requirements/base.txt), after the folder's own pin files", () => {
    const project = join(scratch, 'project');
    mkdirSync(join(project, 'requirements'), { recursive: true });
    writeFileSync(join(project, 'requirements', 'base.txt'), 'Flask==2.0.3\n');
    writeFileSync(join(project, 'requirements', 'dev.txt'), '-r base.txt\npytest\n');
    expect(pinnedVersionFrom(project, 'flask')).toMatchObject({ major: 2, minor: 0, source: 'requirements/base.txt' });
  });

  it('reads the requirement line, not a comment naming Flask or a package whose name starts with it', () => {
    const project = join(scratch, 'commented');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'requirements.txt'),
      '# Flask and Extensions\nFlask-Login==0.6.3\nflask_sqlalchemy==3.1\nflask==1.0.3  # the web framework\n',
    );
    expect(pinnedVersionFrom(project, 'flask')).toMatchObject({ major: 1, minor: 0 });
    const other = join(scratch, 'extensions-only');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'requirements.txt'), '# Flask 2.2 would do\nFlask-Login==0.6.3\n');
    expect(pinnedVersionFrom(other, 'flask').major).toBeUndefined();
  });
});
