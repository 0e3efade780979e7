import * as prompts from '@clack/prompts';
import { resolve } from 'node:path';
import {
  CI_PROVIDERS,
  DEFAULT_TARGET,
  SERVERS,
  defaultProjectName,
  packageNameProblem,
  projectNameProblem,
  targetProblem,
  toPackageName,
  validateTargetInput,
  type Answers,
  type CiProvider,
  type Server,
} from './options.js';

/** Thrown when the user cancels a prompt (Ctrl+C / Esc): nothing has been written yet. */
export class PromptCancelled extends Error {}

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

/**
 * Asks for every answer the flags did not give. `given` holds what came from
 * flags; prompts start from the defaults. Every prompt is cancel-safe.
 */
export async function askAnswers(given: Partial<Answers>, defaults: Omit<Answers, 'target'>, cwd: string): Promise<Answers> {
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
          return targetProblem(resolve(cwd, text), given.force ?? false);
        },
      }),
    ) || DEFAULT_TARGET);
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
        options: CI_PROVIDERS.map((value) => ({ value, label: value === 'github' ? 'GitHub Actions' : value === 'gitlab' ? 'GitLab CI' : 'None', hint: CI_HINTS[value] })),
      }),
    );
  const docker = given.docker ?? answered(await prompts.confirm({ message: 'Add a Dockerfile?', initialValue: defaults.docker }));
  const git = given.git ?? answered(await prompts.confirm({ message: 'Initialize a git repository?', initialValue: defaults.git }));
  const install =
    given.install ?? answered(await prompts.confirm({ message: 'Create a virtualenv (.venv) and install?', initialValue: defaults.install }));
  return { ...defaults, ...given, target, packageName, server, ci, docker, git, install };
}
