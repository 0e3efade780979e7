import type { Document } from 'yaml';
import { DEVELOPMENT_ONLY_NAME, unquote } from './debug-variables.js';
import { dockerCommandText, dockerEnvPairs, dockerInstructions, type DockerInstruction } from './dockerfile.js';
import { envAssignments } from './env-file.js';
import { basename, classifyArgv, shellCommandString, splitShellCommands, unwrapCommand } from './model-command.js';
import type { DeployCommand, DeployRole, Entrypoint, EnvOrigin, EnvSetting, SourceSpan } from './model.js';
import { commandText, composeEnvironment, composeServices, isMap, isScalar, isSeq, kubernetesEnv, mapValue, mapsWithKey } from './yaml-nodes.js';

/**
 * Pure readers, one per kind of deploy file: file text in, what it runs out.
 * Nothing here touches the disk; the loader (model-loader.ts) follows scripts
 * and env files and links compose services to the Dockerfiles they build.
 */

export function spanAt(path: string, source: string, start: number, end: number): SourceSpan {
  let line = 1;
  for (let index = source.indexOf('\n'); index !== -1 && index < start; index = source.indexOf('\n', index + 1)) line++;
  return { path, start, end, line };
}

/** An entrypoint as one file defines it, before scripts and env files are followed. */
export type FileEntrypoint = Omit<Entrypoint, 'scripts' | 'serves'> & {
  /** Env files the deploy file loads into the process: compose `env_file:`, systemd `EnvironmentFile=`. */
  envFiles: { path: string; at: SourceSpan; origin: EnvOrigin; optional: boolean }[];
};

/** Builds a DeployCommand from argv: wrappers (`exec`, `env A=1`, `poetry run`) removed, then classified. */
export function deployCommand(argv: string[], at: SourceSpan, parts: SourceSpan[] = [at]): DeployCommand {
  const { argv: unwrapped, assignments } = unwrapCommand(argv);
  return {
    argv,
    at,
    parts,
    target: classifyArgv(unwrapped),
    prefixEnv: assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix', at })),
  };
}

/** The simple commands a command line runs: `sh -c "a && exec b"` is two. */
export function expandShell(command: DeployCommand): DeployCommand[] {
  const script = shellCommandString(unwrapCommand(command.argv).argv);
  if (script === undefined) return [command];
  return splitShellCommands(script).flatMap((simple) => {
    const inner = deployCommand(simple.argv, command.at, command.parts);
    inner.prefixEnv.unshift(...simple.assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix' as const, at: command.at })));
    return expandShell(inner);
  });
}

function developmentName(name: string): boolean {
  return DEVELOPMENT_ONLY_NAME.test(name);
}

function fileRole(path: string, stem: string): { role: DeployRole; roleReason: string } | undefined {
  const segments = path.split(/[\\/]/);
  const folder = segments.slice(-4, -1).find((segment) => /^(?:dev|development|local)$/i.test(segment));
  if (developmentName(stem)) return { role: 'development', roleReason: `${basename(path)} is named for development` };
  if (folder) return { role: 'development', roleReason: `${folder}/ holds development files` };
  return undefined;
}

// ---------------------------------------------------------------- Dockerfile

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

/** Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` as Docker does, from known values. */
export function substituteDockerVariables(value: string, known: ReadonlyMap<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|([A-Za-z_]\w*))/g, (_match, braced?: string, operator?: string, word?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const current = known.get(name);
    if (operator === '-') return current ? current : (word ?? '');
    if (operator === '+') return current ? (word ?? '') : '';
    return current ?? '';
  });
}

