import { basename, dirname, join, posix } from 'node:path';
import { heredocScript, type DockerInstruction } from './formats/dockerfile-instructions.js';
import { dockerStages, stageAt, type ResolvedCopy } from './formats/dockerfile-stages.js';
import { unwrapCommand } from './model-command.js';
import { resolved, unresolved, type ProjectFiles, type Resolved } from './project-files.js';
import { parseShellCommands } from './shell/shell-commands.js';

/** Where the server package goes so the image or platform installs it. */
export type InstallChange =
  /** Already installed: nothing to add. */
  | { kind: 'present'; evidence: string }
  /** Append gunicorn to this requirements file (absolute host path). */
  | { kind: 'requirements'; path: string; evidence: string }
  /** Insert ` gunicorn` at this offset of the Dockerfile: the end of its `RUN pip install <packages>` list. */
  | { kind: 'pip-line'; offset: number; evidence: string };

/** What a Dockerfile stage gives the command that runs in it. */
export interface ImageFacts {
  install: InstallChange;
  /** The build-context folder (absolute) whose contents are the command's WORKDIR. */
  appFolder: string;
  /** ENV of the stage and the stages it builds on. */
  environment: Map<string, string>;
}

const SERVER = 'gunicorn';
// pip options that take a value: their value is not a package to install.
const PIP_VALUE_OPTIONS = new Set([
  '-c',
  '--constraint',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '-w',
  '--wheel-dir',
  '--trusted-host',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--src',
  '--log',
  '--cache-dir',
  '--progress-bar',
  '--only-binary',
  '--no-binary',
  '--upgrade-strategy',
  '--report',
]);

interface Copy {
  sources: string[];
  /** Absolute path in the image. */
  dest: string;
  destIsDir: boolean;
}

interface PipCommand {
  requirementFiles: string[];
  packages: { name: string; end: number }[];
  installsProject: boolean;
  text: string;
}

/**
 * Follows the stage a Dockerfile command runs in (and the stages it builds on):
 * which requirements file its `RUN pip install -r X` really installs (X
 * relative to WORKDIR, mapped back through COPY to the build context), or the
 * `RUN pip install flask ...` line itself, and which context folder the command's
 * WORKDIR holds. A requirements.txt the image never installs is never the answer.
 */
export function resolveImage(
  dockerfile: { path: string; source: string },
  commandOffset: number,
  context: string,
  files: ProjectFiles,
): Resolved<ImageFacts> {
  const stages = dockerStages(dockerfile.path, dockerfile.source);
  const stage = stageAt(stages, commandOffset);
  // The stage resolver's steps: the stage's chain, variables substituted and WORKDIR followed once.
  const steps = (stage ? (stages.steps[stage.index] ?? []) : []).filter(
    (step) => step.instruction.start < commandOffset,
  );
  let workdir = '/';
  const copies: Copy[] = [];
  const knownDirs = new Set<string>(['/']);
  const environment = new Map<string, string>();
  const pipCommands: PipCommand[] = [];
  const otherInstallers: string[] = [];
  for (const step of steps) {
    const { instruction } = step;
    workdir = step.workdir;
    if (instruction.keyword === 'WORKDIR') knownDirs.add(workdir);
    for (const pair of step.env ?? []) environment.set(pair.name, pair.value);
    // `COPY --from=builder ...` brings files from another stage or image, not from the context.
    if (step.copy && step.copy.from === undefined) copies.push(contextCopy(step.copy, knownDirs, context, files));
    if (instruction.keyword === 'RUN') {
      for (const command of pipCommandsOf(instruction))
        pipCommands.push({
          ...command,
          requirementFiles: command.requirementFiles.map((file) => posix.resolve(workdir, file)),
        });
      otherInstallers.push(...otherInstallersOf(instruction));
    }
  }
  const appFolder = contextFolderAt(workdir, copies, context, files);
  if (appFolder === undefined) {
    const copied =
      copies.length === 0 ? 'the image copies no files from the build context' : 'the image copies only some files';
    return unresolved(`${copied} into ${workdir}, so a new gunicorn.conf.py would not be in it`);
  }

  const installedFiles: string[] = [];
  for (const command of pipCommands) {
    if (command.packages.some((entry) => normalizedName(entry.name) === SERVER))
      return resolved({ install: { kind: 'present', evidence: `\`${command.text}\`` }, appFolder, environment });
    for (const containerPath of command.requirementFiles) {
      const host = hostPath(containerPath, copies, context, files);
      if (host === undefined)
        return unresolved(`the image installs ${containerPath}, which is not copied from the build context`);
      if (requirementsInclude(host, files, 0))
        return resolved({
          install: { kind: 'present', evidence: relativeName(host, context) },
          appFolder,
          environment,
        });
      installedFiles.push(host);
    }
  }
  const firstFile = installedFiles[0];
  if (firstFile !== undefined) {
    if (/--hash[= ]/.test(files.read(firstFile) ?? ''))
      return unresolved(
        `${relativeName(firstFile, context)} pins hashes: gunicorn needs its hashes added by your lock tool`,
      );
    return resolved({
      install: {
        kind: 'requirements',
        path: firstFile,
        evidence: `the image installs ${relativeName(firstFile, context)}`,
      },
      appFolder,
      environment,
    });
  }
  const line = pipCommands.find((command) => command.packages.length > 0 && !command.installsProject);
  const lastPackage = line?.packages.at(-1);
  if (line && lastPackage)
    return resolved({
      install: { kind: 'pip-line', offset: lastPackage.end, evidence: `\`${line.text}\`` },
      appFolder,
      environment,
    });
  if (pipCommands.some((command) => command.installsProject))
    return unresolved(
      'the image installs the project itself (`pip install .`): add gunicorn to its dependencies by hand',
    );
  if (otherInstallers.length > 0)
    return unresolved(`the image installs packages with ${otherInstallers[0]}: add gunicorn there by hand`);
  return unresolved('no `RUN pip install` in this stage says where packages are installed');
}

