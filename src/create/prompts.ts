import * as prompts from '@clack/prompts';
import { resolve } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import {
  CI_PROVIDERS,
  DEFAULT_TARGET,
  PACKAGE_MANAGERS,
  SERVERS,
  existingEntries,
  defaultProjectName,
  packageNameProblem,
  projectNameProblem,
  targetProblem,
  toPackageName,
  validateTargetInput,
  type Answers,
  type CiProvider,
  type PackageManager,
  type Server,
} from './options.js';

/** Thrown when the user cancels a prompt (Ctrl+C / Esc): nothing has been written yet. */
export class PromptCancelled extends Error {}
/** The user answered "Cancel" (a choice, not Ctrl+C): the command ends as refused, not interrupted. */
export class CancelChosen extends PromptCancelled {}

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (prompts.isCancel(value)) throw new PromptCancelled();
  return value as Exclude<T, symbol>;
}

const SERVER_HINTS: Record<Server, string> = {
  gunicorn: 'Linux and containers',
  waitress: 'pure Python, also runs on Windows',
  both: 'Gunicorn in the Procfile and Docker, Waitress documented',
};
const CI_HINTS: Record<CiProvider, string> = {
  github: '.github/workflows/ci.yml',
  gitlab: '.gitlab-ci.yml',
  none: 'no CI file',
};
const PACKAGE_MANAGER_HINTS: Record<PackageManager, string> = {
  pip: 'pip-tools lock (requirements.txt with hashes); needs only Python',
  uv: 'uv.lock, uv sync; needs uv on PATH',
};

/**
 * create-vite's habit: a folder that already has files is reported as soon as it is
 * named, with the choice to keep them (the project goes beside them; a generated file
 * that clashes with one of theirs is skipped) or to stop, before any other question.
 */
async function confirmNonEmptyFolder(targetDir: string): Promise<void> {
  const entries = existingEntries(targetDir);
  if (entries.length === 0) return;
  const shown =
    entries.length > 5 ? `${entries.slice(0, 5).join(', ')} and ${entries.length - 5} more` : entries.join(', ');
  const choice = answered(
    await prompts.select({
      message: `The folder already has ${shown}`,
      options: [
        { value: 'keep', label: 'Keep my files and skip the generated ones that clash' },
        { value: 'cancel', label: 'Cancel: write nothing' },
      ],
    }),
  );
  if (choice === 'cancel') throw new CancelChosen();
}

/**
 * Asks for every answer the flags did not give. `given` holds what came from
 * flags; prompts start from the defaults. Every prompt is cancel-safe.
 */
export async function askAnswers(
  given: Partial<Answers>,
  defaults: Omit<Answers, 'target'>,
  cwd: string,
): Promise<Answers> {
  prompts.intro('create-secure-flask');
  const target =
    given.target ??
    (answered(
      await prompts.text({
        message: 'Project folder',
        placeholder: DEFAULT_TARGET,
        defaultValue: DEFAULT_TARGET,
        validate: (value) => {
          const text = value || DEFAULT_TARGET;
          const inputError = validateTargetInput(text, cwd);
          if (inputError) return inputError;
          // The package name is asked next, so a folder name it cannot come from is fine here.
          const nameError = given.name === undefined ? projectNameProblem(defaultProjectName(text, cwd)) : undefined;
          if (nameError) return nameError;
          // A folder with files in it is not refused here: the next question offers to keep them.
          return targetProblem(resolve(cwd, text), true);
        },
      }),
    ) ||
      DEFAULT_TARGET);
  if (given.target !== undefined) {
    // A folder given as an argument is judged before any question, like a typed one.
    const problem = validateTargetInput(given.target, cwd) ?? targetProblem(resolve(cwd, given.target), true);
    if (problem) throw new UsageError(problem);
  }
  await confirmNonEmptyFolder(resolve(cwd, target));
  // The import name is shown before anything else is asked, and can be changed here.
  const derived = toPackageName(given.name ?? defaultProjectName(target, cwd));
  const packageName =
    given.packageName ??
    answered(
      await prompts.text({
        message: 'Python package name',
        initialValue: derived.ok ? derived.packageName : '',
        validate: (value) => packageNameProblem(value ?? ''),
      }),
    );
  const server =
    given.server ??
    answered(
      await prompts.select<Server>({
        message: 'WSGI server for production',
        initialValue: defaults.server,
        options: SERVERS.map((value) => ({ value, label: value, hint: SERVER_HINTS[value] })),
      }),
    );
  const ci =
    given.ci ??
    answered(
      await prompts.select<CiProvider>({
        message: 'Continuous integration',
        initialValue: defaults.ci,
        options: CI_PROVIDERS.map((value) => ({
          value,
          label: value === 'github' ? 'GitHub Actions' : value === 'gitlab' ? 'GitLab CI' : 'None',
          hint: CI_HINTS[value],
        })),
      }),
    );
  const packageManager =
    given.packageManager ??
    answered(
      await prompts.select<PackageManager>({
        message: 'Package manager',
        initialValue: defaults.packageManager,
        options: PACKAGE_MANAGERS.map((value) => ({ value, label: value, hint: PACKAGE_MANAGER_HINTS[value] })),
      }),
    );
  const docker =
    given.docker ?? answered(await prompts.confirm({ message: 'Add a Dockerfile?', initialValue: defaults.docker }));
  const git =
    given.git ??
    answered(await prompts.confirm({ message: 'Initialize a git repository?', initialValue: defaults.git }));
  const install =
    given.install ??
    answered(
      await prompts.confirm({ message: 'Create a virtualenv (.venv) and install?', initialValue: defaults.install }),
    );
  // Having seen the folder's files, the user chose to keep them: the project goes beside them.
  return { ...defaults, ...given, target, packageName, server, ci, packageManager, docker, git, install, force: true };
}
