import { describe, expect, it } from 'vitest';
import { GUNICORN_PIN } from '../../src/deploy/gunicorn-config.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { must } from '../support/must.js';

// The gunicorn migrate adds must install on the Python of the image that installs it: gunicorn 24 and later
// need Python 3.10, 22-23 need 3.7, 20.1-21 need 3.5 (Requires-Python on PyPI).
const SERVER =
  'from flask import Flask\n\nsite = Flask(__name__)\n\n@site.get("/")\ndef home():\n    return "hi"\n\n' +
  'if __name__ == "__main__":\n    site.run(host="0.0.0.0", port=9000)\n';
const PINNED = 'click==7.1.2\nFlask==1.1.4\nitsdangerous==1.1.0\n';

function project(from: string, requirements = PINNED) {
  return {
    Dockerfile: `${from}\nWORKDIR /srv\nCOPY . /srv\nRUN pip install -r requirements.txt\nCMD ["python", "server.py"]\n`,
    'server.py': SERVER,
    'requirements.txt': requirements,
  };
}

describe("migrate's gunicorn fits the image's Python", () => {
  it.each([
    ['FROM python:3.7', '23.0.0'],
    ['FROM python:3.9-slim', '23.0.0'],
    ['FROM docker.io/library/python:3.8-alpine AS runtime', '23.0.0'],
    ['FROM python:3.6-buster', '21.2.0'],
    ['FROM python:3.11-alpine', GUNICORN_PIN],
    ['FROM python:3.10', GUNICORN_PIN],
    ['ARG PY=3.7\nFROM python:${PY}-slim', '23.0.0'],
    ['FROM python:3', GUNICORN_PIN],
    ['FROM registry.example.com/team/runtime:2024', GUNICORN_PIN],
  ])('`%s` pins gunicorn==%s in fully pinned requirements', async (from, pin) => {
    const result = await migrateInMemory(project(from));
    expect(result.after['requirements.txt']).toBe(`${PINNED}gunicorn==${pin}\n`);
  });

  it('a stage built on an earlier one takes the Python of the first image', async () => {
    const files = project('FROM python:3.8 AS base\nFROM base AS web');
    const result = await migrateInMemory(files);
    expect(result.after['requirements.txt']).toBe(`${PINNED}gunicorn==23.0.0\n`);
  });

  it('adds a floor that pip resolves on the old Python when the requirements are not pinned', async () => {
    const result = await migrateInMemory(project('FROM python:3.6', 'flask\n'));
    expect(result.after['requirements.txt']).toBe('flask\ngunicorn>=20.1\n');
  });

  it('leaves an image older than any config it can write for a person, and says why', async () => {
    const files = project('FROM python:3.5');
    const result = await migrateInMemory(files);
    expect(result.after.Dockerfile).toBe(files.Dockerfile);
    expect(result.after['requirements.txt']).toBe(PINNED);
    expect(result.manual).toEqual(['Dockerfile:5 dockerfile-dev-server']);
    expect(must(result.reasons[0])).toMatch(/the image runs Python 3\.5/);
  });
});

describe('removing an interpreter ENTRYPOINT', () => {
  it('leaves one blank line between paragraphs, not two', async () => {
    const before =
      'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n\nENTRYPOINT ["python3"]\n\n' +
      'CMD ["server.py"]\n';
    const result = await migrateInMemory({ Dockerfile: before, 'server.py': SERVER, 'requirements.txt': 'flask\n' });
    expect(result.after.Dockerfile).toBe(
      'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n\n' +
        'CMD ["gunicorn", "-c", "gunicorn.conf.py", "server:site"]\n',
    );
  });
});
