import { posix } from 'node:path';
import { unquote } from '../debug-variables.js';
import type { SourceSpan } from '../model.js';
import { substituteVariables } from '../variables.js';
import { spanAt } from './common.js';
import { dockerEnvPairs, dockerInstructions, type DockerInstruction } from './dockerfile-instructions.js';

/**
 * The one Dockerfile stage resolver: stages (FROM, `AS name`, the stage each builds on), and every
 * instruction of a stage's chain with what the build sees there: ARG defaults and ENV (variables
 * substituted once, here), the WORKDIR, and COPY/ADD read into words. The deploy model (entrypoints,
 * copies) and migrate's install resolver (install-location.ts) both walk these steps.
 */

export interface DockerStage {
  name: string;
  index: number;
  /** The stage it builds on (`FROM base AS prod`), when that is an earlier stage. */
  parent?: DockerStage;
  /** The FROM instruction. */
  from: DockerInstruction;
  /** The image it names, ARGs declared before the first FROM substituted (`python:3.7-slim`, `base`). */
  image: string;
  instructions: DockerInstruction[];
}

/** One ENV pair as the build sets it. */
export interface ResolvedEnv {
  name: string;
  /** Quotes removed, `$VAR` and `${ARG}` substituted. */
  value: string;
  start: number;
  end: number;
  /** The `ARG` whose default gave the value, when one did (and no ENV of the name came before). */
  argDefault?: SourceSpan;
}

/** A COPY/ADD read into words: options, sources, destination (variables substituted). */
export interface ResolvedCopy {
  sources: string[];
  /** The destination as written, variables substituted (`.`, `app/`, `/srv/app`). */
  destination: string;
  /** The destination as an absolute image path (relative ones are under the WORKDIR). */
  target: string;
  /** `--from=builder`: the stage or image the files come from, not the build context. */
  from?: string;
}

/** An instruction of a stage's chain with what the build sees there. */
export interface StageStep {
  instruction: DockerInstruction;
  /** The stage it is written in. */
  stage: DockerStage;
  /** The working directory it runs in (absolute; a WORKDIR step holds its own result). */
  workdir: string;
  /** True once some WORKDIR of the chain set the working directory (Docker's default is `/`). */
  workdirSet: boolean;
  /** ENV values set before it (the environment a RUN sees). */
  environment: ReadonlyMap<string, string>;
  /** ENV pairs, for an ENV step. */
  env?: ResolvedEnv[];
  /** Files copied, for a COPY or ADD step. */
  copy?: ResolvedCopy;
}

export interface DockerStages {
  path: string;
  source: string;
  stages: DockerStage[];
  /** Each stage's chain (the stages it builds on first), resolved: index -> steps. */
  steps: StageStep[][];
}

const UNSET = '\u0000unset';

