import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import { PYTHON_KEYWORDS, STDLIB_MODULE_NAMES } from './python-names.js';

export const SERVERS = ['gunicorn', 'waitress', 'both'] as const;
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;
export const PACKAGE_MANAGERS = ['pip', 'uv'] as const;
export type Server = (typeof SERVERS)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** Answers before validation: what the user typed or the flags said. */
export interface Answers {
  target: string;
  name?: string;
  /** The import name; derived from the project name when not given. */
  packageName?: string;
  server: Server;
  ci: CiProvider;
  /** pip + pip-tools (requirements.txt with hashes) or uv (pyproject.toml + uv.lock). */
  packageManager: PackageManager;
  docker: boolean;
  git: boolean;
  install: boolean;
  force: boolean;
  python: string;
}

/** Everything the generator needs, from prompts or flags, validated once. */
export interface Options extends Omit<Answers, 'target' | 'name' | 'packageName'> {
  targetDir: string;
  /** The target as the user should read it: relative when inside the current folder. */
  displayTarget: string;
  outsideCwd: boolean;
  /** The project goes into the folder the command runs in (`.`): no `cd` in the next steps. */
  inCurrentFolder: boolean;
  projectName: string;
  packageName: string;
  distributionName: string;
}

export const DEFAULT_ANSWERS: Omit<Answers, 'target'> = {
  server: 'gunicorn',
  ci: 'github',
  // pip by default: it comes with every Python, so `--yes` works on a machine with Python alone;
  // uv is one answer away for those who have it (the generator never installs tools).
  packageManager: 'pip',
  docker: true,
  git: true,
  install: true,
  force: false,
  python: 'python3',
};

export const DEFAULT_TARGET = 'flask-app';

// Top-level modules the generated project imports or runs beside its own package.
const PROJECT_MODULES = new Set([
  'flask',
  'werkzeug',
  'jinja2',
  'markupsafe',
  'itsdangerous',
  'click',
  'blinker',
  'gunicorn',
  'waitress',
  'pytest',
  'pytest_cov',
  'coverage',
  'dotenv',
  'ruff',
  'setuptools',
  'pip',
  'wsgi',
  'tests',
  'test',
  'conftest',
  'config',
]);

/** Longest project name: it is a README title and a package description, not an essay. */
export const MAX_PROJECT_NAME_LENGTH = 100;
/** Longest package name: it is a folder, an import and a distribution name. */
export const MAX_PACKAGE_NAME_LENGTH = 64;
// NAME_MAX and PATH_MAX on Linux (macOS and Windows allow less or the same, in bytes or UTF-16 units).
const MAX_FOLDER_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4095;
/** Room the deepest generated file needs below the target: `<package>/` plus `.github/workflows/ci.yml`-sized names. */
const GENERATED_PATH_ROOM = 64;

type NameResult = { ok: true; packageName: string } | { ok: false; reason: string };

/** Why `packageName` cannot be the project's import name, or undefined when it can. */
export function packageNameProblem(packageName: string): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(packageName)) {
    return `package name '${packageName}' must start with a letter and have only lower-case letters, digits and _`;
  }
  if (packageName.length > MAX_PACKAGE_NAME_LENGTH) {
    return `package name is ${packageName.length} characters long; at most ${MAX_PACKAGE_NAME_LENGTH}`;
  }
  if (PYTHON_KEYWORDS.has(packageName)) return `'${packageName}' is a Python keyword and cannot be a package name`;
  if (
    STDLIB_MODULE_NAMES.has(packageName) ||
    [...STDLIB_MODULE_NAMES].some((name) => name.toLowerCase() === packageName)
  ) {
    const shadowed = `'${packageName}' is a module of Python's standard library`;
    return `${shadowed}: the package would shadow it; choose another name`;
  }
  if (PROJECT_MODULES.has(packageName))
    return `'${packageName}' would shadow a module the project imports; choose another name`;
  return undefined;
}

/** Why `name` cannot be the project's name, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'the project name cannot be empty';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name))
    return 'the project name contains control characters (a line break, a tab...)';
  const length = [...name.trim()].length;
  if (length > MAX_PROJECT_NAME_LENGTH) {
    return `the project name is ${length} characters long; at most ${MAX_PROJECT_NAME_LENGTH} (pass a shorter --name)`;
  }
  return undefined;
}

/** `My Shop-API` -> `my_shop_api`: a valid, importable Python package name, or a reason why not. */
export function toPackageName(name: string): NameResult {
  const packageName = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, MAX_PACKAGE_NAME_LENGTH)
    .replace(/_+$/, '');
  if (!packageName)
    return { ok: false, reason: `project name '${name}' has no letters to build a Python package name from` };
  const problem = packageNameProblem(packageName);
  if (!problem) return { ok: true, packageName };
  // The user typed the project name, not this one: say where it came from.
  return {
    ok: false,
    reason:
      packageName === name
        ? problem
        : `the package name '${packageName}' derived from the project name '${name}' is not usable: ${problem}`,
  };
}

