import { unquote } from '../debug-variables.js';
import { basename } from '../model-command.js';
import type { DeployRole, EnvSetting, SourceSpan } from '../model.js';
import { parseShellCommands } from '../shell/shell-commands.js';
import { substituteVariables } from '../variables.js';
import { deployCommand, developmentName, fileRole, spanAt, type FileEntrypoint } from './common.js';
import {
  dockerCommandText,
  dockerEnvPairs,
  dockerInstructions,
  type DockerInstruction,
} from './dockerfile-instructions.js';

/** A Dockerfile's stages and what each runs: the one stage resolver (FROM, ARG, ENV, WORKDIR, COPY, CMD) every question about an image asks. */

export interface DockerStage {
  name: string;
  index: number;
  /** The stage it builds on (`FROM base AS prod`), when that is an earlier stage. */
  parent?: DockerStage;
  /** The FROM instruction. */
  from: DockerInstruction;
  instructions: DockerInstruction[];
}

export interface FileCopy {
  /** The sources as written, relative to the build context. */
  sources: string[];
  destination: string;
  at: SourceSpan;
  stage: string;
  stageIndex: number;
  /** `COPY --from=builder`: copied from another stage or image, not the build context. */
  fromStage: boolean;
}

export interface DockerfileModel {
  stages: DockerStage[];
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
  const instructions = dockerInstructions(source);
  const stages: DockerStage[] = [];
  const globalArgs = new Map<string, string>();
  const copies: FileCopy[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = ''] = instruction.args.replace(/--platform=\S+\s*/, '').split(/\s+/);
      const parent = stages.find((stage) => stage.name !== '' && stage.name.toLowerCase() === image.toLowerCase());
      stages.push({
        name: /\bAS[ \t]+(\S+)/i.exec(instruction.args)?.[1] ?? '',
        index: stages.length,
        ...(parent ? { parent } : {}),
        from: instruction,
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction.keyword === 'ARG')
        for (const [name, value] of argDefaults(instruction)) globalArgs.set(name, value);
      continue;
    }
    stage.instructions.push(instruction);
    if (instruction.keyword === 'RUN') {
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
            at: spanAt(path, source, instruction.start, instruction.end),
            stage: stage.name,
            stageIndex: stage.index,
            fromStage: false,
          });
        }
      }
    }
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const words = (
        instructionArgv(instruction).exec ? instructionArgv(instruction).argv : instruction.args.trim().split(/\s+/)
      ).filter(Boolean);
      const options = words.filter((word) => word.startsWith('--'));
      const operands = words.filter((word) => !word.startsWith('--'));
      const destination = operands.at(-1);
      if (operands.length >= 2 && destination !== undefined) {
        copies.push({
          sources: operands.slice(0, -1),
          destination,
          at: spanAt(path, source, instruction.start, instruction.end),
          stage: stage.name,
          stageIndex: stage.index,
          fromStage: options.some((option) => option.startsWith('--from')),
        });
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
    const resolved = resolveStage(path, source, stage, globalArgs);
    // A final stage without CMD runs its base image's command, with the ENV it sets.
    const fromLine = spanAt(path, source, stage.from.start, stage.from.end);
    const command = resolved.command ?? {
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
    entrypoints.push({
      kind: 'dockerfile',
      name: stages.length === 1 ? basename(path) : `${basename(path)} (${final ? `final ${stageLabel}` : stageLabel})`,
      ...role,
      file: path,
      stage: { name: stage.name, index: stage.index, final },
      command,
      ...(resolved.workingDirectory ? { workingDirectory: resolved.workingDirectory } : {}),
      environment: resolved.environment,
      envFiles: [],
    });
  });
  return { stages, entrypoints, copies };
}

function argDefaults(instruction: DockerInstruction): [string, string][] {
  return instruction.args
    .trim()
    .split(/\s+/)
    .flatMap((word): [string, string][] => {
      const match = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(word);
      return match ? [[match[1] ?? '', match[2] === undefined ? '\u0000unset' : unquote(match[2])]] : [];
    });
}

/** The ENV, WORKDIR and ENTRYPOINT + CMD a stage ends up with, its parent stages included. */
function resolveStage(path: string, source: string, stage: DockerStage, globalArgs: ReadonlyMap<string, string>) {
  const chain: DockerStage[] = [];
  for (let current: DockerStage | undefined = stage; current; current = current.parent) chain.unshift(current);
  const environment: EnvSetting[] = [];
  const envValues = new Map<string, string>();
  let workingDirectory: string | undefined;
  let entrypoint: DockerInstruction | undefined;
  let cmd: DockerInstruction | undefined;
  for (const current of chain) {
    // ARGs do not cross stages; ENV does. A stage's `ARG NAME` takes the global default.
    const args = new Map<string, { value: string; at: SourceSpan }>();
    for (const instruction of current.instructions) {
      const at = spanAt(path, source, instruction.start, instruction.end);
      if (instruction.keyword === 'ARG') {
        for (const [name, value] of argDefaults(instruction)) {
          const defaultValue = value === '\u0000unset' ? globalArgs.get(name) : value;
          if (defaultValue !== undefined && defaultValue !== '\u0000unset') args.set(name, { value: defaultValue, at });
        }
      } else if (instruction.keyword === 'ENV') {
        const known = new Map([...[...args].map(([name, { value }]): [string, string] => [name, value]), ...envValues]);
        for (const pair of dockerEnvPairs(instruction)) {
          const value = substituteVariables(unquote(pair.value), known);
          const fromArg = [...pair.value.matchAll(/\$\{?([A-Za-z_]\w*)/g)]
            .map((match) => args.get(match[1] ?? ''))
            .find((arg) => arg !== undefined && !envValues.has(pair.name));
          environment.push({
            name: pair.name,
            value,
            origin: 'dockerfile-env',
            at: spanAt(path, source, pair.start, pair.end),
            ...(fromArg ? { argDefault: fromArg.at } : {}),
          });
          envValues.set(pair.name, value);
        }
      } else if (instruction.keyword === 'WORKDIR') {
        const directory = substituteVariables(unquote(instruction.args.trim()), envValues);
        workingDirectory =
          directory.startsWith('/') || !workingDirectory
            ? directory
            : `${workingDirectory.replace(/\/$/, '')}/${directory}`;
      } else if (instruction.keyword === 'ENTRYPOINT') {
        entrypoint = instruction;
        // Docker: setting ENTRYPOINT drops a CMD inherited from the base; one set in this stage stays.
        if (cmd && !current.instructions.includes(cmd)) cmd = undefined;
      } else if (instruction.keyword === 'CMD') {
        cmd = instruction;
      }
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
  return { environment, workingDirectory, command };
}