/** Reads a Dockerfile's stages and resolves every stage's chain once. */
export function dockerStages(path: string, source: string): DockerStages {
  const stages: DockerStage[] = [];
  const globalArgs = new Map<string, string>();
  for (const instruction of dockerInstructions(source)) {
    if (instruction.keyword === 'FROM') {
      const [written = ''] = instruction.args.replace(/--platform=\S+\s*/, '').split(/\s+/);
      const image = substituteVariables(written, setArgs(globalArgs));
      const parent = stages.find((stage) => stage.name !== '' && stage.name.toLowerCase() === image.toLowerCase());
      stages.push({
        name: /\bAS[ \t]+(\S+)/i.exec(instruction.args)?.[1] ?? '',
        index: stages.length,
        ...(parent ? { parent } : {}),
        from: instruction,
        image,
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (stage) stage.instructions.push(instruction);
    else if (instruction.keyword === 'ARG')
      for (const [name, value] of argDefaults(instruction)) globalArgs.set(name, value);
  }
  const steps: StageStep[][] = [];
  for (const stage of stages) {
    const inherited = stage.parent ? (steps[stage.parent.index] ?? []) : [];
    steps.push([...inherited, ...resolveOwnSteps(path, source, stage, inherited.at(-1), globalArgs)]);
  }
  return { path, source, stages, steps };
}

function setArgs(args: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...args].filter(([, value]) => value !== UNSET));
}

/** A Python version as an image tag names it. */
export interface PythonVersion {
  major: number;
  minor: number;
}

// `python:3.7`, `python:3.9-slim`, `docker.io/library/python:3.11-alpine`, `tiangolo/uwsgi-nginx-flask:python3.8`.
const PYTHON_IMAGE = /(?:^|\/)python:(\d+)\.(\d+)(?![\d])/i;
const PYTHON_TAG = /:(?:.*[-_])?python-?(\d+)\.(\d+)(?![\d])/i;

/**
 * The Python version of the image a stage is built from (through the stages it builds on), when the image's
 * tag says it. `python:3`, `python:latest` and other images say nothing: undefined.
 */
export function stagePython(stage: DockerStage): PythonVersion | undefined {
  let root = stage;
  while (root.parent) root = root.parent;
  const match = PYTHON_IMAGE.exec(root.image) ?? PYTHON_TAG.exec(root.image);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** The stage an offset is in: the one whose instructions (or FROM) hold it, else the last one before it. */
export function stageAt(stages: DockerStages, offset: number): DockerStage | undefined {
  let found: DockerStage | undefined;
  for (const stage of stages.stages) if (stage.from.start <= offset) found = stage;
  return found;
}

/** The state after a step: the ENV it leaves, and the working directory. */
function after(step: StageStep | undefined): { environment: Map<string, string>; workdir: string; set: boolean } {
  const environment = new Map(step?.environment ?? []);
  for (const pair of step?.env ?? []) environment.set(pair.name, pair.value);
  return { environment, workdir: step?.workdir ?? '/', set: step?.workdirSet ?? false };
}

function resolveOwnSteps(
  path: string,
  source: string,
  stage: DockerStage,
  last: StageStep | undefined,
  globalArgs: ReadonlyMap<string, string>,
): StageStep[] {
  const state = after(last);
  // ARGs do not cross stages; ENV does. A stage's `ARG NAME` takes the global default.
  const args = new Map<string, { value: string; at: SourceSpan }>();
  const steps: StageStep[] = [];
  for (const instruction of stage.instructions) {
    const environment: ReadonlyMap<string, string> = new Map(state.environment);
    const known = new Map([...[...args].map(([name, { value }]): [string, string] => [name, value]), ...environment]);
    const step: StageStep = { instruction, stage, workdir: state.workdir, workdirSet: state.set, environment };
    if (instruction.keyword === 'ARG') {
      const at = spanAt(path, source, instruction.start, instruction.end);
      for (const [name, value] of argDefaults(instruction)) {
        const defaultValue = value === UNSET ? globalArgs.get(name) : value;
        if (defaultValue !== undefined && defaultValue !== UNSET) args.set(name, { value: defaultValue, at });
      }
    } else if (instruction.keyword === 'ENV') {
      step.env = dockerEnvPairs(instruction).map((pair) => {
        const fromArg = [...pair.value.matchAll(/\$\{?([A-Za-z_]\w*)/g)]
          .map((match) => args.get(match[1] ?? ''))
          .find((arg) => arg !== undefined && !state.environment.has(pair.name));
        const value = substituteVariables(unquote(pair.value), known);
        state.environment.set(pair.name, value);
        return {
          name: pair.name,
          value,
          start: pair.start,
          end: pair.end,
          ...(fromArg ? { argDefault: fromArg.at } : {}),
        };
      });
    } else if (instruction.keyword === 'WORKDIR') {
      state.workdir = posix.resolve(state.workdir, substituteVariables(unquote(instruction.args.trim()), known));
      state.set = true;
      step.workdir = state.workdir;
      step.workdirSet = true;
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const copy = copyOf(instruction, known, state.workdir);
      if (copy) step.copy = copy;
    }
    steps.push(step);
  }
  return steps;
}

function argDefaults(instruction: DockerInstruction): [string, string][] {
  return instruction.args
    .trim()
    .split(/\s+/)
    .flatMap((word): [string, string][] => {
      const match = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(word);
      return match ? [[match[1] ?? '', match[2] === undefined ? UNSET : unquote(match[2])]] : [];
    });
}

/**
 * COPY/ADD words: the JSON form, or words split at unquoted
 * blanks with their quotes removed (as Docker reads them).
 */
export function copyWords(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parts = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parts)) return parts.map(String);
    } catch {
      // Not valid JSON: Docker reads it as words.
    }
  }
  const words: string[] = [];
  for (const match of trimmed.matchAll(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)+/g))
    words.push(
      match[0].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_all, double?: string, single?: string) =>
        double !== undefined ? double.replace(/\\(.)/g, '$1') : (single ?? ''),
      ),
    );
  return words;
}

