import { effectiveEnvironment, type DeployModel, type Entrypoint } from './model.js';

/** A deploy file as a rule sees it: its path and text, and the run's one deploy model. */
export interface DeployFileModel {
  path: string;
  source: string;
  /** The project's deploy model, built once per run (the one severity reads too). */
  deploy: DeployModel;
}

/** The deploy model's entrypoint defined in `file` whose command is at `start`, if the model has one. */
export function entrypointAt(file: DeployFileModel, start: number): Entrypoint | undefined {
  return file.deploy.entrypoints.find(
    (entrypoint) =>
      entrypoint.file === file.path &&
      (entrypoint.command.at.start === start ||
        entrypoint.command.parts.some((part) => part.path === file.path && part.start <= start && start < part.end)),
  );
}

/** The entrypoints that run a Dockerfile stage. */
export function stageEntrypoints(file: DeployFileModel, stage: string): Entrypoint[] {
  return file.deploy.entrypoints.filter(
    (entrypoint) => entrypoint.file === file.path && entrypoint.stage?.name === stage,
  );
}

/** Why an entrypoint keeps its development server: the model says it is for development only. */
export function developmentRoleReason(entrypoint: Entrypoint | undefined): string | undefined {
  return entrypoint?.role === 'development'
    ? `${entrypoint.name} is for development only (${entrypoint.roleReason}); it keeps its development server`
    : undefined;
}

/** The variables the entrypoint's process gets (later settings win), as name -> value. */
export function environmentOf(entrypoint: Entrypoint | undefined): Map<string, string> {
  return new Map(
    [...(entrypoint ? effectiveEnvironment(entrypoint) : new Map())].map(
      ([name, setting]) => [name, setting.value] as const,
    ),
  );
}
