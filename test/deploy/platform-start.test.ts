import { describe, expect, it } from 'vitest';
import { platformStartEntrypoints } from '../../src/deploy/formats/platform-start.js';

const summary = (path: string, source: string) =>
  platformStartEntrypoints(path, source).map((entrypoint) => ({
    name: entrypoint.name,
    role: entrypoint.role,
    argv: entrypoint.command.argv,
    target: entrypoint.command.target.kind,
  }));

describe("a platform's start command file", () => {
  it('reads railway.json and railway.toml startCommand, nixpacks.toml [start] cmd, as production', () => {
    expect(summary('/p/railway.json', '{"deploy": {"startCommand": "gunicorn app:app"}}')).toEqual([
      {
        name: 'railway.json deploy startCommand',
        role: 'production',
        argv: ['gunicorn', 'app:app'],
        target: 'wsgi-server',
      },
    ]);
    expect(summary('/p/railway.toml', '[deploy]\nstartCommand = "python app.py"\n')).toEqual([
      {
        name: 'railway.toml deploy startCommand',
        role: 'production',
        argv: ['python', 'app.py'],
        target: 'python-script',
      },
    ]);
    expect(summary('/p/nixpacks.toml', '[start]\ncmd = "flask run --host 0.0.0.0"\n')[0]).toMatchObject({
      role: 'production',
      target: 'flask-run',
    });
  });

  it("reads .replit's [deployment] run as production and its top-level run as development", () => {
    const replit = 'run = "python main.py"\n\n[deployment]\nrun = ["gunicorn", "main:app"]\n';
    expect(summary('/p/.replit', replit)).toEqual([
      { name: '.replit deployment run', role: 'production', argv: ['gunicorn', 'main:app'], target: 'wsgi-server' },
      { name: '.replit run', role: 'development', argv: ['python', 'main.py'], target: 'python-script' },
    ]);
  });

  it('reads nothing from a file that does not parse or names no command', () => {
    expect(summary('/p/nixpacks.toml', '[start\ncmd = ')).toEqual([]);
    expect(summary('/p/railway.json', '{"build": {"builder": "NIXPACKS"}}')).toEqual([]);
  });
});
