import { posix } from 'node:path';
import { basename } from '../model-command.js';
import type { DeployRole, EnvSetting, ImagePython, SourceSpan } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { deployCommand, developmentName, fileRole, listWords, spanAt, type FileEntrypoint } from './common.js';
import { dockerCommandText, execFormItems, type DockerInstruction } from './dockerfile-instructions.js';
import {
  dockerStages,
  pathInImage,
  stagePython,
  type DockerStage,
  type DockerStages,
  type StageStep,
} from './dockerfile-stages.js';

/** A Dockerfile's stages and what each runs, read off the stage resolver (dockerfile-stages.ts). */

export type { DockerStage } from './dockerfile-stages.js';

export interface FileCopy {
  /** The sources as written (variables substituted), relative to the build context. */
  sources: string[];
  destination: string;
  /** The destination as an absolute image path. */
  target: string;
  at: SourceSpan;
  stage: string;
  stageIndex: number;
  /** `COPY --from=builder`: copied from another stage or image, not the build context. */
  fromStage: boolean;
  /** The stage name or index (or image) of `--from=`. */
  from?: string;
  /**
   * The stages with an entrypoint whose image holds the copied
   * files (see pathInImage); empty: in no image that runs.
   */
  images: number[];
}

export interface DockerfileModel {
  stages: DockerStage[];
  /** The stage resolver's answer for this file. */
  resolved: DockerStages;
  entrypoints: FileEntrypoint[];
  copies: FileCopy[];
}

/** Exec form (JSON array) as argv, shell form as `/bin/sh -c text`. */
export function instructionArgv(instruction: DockerInstruction): { argv: string[]; exec: boolean } {
  const trimmed = instruction.args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parts = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parts)) return { argv: parts.map(String), exec: true };
    } catch {
      // Not valid JSON: Docker runs it in a shell as written.
    }
  }
  return { argv: ['/bin/sh', '-c', dockerCommandText(instruction)], exec: false };
}

export function dockerfileModel(path: string, source: string): DockerfileModel {
  const resolved = dockerStages(path, source);
  const { stages } = resolved;
  const copies: FileCopy[] = [];
  for (const stage of stages) {
    const own = (resolved.steps[stage.index] ?? []).filter((step) => step.stage === stage);
    for (const step of own) {
      const { instruction } = step;
      const at = () => spanAt(path, source, instruction.start, instruction.end);
      if (step.copy) {
        copies.push({
          sources: step.copy.sources,
          destination: step.copy.destination,
          target: step.copy.target,
          at: at(),
          stage: stage.name,
          stageIndex: stage.index,
          fromStage: step.copy.from !== undefined,
          ...(step.copy.from !== undefined ? { from: step.copy.from } : {}),
          images: [],
        });
      }
      if (instruction.keyword !== 'RUN') continue;
      // `RUN cp .env.example .env`: the image's files, copied from the build context by an earlier COPY.
      const text = dockerCommandText(instruction);
      for (const simple of /\b(?:cp|mv)\b/.test(text) ? parseShellCommands(text) : []) {
        const [program, ...rest] = simple.argv;
        const operands = rest.filter((word) => !word.startsWith('-'));
        const destination = operands.at(-1);
        if ((program === 'cp' || program === 'mv') && operands.length >= 2 && destination !== undefined) {
          copies.push({
            sources: operands.slice(0, -1),
            destination,
            target: posix.resolve(step.workdir, destination),
            at: at(),
            stage: stage.name,
            stageIndex: stage.index,
            fromStage: false,
            images: [],
          });
        }
      }
    }
  }
  const entrypoints: FileEntrypoint[] = [];
  const stem = basename(path).replace(/^dockerfile\.?|\.?dockerfile$/i, '');
  const byFile = fileRole(path, stem);
  stages.forEach((stage, index) => {
    const final = index === stages.length - 1;
    const own = stage.instructions.some(
      (instruction) => instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT',
    );
    if (!final && !own) return;
    const resolvedStage = resolveStage(path, source, resolved.steps[stage.index] ?? []);
    // A final stage without CMD runs its base image's command, with the ENV it sets.
    const fromLine = spanAt(path, source, stage.from.start, stage.from.end);
    const command = resolvedStage.command ?? {
      argv: [],
      at: fromLine,
      parts: [],
      target: { kind: 'other' as const, program: 'the base image command' },
      prefixEnv: [],
    };
    const stageLabel = stage.name ? `stage ${stage.name}` : `stage ${index + 1}`;
    const role: { role: DeployRole; roleReason: string } = byFile
      ? byFile
      : developmentName(stage.name)
        ? { role: 'development', roleReason: `stage ${stage.name} is a development stage` }
        : {
            role: 'production',
            roleReason: final
              ? stages.length > 1
                ? 'the final stage: what the image runs'
                : 'what the image runs'
              : `stage ${stage.name} can be built as a target`,
          };
    const python = imagePythonOf(path, source, stage);
    entrypoints.push({
      kind: 'dockerfile',
      name: stages.length === 1 ? basename(path) : `${basename(path)} (${final ? `final ${stageLabel}` : stageLabel})`,
      ...role,
      file: path,
      stage: { name: stage.name, index: stage.index, final },
      ...(python ? { imagePython: python } : {}),
      command,
      ...(resolvedStage.workingDirectory ? { workingDirectory: resolvedStage.workingDirectory } : {}),
      environment: resolvedStage.environment,
      envFiles: [],
    });
  });
  const imageStages = entrypoints.flatMap((entry) => (entry.stage ? [entry.stage.index] : []));
  for (const copy of copies) {
    const written = { stageIndex: copy.stageIndex, path: copy.target };
    if (!copy.fromStage)
      copy.images = imageStages.filter((image) => pathInImage(resolved, written, image) !== undefined);
  }
  return { stages, resolved, entrypoints, copies };
}