/**
 * A platform that builds from the repository (a Procfile: Heroku and its
 * buildpack peers) installs requirements.txt at the app root.
 */
export function resolvePlatformInstall(folder: string, files: ProjectFiles): Resolved<InstallChange> {
  const requirements = join(folder, 'requirements.txt');
  if (files.read(requirements) === undefined) {
    return unresolved(
      'there is no requirements.txt beside the Procfile, so it is not certain how the platform installs packages',
    );
  }
  if (requirementsInclude(requirements, files, 0)) return resolved({ kind: 'present', evidence: 'requirements.txt' });
  if (/--hash[= ]/.test(files.read(requirements) ?? ''))
    return unresolved('requirements.txt pins hashes: gunicorn needs its hashes added by your lock tool');
  return resolved({ kind: 'requirements', path: requirements, evidence: 'the platform installs requirements.txt' });
}

/** A COPY from the build context, with whether its destination is a folder (files keep their names there). */
function contextCopy(copy: ResolvedCopy, knownDirs: Set<string>, context: string, files: ProjectFiles): Copy {
  const { sources, destination, target: dest } = copy;
  const destIsDir =
    destination.endsWith('/') ||
    destination === '.' ||
    sources.length > 1 ||
    knownDirs.has(dest) ||
    sources.some((source) => isContextDir(source, context, files));
  if (destIsDir) knownDirs.add(dest);
  return { sources, dest, destIsDir };
}

function isContextDir(source: string, context: string, files: ProjectFiles): boolean {
  return source === '.' || source === './' || files.isDirectory(join(context, source));
}

/** The build-context file that ends up at `containerPath`, by the latest COPY that put something there. */
function hostPath(containerPath: string, copies: Copy[], context: string, files: ProjectFiles): string | undefined {
  for (const copy of [...copies].reverse()) {
    for (const source of [...copy.sources].reverse()) {
      if (isContextDir(source, context, files)) {
        if (containerPath.startsWith(`${copy.dest}/`) || copy.dest === '/') {
          const candidate = join(context, source, containerPath.slice(copy.dest === '/' ? 1 : copy.dest.length + 1));
          if (files.read(candidate) !== undefined) return candidate;
        }
      } else if (source.includes('*')) {
        const pattern = new RegExp(
          `^${basename(source)
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')}$`,
        );
        if (posix.dirname(containerPath) === copy.dest && pattern.test(posix.basename(containerPath)))
          return join(context, dirname(source), posix.basename(containerPath));
      } else {
        const target = copy.destIsDir ? posix.join(copy.dest, posix.basename(source)) : copy.dest;
        if (target === containerPath) return join(context, source);
      }
    }
  }
  return undefined;
}

