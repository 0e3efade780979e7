import { dirname } from 'node:path';
import { effectiveEnvironment, type Entrypoint } from './model.js';
import { loadDeployModel, readDeployText, type ModelFileKind } from './model-loader.js';

/** The deploy model's entrypoint whose command is at `start` of `path`, if the model has one. */
export function entrypointAt(path: string, kind: ModelFileKind, start: number): Entrypoint | undefined {
  const model = loadDeployModel({ root: dirname(path), files: [{ path, kind }], readText: readDeployText });
  return model.entrypoints.find(
    (entrypoint) => entrypoint.file === path && (entrypoint.command.at.start === start || entrypoint.command.parts.some((part) => part.path === path && part.start <= start && start < part.end)),
  );
}

/** Why an entrypoint keeps its development server: the model says it is for development only. */
export function developmentRoleReason(entrypoint: Entrypoint | undefined): string | undefined {
  return entrypoint?.role === 'development' ? `${entrypoint.name} is for development only (${entrypoint.roleReason}); it keeps its development server` : undefined;
}

/** The variables the entrypoint's process gets (later settings win), as name -> value. */
export function environmentOf(entrypoint: Entrypoint | undefined): Map<string, string> {
  return new Map([...(entrypoint ? effectiveEnvironment(entrypoint) : new Map())].map(([name, setting]) => [name, setting.value] as const));
}