/** The ENV, WORKDIR and ENTRYPOINT + CMD a stage ends up with, its parent stages included. */
function resolveStage(path: string, source: string, steps: readonly StageStep[]) {
  const environment: EnvSetting[] = [];
  let workingDirectory: string | undefined;
  let entrypoint: DockerInstruction | undefined;
  let cmd: DockerInstruction | undefined;
  for (const step of steps) {
    const { instruction } = step;
    for (const pair of step.env ?? [])
      environment.push({
        name: pair.name,
        value: pair.value,
        origin: 'dockerfile-env',
        at: spanAt(path, source, pair.start, pair.end),
        ...(pair.argDefault ? { argDefault: pair.argDefault } : {}),
      });
    if (instruction.keyword === 'WORKDIR') workingDirectory = step.workdir;
    else if (instruction.keyword === 'ENTRYPOINT') {
      entrypoint = instruction;
      // Docker: setting ENTRYPOINT drops a CMD inherited from the base; one set in this stage stays.
      if (cmd && !step.stage.instructions.includes(cmd)) cmd = undefined;
    } else if (instruction.keyword === 'CMD') {
      cmd = instruction;
    }
  }
  const parts = [entrypoint, cmd].filter((instruction): instruction is DockerInstruction => instruction !== undefined);
  // The finding goes where the command's program or script is named: CMD when it adds to an ENTRYPOINT.
  const main = cmd && (!entrypoint || instructionArgv(entrypoint).exec) ? cmd : entrypoint;
  if (!main) return { environment, workingDirectory, command: undefined };
  let argv: string[];
  if (entrypoint) {
    const head = instructionArgv(entrypoint);
    // Shell-form ENTRYPOINT ignores CMD; exec form takes CMD's words as its arguments.
    argv = head.exec && cmd ? [...head.argv, ...instructionArgv(cmd).argv] : head.argv;
  } else argv = instructionArgv(main).argv;
  const spans = parts.map((instruction) => spanAt(path, source, instruction.start, instruction.end));
  const command = deployCommand(argv, spanAt(path, source, main.start, main.end), spans);
  // Exec form: each element where the file writes it, so fixes edit at the model's words (shell form is
  // placed when its text is read as shell).
  const used = entrypoint && !instructionArgv(entrypoint).exec ? [entrypoint] : parts;
  const items = used.map((instruction) => execFormItems(instruction));
  const words = items.every((list) => list !== undefined)
    ? items.flatMap((list) => listWords(list ?? [], source, false))
    : undefined;
  if (words && words.map((word) => word.text).join('\u0000') === argv.join('\u0000')) command.words = words;
  return { environment, workingDirectory, command };
}

/** The Python of the image a stage builds on (through the stages it builds on), with the FROM that names it. */
function imagePythonOf(path: string, source: string, stage: DockerStage): ImagePython | undefined {
  const python = stagePython(stage);
  if (!python) return undefined;
  let root = stage;
  while (root.parent) root = root.parent;
  return { ...python, image: root.image, at: spanAt(path, source, root.from.start, root.from.end) };
}