/** Exec form (JSON array) as argv, shell form as `/bin/sh -c text`. */
function instructionArgv(instruction: DockerInstruction): { argv: string[]; exec: boolean } {
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
      stages.push({ name: /\bAS[ \t]+(\S+)/i.exec(instruction.args)?.[1] ?? '', index: stages.length, ...(parent ? { parent } : {}), from: instruction, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction.keyword === 'ARG') for (const [name, value] of argDefaults(instruction)) globalArgs.set(name, value);
      continue;
    }
    stage.instructions.push(instruction);
    if (instruction.keyword === 'RUN') {
      // `RUN cp .env.example .env`: the image's files, copied from the build context by an earlier COPY.
      for (const simple of splitShellCommands(dockerCommandText(instruction))) {
        const [program, ...rest] = simple.argv;
        const operands = rest.filter((word) => !word.startsWith('-'));
        if ((program === 'cp' || program === 'mv') && operands.length >= 2) {
          copies.push({ sources: operands.slice(0, -1), destination: operands.at(-1)!, at: spanAt(path, source, instruction.start, instruction.end), stage: stage.name, stageIndex: stage.index, fromStage: false });
        }
      }
    }
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const words = (instructionArgv(instruction).exec ? instructionArgv(instruction).argv : instruction.args.trim().split(/\s+/)).filter(Boolean);
      const options = words.filter((word) => word.startsWith('--'));
      const operands = words.filter((word) => !word.startsWith('--'));
      if (operands.length >= 2) {
        copies.push({
          sources: operands.slice(0, -1),
          destination: operands.at(-1)!,
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
    const own = stage.instructions.some((instruction) => instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT');
    if (!final && !own) return;
    const resolved = resolveStage(path, source, stage, globalArgs);
    // A final stage without CMD runs its base image's command, with the ENV it sets.
    const fromLine = spanAt(path, source, stage.from.start, stage.from.end);
    const command = resolved.command ?? { argv: [], at: fromLine, parts: [], target: { kind: 'other' as const, program: 'the base image command' }, prefixEnv: [] };
    const stageLabel = stage.name ? `stage ${stage.name}` : `stage ${index + 1}`;
    const role: { role: DeployRole; roleReason: string } = byFile
      ? byFile
      : developmentName(stage.name)
        ? { role: 'development', roleReason: `stage ${stage.name} is a development stage` }
        : { role: 'production', roleReason: final ? (stages.length > 1 ? 'the final stage: what the image runs' : 'what the image runs') : `stage ${stage.name} can be built as a target` };
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
      return match ? [[match[1]!, match[2] === undefined ? '\u0000unset' : unquote(match[2])]] : [];
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
          const value = substituteDockerVariables(unquote(pair.value), known);
          const fromArg = [...pair.value.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((match) => args.get(match[1]!)).find((arg) => arg !== undefined && !envValues.has(pair.name));
          environment.push({ name: pair.name, value, origin: 'dockerfile-env', at: spanAt(path, source, pair.start, pair.end), ...(fromArg ? { argDefault: fromArg.at } : {}) });
          envValues.set(pair.name, value);
        }
      } else if (instruction.keyword === 'WORKDIR') {
        const directory = substituteDockerVariables(unquote(instruction.args.trim()), envValues);
        workingDirectory = directory.startsWith('/') || !workingDirectory ? directory : `${workingDirectory.replace(/\/$/, '')}/${directory}`;
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
  if (parts.length === 0) return { environment, workingDirectory, command: undefined };
  let argv: string[];
  if (entrypoint) {
    const head = instructionArgv(entrypoint);
    // Shell-form ENTRYPOINT ignores CMD; exec form takes CMD's words as its arguments.
    argv = head.exec && cmd ? [...head.argv, ...instructionArgv(cmd).argv] : head.argv;
  } else argv = instructionArgv(cmd!).argv;
  // The finding goes where the command's program or script is named: CMD when it adds to an ENTRYPOINT.
  const main = cmd && (!entrypoint || instructionArgv(entrypoint).exec) ? cmd : entrypoint!;
  const spans = parts.map((instruction) => spanAt(path, source, instruction.start, instruction.end));
  const command = deployCommand(argv, spanAt(path, source, main.start, main.end), spans);
  return { environment, workingDirectory, command };
}

// ---------------------------------------------------------------- Procfile

export function procfileEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entrypoints: FileEntrypoint[] = [];
  const byFile = fileRole(path, basename(path).replace(/^procfile\.?/i, ''));
  forEachLine(source, (line, start) => {
    const match = /^[ \t]*([\w-]+)[ \t]*:[ \t]*(.+?)[ \t\r]*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) return;
    const [, processType = '', text = ''] = match;
    const commandStart = start + line.indexOf(text, line.indexOf(':'));
    const at = spanAt(path, source, commandStart, commandStart + text.length);
    const role = byFile ?? (developmentName(processType) ? { role: 'development' as const, roleReason: `process type ${processType} is for development` } : { role: 'production' as const, roleReason: processType === 'web' ? 'the web process the platform serves' : `process type ${processType} runs on the platform` });
    for (const command of lineCommands(text, at)) {
      entrypoints.push({ kind: 'procfile', name: `${basename(path)} process ${processType}`, ...role, file: path, command, environment: [], envFiles: [] });
    }
  });
  return entrypoints;
}

/** The commands of one shell line, the last one that starts something first class: what the line serves. */
function lineCommands(text: string, at: SourceSpan): DeployCommand[] {
  const commands = splitShellCommands(text).flatMap((simple) => {
    const command = deployCommand(simple.argv, at);
    command.prefixEnv.unshift(...simple.assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix' as const, at })));
    return expandShell(command);
  });
  const served = [...commands].reverse().find((command) => command.target.kind !== 'other') ?? commands.at(-1);
  if (!served) return [];
  // Variables set by earlier commands of the line (`export A=1 && flask run`) reach the served one.
  return [{ ...served, prefixEnv: [...commands.filter((command) => command !== served).flatMap(exportsOf), ...served.prefixEnv] }];
}

function exportsOf(command: DeployCommand): EnvSetting[] {
  if (command.argv[0] !== 'export') return [];
  return command.argv.slice(1).flatMap((word) => {
    const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
    return match ? [{ name: match[1]!, value: match[2]!, origin: 'script-export' as const, at: command.at }] : [];
  });
}

function forEachLine(source: string, visit: (line: string, start: number) => void): void {
  let offset = 0;
  for (const line of source.split('\n')) {
    visit(line.replace(/\r$/, ''), offset);
    offset += line.length + 1;
  }
}

// ---------------------------------------------------------------- systemd and supervisord

interface IniEntry {
  section: string;
  key: string;
  value: string;
  start: number;
  end: number;
  valueStart: number;
}

function iniEntries(source: string): IniEntry[] {
  const entries: IniEntry[] = [];
  let section = '';
  forEachLine(source, (line, start) => {
    const header = /^[ \t]*\[([^\]]+)\]/.exec(line);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const match = /^([ \t]*)([\w.-]+)[ \t]*=[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match || /^[ \t]*[#;]/.test(line)) return;
    const valueStart = start + line.indexOf(match[3]!, match[1]!.length + match[2]!.length);
    entries.push({ section, key: match[2]!, value: match[3]!, start: start + match[1]!.length, end: start + line.length, valueStart });
  });
  return entries;
}

export function systemdEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entries = iniEntries(source).filter((entry) => entry.section === 'Service');
  const environment: EnvSetting[] = [];
  const envFiles: FileEntrypoint['envFiles'] = [];
  let workingDirectory: string | undefined;
  for (const entry of entries) {
    const at = spanAt(path, source, entry.start, entry.end);
    if (entry.key === 'Environment') {
      for (const word of splitShellCommands(entry.value).flatMap((command) => [...command.assignments.map(({ name, value }) => `${name}=${value}`), ...command.argv])) {
        const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
        if (match) environment.push({ name: match[1]!, value: match[2]!, origin: 'systemd-environment', at });
      }
    } else if (entry.key === 'EnvironmentFile') {
      const optional = entry.value.startsWith('-');
      envFiles.push({ path: entry.value.replace(/^-/, ''), at, origin: 'systemd-environment-file', optional });
    } else if (entry.key === 'WorkingDirectory') workingDirectory = entry.value.replace(/^-/, '');
  }
  const byFile = fileRole(path, basename(path).replace(/\.service$/, ''));
  return entries
    .filter((entry) => entry.key === 'ExecStart' && entry.value !== '')
    .flatMap((entry) => {
      const text = entry.value.replace(/^[-@:+!]+/, '');
      const commandStart = entry.valueStart + (entry.value.length - text.length);
      const at = spanAt(path, source, commandStart, commandStart + text.length);
      return lineCommands(text, at).map((command) => ({
        kind: 'systemd' as const,
        name: `${basename(path)} ExecStart`,
        ...(byFile ?? { role: 'production' as const, roleReason: 'a systemd service runs on a server' }),
        file: path,
        command,
        ...(workingDirectory ? { workingDirectory } : {}),
        environment,
        envFiles,
      }));
    });
}

export function supervisordEntrypoints(path: string, source: string): FileEntrypoint[] {
  const byProgram = new Map<string, IniEntry[]>();
  for (const entry of iniEntries(source)) {
    if (!entry.section.startsWith('program:')) continue;
    const list = byProgram.get(entry.section) ?? [];
    list.push(entry);
    byProgram.set(entry.section, list);
  }
  const byFile = fileRole(path, basename(path).replace(/\.(?:conf|ini)$/, ''));
  const entrypoints: FileEntrypoint[] = [];
  for (const [section, entries] of byProgram) {
    const program = section.slice('program:'.length);
    const commandEntry = entries.find((entry) => entry.key === 'command');
    if (!commandEntry) continue;
    const environment: EnvSetting[] = [];
    const environmentEntry = entries.find((entry) => entry.key === 'environment');
    if (environmentEntry) {
      const at = spanAt(path, source, environmentEntry.start, environmentEntry.end);
      for (const match of environmentEntry.value.matchAll(/([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^,]*)/g)) {
        environment.push({ name: match[1]!, value: unquote(match[2]!.trim()), origin: 'supervisord-environment', at });
      }
    }
    const directory = entries.find((entry) => entry.key === 'directory')?.value;
    const at = spanAt(path, source, commandEntry.valueStart, commandEntry.valueStart + commandEntry.value.length);
    const role = byFile ?? (developmentName(program) ? { role: 'development' as const, roleReason: `program ${program} is for development` } : { role: 'production' as const, roleReason: 'supervisord runs it on a server' });
    for (const command of lineCommands(commandEntry.value, at)) {
      entrypoints.push({ kind: 'supervisord', name: `${basename(path)} program ${program}`, ...role, file: path, command, ...(directory ? { workingDirectory: directory } : {}), environment, envFiles: [] });
    }
  }
  return entrypoints;
}

// ---------------------------------------------------------------- compose and Kubernetes

export interface ComposeService {
  name: string;
  file: string;
  /** The service's key: where a finding about the whole service goes. */
  at: SourceSpan;
  image?: string;
  role: DeployRole;
  roleReason: string;
  /** `command:` (and `entrypoint:`) as the service gives them; undefined: the image's own command. */
  command?: DeployCommand;
  /** `entrypoint:` alone, which replaces the image's ENTRYPOINT and drops its CMD. */
  entrypointOverride?: DeployCommand;
  build?: { context: string; dockerfile: string; target?: string; at: SourceSpan };
  workingDirectory?: string;
  environment: EnvSetting[];
  envFiles: FileEntrypoint['envFiles'];
}

function yamlRange(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** compose `command:`: a string is split into words as a shell would (no shell runs it), a list is argv. */
function composeCommand(node: unknown, path: string, source: string): DeployCommand | undefined {
  const text = commandText(node);
  if (!text) return undefined;
  const at = spanAt(path, source, text.start, text.end);
  const argv = isSeq(node) ? node.items.map((item) => (isScalar(item) ? String(item.value) : '')) : (splitShellCommands(text.text)[0]?.argv ?? []);
  return argv.length > 0 ? deployCommand(argv, at) : undefined;
}

export function composeServicesOf(path: string, source: string, documents: readonly Document[]): ComposeService[] {
  const stem = basename(path).replace(/\.ya?ml$/i, '');
  const byFile = fileRole(path, stem);
  const services: ComposeService[] = [];
  for (const document of documents) {
    const servicesNode = mapValue(document.contents, 'services');
    for (const { name, service } of composeServices(document)) {
      if (!isMap(service)) continue;
      const keyNode = isMap(servicesNode) ? servicesNode.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === name)?.key : undefined;
      const keyRange = yamlRange(keyNode) ?? [0, 0];
      const image = mapValue(service, 'image');
      const role = byFile ?? (developmentName(name) ? { role: 'development' as const, roleReason: `service ${name} is for development` } : { role: 'production' as const, roleReason: `${basename(path)} is not a development or override file` });
      const environment = composeEnvironment(mapValue(service, 'environment')).map((entry): EnvSetting => ({
        name: entry.name,
        value: entry.value,
        origin: 'compose-environment',
        at: spanAt(path, source, entry.start, entry.end),
      }));
      const envFiles: ComposeService['envFiles'] = [];
      const envFileNode = mapValue(service, 'env_file');
      for (const item of isSeq(envFileNode) ? envFileNode.items : envFileNode === undefined ? [] : [envFileNode]) {
        const pathNode = isMap(item) ? mapValue(item, 'path') : item;
        const range = yamlRange(pathNode);
        if (!isScalar(pathNode) || !range) continue;
        const required = isMap(item) ? mapValue(item, 'required') : undefined;
        envFiles.push({ path: String(pathNode.value), at: spanAt(path, source, range[0], range[1]), origin: 'compose-env-file', optional: isScalar(required) && required.value === false });
      }
      const buildNode = mapValue(service, 'build');
      let build: ComposeService['build'];
      const buildRange = yamlRange(buildNode);
      if (buildRange && isScalar(buildNode)) build = { context: String(buildNode.value), dockerfile: 'Dockerfile', at: spanAt(path, source, buildRange[0], buildRange[1]) };
      else if (buildRange && isMap(buildNode)) {
        const context = mapValue(buildNode, 'context');
        const dockerfile = mapValue(buildNode, 'dockerfile');
        const target = mapValue(buildNode, 'target');
        build = {
          context: isScalar(context) ? String(context.value) : '.',
          dockerfile: isScalar(dockerfile) ? String(dockerfile.value) : 'Dockerfile',
          ...(isScalar(target) ? { target: String(target.value) } : {}),
          at: spanAt(path, source, buildRange[0], buildRange[1]),
        };
      }
      const workingDir = mapValue(service, 'working_dir');
      const command = composeCommand(mapValue(service, 'command'), path, source);
      const entrypointOverride = composeCommand(mapValue(service, 'entrypoint'), path, source);
      services.push({
        name,
        file: path,
        at: spanAt(path, source, keyRange[0], keyRange[1]),
        ...(isScalar(image) ? { image: String(image.value) } : {}),
        ...role,
        ...(command ? { command } : {}),
        ...(entrypointOverride ? { entrypointOverride } : {}),
        ...(build ? { build } : {}),
        ...(isScalar(workingDir) ? { workingDirectory: String(workingDir.value) } : {}),
        environment,
        envFiles,
      });
    }
  }
  return services;
}

export function kubernetesEntrypoints(path: string, source: string, documents: readonly Document[]): FileEntrypoint[] {
  const byFile = fileRole(path, basename(path).replace(/\.ya?ml$/i, ''));
  const entrypoints: FileEntrypoint[] = [];
  for (const document of documents) {
    const kind = mapValue(document.contents, 'kind');
    if (!isScalar(kind)) continue;
    const workload = mapValue(mapValue(document.contents, 'metadata'), 'name');
    for (const container of mapsWithKey(document.contents, 'image')) {
      const command = commandText(mapValue(container, 'command'));
      const args = commandText(mapValue(container, 'args'));
      if (!command && !args) continue;
      const words = (node: unknown) => (isSeq(node) ? node.items.map((item) => (isScalar(item) ? String(item.value) : '')) : isScalar(node) ? [String(node.value)] : []);
      // Kubernetes runs `command` followed by `args`; `args` alone are given to the image's ENTRYPOINT.
      const argv = [...words(mapValue(container, 'command')), ...words(mapValue(container, 'args'))];
      const first = (command ?? args)!;
      const at = spanAt(path, source, first.start, (args ?? first).end);
      const containerName = mapValue(container, 'name');
      const environment = kubernetesEnv(mapValue(container, 'env')).map((entry): EnvSetting => ({ name: entry.name, value: entry.value, origin: 'kubernetes-env', at: spanAt(path, source, entry.start, entry.end) }));
      const workingDir = mapValue(container, 'workingDir');
      const name = `${String(kind.value)} ${isScalar(workload) ? String(workload.value) : ''} container ${isScalar(containerName) ? String(containerName.value) : ''}`.replace(/\s+/g, ' ').trim();
      for (const expanded of expandShell(deployCommand(argv, at)).slice(-1)) {
        entrypoints.push({
          kind: 'kubernetes',
          name,
          ...(byFile ?? { role: 'production' as const, roleReason: 'a Kubernetes workload runs in a cluster' }),
          file: path,
          command: expanded,
          ...(isScalar(workingDir) ? { workingDirectory: String(workingDir.value) } : {}),
          environment,
          envFiles: [],
        });
      }
    }
  }
  return entrypoints;
}

// ---------------------------------------------------------------- shell scripts and Makefiles

export interface ScriptFacts {
  exports: EnvSetting[];
  commands: DeployCommand[];
  /** `cd` targets, in order: the working directory of later commands. */
  directories: string[];
}

// Shell words that open or continue a compound command: the command after them still runs.
const COMPOUND_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time']);
const BUILTINS = new Set(['fi', 'done', 'esac', 'echo', 'printf', 'set', 'source', '.', 'local', 'trap', 'wait', 'sleep', 'test', '[', '[[', 'true', 'false', 'exit', 'return', 'shift', 'unset', 'read', 'umask', 'ulimit', 'case', 'for']);

/** A shell script's exports and commands (control flow read as straight-line: every branch counts). */
export function scriptFacts(path: string, source: string): ScriptFacts {
  const facts: ScriptFacts = { exports: [], commands: [], directories: [] };
  const exported = new Set<string>();
  const assigned = new Map<string, EnvSetting>();
  let lineStart = 0;
  const lines = source.split('\n');
  for (let index = 0; index < lines.length; index++) {
    // Join backslash continuations so offsets cover the whole logical line.
    let text = lines[index]!;
    const start = lineStart;
    while (/\\\r?$/.test(text) && index + 1 < lines.length) {
      lineStart += lines[index]!.length + 1;
      text = `${text.replace(/\\\r?$/, ' ')}${lines[++index]}`;
    }
    lineStart += lines[index]!.length + 1;
    const at = spanAt(path, source, start, start + text.replace(/\r$/, '').length);
    for (const simple of splitShellCommands(text)) {
      let argv = simple.argv;
      while (argv[0] !== undefined && COMPOUND_WORDS.has(argv[0])) argv = argv.slice(1);
      if (argv.length === 0) {
        // `FLASK_DEBUG=1` alone sets a shell variable; it reaches children once exported.
        for (const { name, value } of simple.assignments) {
          const setting: EnvSetting = { name, value: unquote(value), origin: 'script-export', at };
          assigned.set(name, setting);
          if (exported.has(name)) facts.exports.push(setting);
        }
        continue;
      }
      if (argv[0] === 'export' || (argv[0] === 'declare' && argv[1] === '-x')) {
        for (const word of argv.slice(argv[0] === 'export' ? 1 : 2)) {
          const match = /^([A-Za-z_]\w*)(?:=(.*))?$/s.exec(word);
          if (!match || match[1]!.startsWith('-')) continue;
          exported.add(match[1]!);
          if (match[2] !== undefined) facts.exports.push({ name: match[1]!, value: match[2], origin: 'script-export', at });
          else if (assigned.has(match[1]!)) facts.exports.push({ ...assigned.get(match[1]!)!, at });
        }
        continue;
      }
      if (argv[0] === 'cd' && argv[1]) {
        facts.directories.push(argv[1]);
        continue;
      }
      if (BUILTINS.has(argv[0]!) || /^[A-Za-z_]\w*\(\)$/.test(argv[0]!)) continue;
      const command = deployCommand(argv, at);
      command.prefixEnv.unshift(...simple.assignments.map(({ name, value }) => ({ name, value, origin: 'command-prefix' as const, at })));
      facts.commands.push(...expandShell(command));
    }
  }
  return facts;
}

/** Each Makefile target's recipe commands: what `make <target>` runs on a developer's machine. */
export function makefileEntrypoints(path: string, source: string): FileEntrypoint[] {
  const entrypoints: FileEntrypoint[] = [];
  let target: string | undefined;
  forEachLine(source, (line, start) => {
    const rule = /^([A-Za-z0-9_.-]+)[ \t]*:(?!=)/.exec(line);
    if (rule) {
      target = rule[1];
      return;
    }
    if (!line.startsWith('\t') || !target) {
      if (line.trim() !== '' && !line.startsWith('\t')) target = undefined;
      return;
    }
    const text = line.slice(1).replace(/^[@+-]+/, '');
    const commandStart = start + line.indexOf(text);
    const at = spanAt(path, source, commandStart, commandStart + text.length);
    for (const command of lineCommands(text, at)) {
      if (command.target.kind === 'other') continue;
      entrypoints.push({ kind: 'makefile', name: `make ${target}`, role: 'development', roleReason: 'a Makefile target is run by hand', file: path, command, environment: [], envFiles: [] });
    }
  });
  return entrypoints;
}

/** A dotenv-style file's variables, as settings an entrypoint gets through `via`. */
export function envFileSettings(path: string, source: string, via: SourceSpan, origin: EnvOrigin): EnvSetting[] {
  return envAssignments(source).map((assignment) => ({
    name: assignment.name,
    value: unquote(assignment.value.trim()),
    origin,
    at: { path, start: assignment.start, end: assignment.end, line: assignment.line },
    via,
  }));
}
