import { describe, expect, it } from 'vitest';
import { dockerStages, pathInImage, stageAt } from '../../src/deploy/formats/dockerfile-stages.js';
import { must } from '../support/must.js';

const stagesOf = (source: string) => dockerStages('/repo/Dockerfile', source);

describe('the Dockerfile stage resolver', () => {
  it('substitutes ARG defaults and ENV once, in ENV, WORKDIR and COPY', () => {
    const stages = stagesOf(
      'ARG BASE=/srv\nFROM python:3.12\nARG BASE\nENV APP_HOME=${BASE}/app\nWORKDIR $APP_HOME\nCOPY "src dir" ${APP_HOME}/src\nCMD ["gunicorn", "app:app"]\n',
    );
    const steps = must(stages.steps[0]);
    expect(steps.find((step) => step.env)?.env?.map((pair) => [pair.name, pair.value])).toEqual([
      ['APP_HOME', '/srv/app'],
    ]);
    expect(steps.find((step) => step.instruction.keyword === 'WORKDIR')?.workdir).toBe('/srv/app');
    expect(steps.find((step) => step.copy)?.copy).toEqual({
      sources: ['src dir'],
      destination: '/srv/app/src',
      target: '/srv/app/src',
    });
  });

  it('follows a relative WORKDIR from the one before, and the chain of a stage built on another', () => {
    const stages = stagesOf('FROM python AS base\nWORKDIR /srv\nENV A=1\nFROM base AS web\nWORKDIR app\nCOPY . .\n');
    const web = must(stages.steps[1]);
    expect(web.map((step) => step.instruction.keyword)).toEqual(['WORKDIR', 'ENV', 'WORKDIR', 'COPY']);
    expect(web.at(-1)?.workdir).toBe('/srv/app');
    expect(web.at(-1)?.copy?.target).toBe('/srv/app');
    expect(web.at(-1)?.environment.get('A')).toBe('1');
    expect(stageAt(stages, stages.source.indexOf('COPY'))?.name).toBe('web');
  });

  describe('which files reach an image', () => {
    const source = [
      'FROM python:3.12 AS builder',
      'WORKDIR /app',
      'COPY . .',
      'FROM builder AS assets',
      'RUN true',
      'FROM python:3.12-slim AS venv-only',
      'COPY --from=builder /app/.venv /app/.venv',
      'FROM python:3.12-slim AS everything',
      'COPY --from=0 /app /srv/app',
      'FROM python:3.12-slim AS nested',
      'COPY --from=everything /srv/app/ /opt/',
      'FROM python:3.12-slim AS globbed',
      'COPY --from=builder /app/*.env /etc/',
      '',
    ].join('\n');
    const stages = stagesOf(source);
    const index = (name: string) => must(stages.stages.find((stage) => stage.name === name)).index;
    const dotenv = { stageIndex: 0, path: '/app/.env' };

    it('a stage built on the one that wrote the file has it where it was written', () => {
      expect(pathInImage(stages, dotenv, index('assets'))).toBe('/app/.env');
    });

    it('COPY --from brings only the paths it names', () => {
      expect(pathInImage(stages, dotenv, index('venv-only'))).toBeUndefined();
      expect(pathInImage(stages, { stageIndex: 0, path: '/app/.venv/bin/gunicorn' }, index('venv-only'))).toBe(
        '/app/.venv/bin/gunicorn',
      );
    });

    it('by stage index, through several stages, and by a glob', () => {
      expect(pathInImage(stages, dotenv, index('everything'))).toBe('/srv/app/.env');
      expect(pathInImage(stages, dotenv, index('nested'))).toBe('/opt/.env');
      expect(pathInImage(stages, dotenv, index('globbed'))).toBe('/etc/.env');
    });
  });
});