/**
 * What a folder already holds, less `.git` (a fresh `git init`
 * is an empty project folder); [] when there is no folder.
 */
export function existingEntries(targetDir: string): string[] {
  if (!existsSync(targetDir) || !statSync(targetDir).isDirectory()) return [];
  return readdirSync(targetDir)
    .filter((entry) => entry !== '.git')
    .sort();
}

/** A problem with the target folder, or undefined when it can be written to. */
export function targetProblem(targetDir: string, force: boolean): string | undefined {
  if (!existsSync(targetDir)) {
    // The nearest existing ancestor must be a folder: a file there would only fail later, mid-write.
    let ancestor = dirname(targetDir);
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    return statSync(ancestor).isDirectory()
      ? undefined
      : `${ancestor} is a file: the project folder cannot go inside it`;
  }
  if (!statSync(targetDir).isDirectory()) return `${targetDir} exists and is not a folder`;
  const entries = existingEntries(targetDir);
  if (entries.length > 0 && !force) {
    return (
      `${targetDir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); ` +
      'choose a new folder or pass --force to write into it'
    );
  }
  return undefined;
}

/** Why the folder as typed cannot hold a project (empty, control characters, names too long), or undefined. */
export function validateTargetInput(target: string, cwd = process.cwd()): string | undefined {
  if (!target.trim()) return 'the project folder cannot be empty';
  if (/[\u0000-\u001f]/.test(target)) return 'the project folder name contains control characters';
  const tooLong = target.split(/[\\/]/).find((part) => Buffer.byteLength(part) > MAX_FOLDER_NAME_BYTES);
  if (tooLong) {
    return (
      `the folder name '${tooLong.slice(0, 20)}...' is ${Buffer.byteLength(tooLong)} bytes long; ` +
      `file systems allow ${MAX_FOLDER_NAME_BYTES}`
    );
  }
  const pathBytes = Buffer.byteLength(resolve(cwd, target));
  if (pathBytes + GENERATED_PATH_ROOM + MAX_PACKAGE_NAME_LENGTH > MAX_PATH_BYTES) {
    return (
      `the project path is ${pathBytes} bytes long; ` +
      `the generated files need it under ${MAX_PATH_BYTES - GENERATED_PATH_ROOM - MAX_PACKAGE_NAME_LENGTH}`
    );
  }
  return undefined;
}

/** The project name a target implies: the folder's own name (`.` is the current folder's). */
export function defaultProjectName(target: string, cwd: string): string {
  return basename(resolve(cwd, target));
}

/** Validates every answer and derives the names; throws a UsageError naming the first problem. */
export function resolveOptions(answers: Answers, cwd: string): Options {
  const targetError = validateTargetInput(answers.target, cwd);
  if (targetError) throw new UsageError(targetError);
  const targetDir = resolve(cwd, answers.target);
  const relativeTarget = relative(cwd, targetDir);
  const outsideCwd = relativeTarget === '' ? false : relativeTarget.startsWith('..') || isAbsolute(relativeTarget);
  if (relativeTarget === '' && !answers.force && targetProblem(targetDir, false)) {
    throw new UsageError(
      'the current folder is not empty; name a new folder for the project, or pass --force to add to it',
    );
  }
  const problem = targetProblem(targetDir, answers.force);
  if (problem) throw new UsageError(problem);
  const projectName = (answers.name ?? defaultProjectName(answers.target, cwd)).trim();
  const nameProblem = projectNameProblem(projectName);
  if (nameProblem) throw new UsageError(nameProblem);
  let packageName: string;
  if (answers.packageName !== undefined) {
    const packageProblem = packageNameProblem(answers.packageName);
    if (packageProblem) throw new UsageError(packageProblem);
    packageName = answers.packageName;
  } else {
    const packageResult = toPackageName(projectName);
    if (!packageResult.ok) throw new UsageError(`${packageResult.reason} (or pass --package)`);
    packageName = packageResult.packageName;
  }
  return {
    ...answers,
    targetDir,
    displayTarget: outsideCwd ? targetDir : relativeTarget || '.',
    outsideCwd,
    inCurrentFolder: relativeTarget === '',
    projectName,
    packageName,
    distributionName: packageName.replace(/_/g, '-'),
  };
}