function copyOf(
  instruction: DockerInstruction,
  variables: ReadonlyMap<string, string>,
  workdir: string,
): ResolvedCopy | undefined {
  const words = (copyWords(instruction.args) ?? []).filter(Boolean);
  const options = words.filter((word) => word.startsWith('--'));
  const operands = words.filter((word) => !word.startsWith('--'));
  const written = operands.at(-1);
  if (operands.length < 2 || written === undefined) return undefined;
  const destination = substituteVariables(written, variables);
  const sources = operands.slice(0, -1).map((source) => substituteVariables(source, variables));
  const from = options.find((option) => option.startsWith('--from'))?.replace(/^--from=?/, '');
  return {
    sources,
    destination,
    target: posix.resolve(workdir, destination),
    ...(from !== undefined ? { from } : {}),
  };
}

/** The stage a `COPY --from=` names: an earlier stage by name or index (else an image, not a stage). */
function stageNamed(stages: DockerStages, reference: string, before: number): DockerStage | undefined {
  const lower = reference.toLowerCase();
  return stages.stages.find(
    (stage) =>
      stage.index < before &&
      ((stage.name !== '' && stage.name.toLowerCase() === lower) || String(stage.index) === lower),
  );
}

/** Where a `COPY --from` puts `path` (an absolute path of the source stage), if one of its sources covers it. */
function copiedTo(copy: ResolvedCopy, path: string): string | undefined {
  for (const written of copy.sources) {
    // A glob covers the folder it matches in (a narrower answer needs the stage's files, which a build makes).
    const source = posix.resolve('/', written.includes('*') ? posix.dirname(written) : written);
    if (source === '/' || path === source || path.startsWith(`${source}/`)) {
      const rest = source === '/' ? path.slice(1) : path.slice(source.length + 1);
      return rest === '' ? copy.target : posix.join(copy.target, rest);
    }
  }
  return undefined;
}

/**
 * Where a file written at `path` by stage `written.stageIndex` is in the image stage `image` builds: its own
 * path when `image` is that stage or builds on it, or where a `COPY --from=` (through any number of stages)
 * puts it; undefined when it is not there. A `.env` written in a build stage that the final stage never
 * copies from is in no image that runs.
 */
export function pathInImage(
  stages: DockerStages,
  written: { stageIndex: number; path: string },
  image: number,
  depth = 0,
): string | undefined {
  if (depth > stages.stages.length) return undefined;
  for (let stage = stages.stages[image]; stage; stage = stage.parent)
    if (stage.index === written.stageIndex) return written.path;
  for (const step of stages.steps[image] ?? []) {
    const from = step.copy?.from;
    const source = from === undefined ? undefined : stageNamed(stages, from, step.stage.index);
    if (!step.copy || !source) continue;
    // The file must be in the source stage first (it may have copied it from another), then this copy takes it.
    const there = pathInImage(stages, written, source.index, depth + 1);
    const here = there === undefined ? undefined : copiedTo(step.copy, there);
    if (here !== undefined) return here;
  }
  return undefined;
}