/** The context folder whose contents are at `workdir` (`COPY . .`, `COPY src/ /app`), if one is. */
function contextFolderAt(workdir: string, copies: Copy[], context: string, files: ProjectFiles): string | undefined {
  for (const copy of [...copies].reverse()) {
    if (copy.dest !== workdir) continue;
    const directory = copy.sources.find((source) => isContextDir(source, context, files));
    if (directory) return join(context, directory);
  }
  return undefined;
}

/** `RUN pip install ...` commands of one instruction, read with the shell grammar; package ends are file offsets. */
const OTHER_INSTALLERS = /poetry|pipenv|uv|conda|pdm/;

/** Installers other than pip a RUN calls (`poetry install`, `uv pip install`, `pipenv sync`), read off its commands. */
function otherInstallersOf(instruction: DockerInstruction): string[] {
  const { text } = runScript(instruction);
  if (!OTHER_INSTALLERS.test(text)) return [];
  return parseShellCommands(text).flatMap((simple) => {
    const [program = '', verb = '', object = ''] = unwrapCommand(simple.argv).argv;
    const name = basename(program);
    const installs = verb === 'install' || verb === 'sync' || (verb === 'pip' && object === 'install');
    return installs && /^(?:poetry|pipenv|uv|conda|pdm)$/.test(name) ? [name] : [];
  });
}

/** The shell text a RUN runs (its heredoc, or its arguments with `--mount=...` options blanked) and where it starts. */
function runScript(instruction: DockerInstruction): { text: string; start: number } {
  // A `RUN <<EOF` runs its heredoc: that is the text, at its own place in the file. RUN options are blanked
  // (same length, so offsets hold).
  const script = heredocScript(instruction);
  return script
    ? { text: script.text, start: script.start }
    : {
        text: instruction.args.replace(/^(?:--\S+\s+)+/, (flags) => ' '.repeat(flags.length)),
        start: instruction.argsStart,
      };
}

function pipCommandsOf(instruction: DockerInstruction): PipCommand[] {
  const commands: PipCommand[] = [];
  const { text: args, start: textStart } = runScript(instruction);
  for (const simple of /pip/.test(args) ? parseShellCommands(args) : []) {
    const { argv } = unwrapCommand(simple.argv);
    const skipped = simple.words.length - argv.length;
    const program = basename(argv[0] ?? '');
    const pipAt = /^pip[\d.]*$/.test(program)
      ? 1
      : /^python[\d.]*$/.test(program) && argv[1] === '-m' && /^pip[\d.]*$/.test(argv[2] ?? '')
        ? 3
        : -1;
    if (pipAt === -1 || (argv[pipAt] !== 'install' && argv[pipAt] !== 'wheel')) continue;
    const tokens = simple.words.slice(skipped + pipAt + 1);
    const command: PipCommand = {
      requirementFiles: [],
      packages: [],
      installsProject: false,
      text: args.slice(simple.start, simple.end).trim(),
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!token) break;
      const requirement = /^(?:-r|--requirement)(?:=?(.+))?$/.exec(token.text);
      if (requirement) {
        const file = requirement[1] ?? tokens[++i]?.text;
        if (file) command.requirementFiles.push(file);
      } else if (token.text === '-e' || token.text === '--editable') {
        command.installsProject = true;
        i++;
      } else if (PIP_VALUE_OPTIONS.has(token.text)) {
        i++;
      } else if (token.text.startsWith('-')) {
      } else if (/^[./]|\.whl$|\*/.test(token.text)) {
        command.installsProject ||= token.text === '.' || token.text.startsWith('./') || token.text.endsWith('/');
      } else if (/^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]+\])?(?:\s*[<>=!~].*)?$/.test(token.text)) {
        command.packages.push({
          name: token.text.split(/[<>=!~[;\s]/)[0] ?? '',
          end: textStart + token.end,
        });
      }
    }
    commands.push(command);
  }
  return commands;
}

/** True when a requirements file (or one it includes with -r) names the server. */
function requirementsInclude(path: string, files: ProjectFiles, depth: number): boolean {
  const text = files.read(path);
  if (text === undefined || depth > 4) return false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    const nested = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line)?.[1];
    if (nested && requirementsInclude(join(dirname(path), nested), files, depth + 1)) return true;
    if (normalizedName(line.split(/[<>=!~[;\s@]/)[0] ?? '') === SERVER) return true;
  }
  return false;
}

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function relativeName(path: string, context: string): string {
  return path.startsWith(`${context}/`) ? path.slice(context.length + 1) : basename(path);
}
