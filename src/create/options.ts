import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../cli/usage-error.js';

export const SERVERS = ['gunicorn', 'waitress', 'both'] as const;
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;
export type Server = (typeof SERVERS)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** Answers before validation: what the user typed or the flags said. */
export interface Answers {
  target: string;
  name?: string;
  server: Server;
  ci: CiProvider;
  docker: boolean;
  git: boolean;
  install: boolean;
  force: boolean;
  python: string;
}

/** Everything the generator needs, from prompts or flags, validated once. */
export interface Options extends Omit<Answers, 'target' | 'name'> {
  targetDir: string;
  /** The target as the user should read it: relative when inside the current folder. */
  displayTarget: string;
  outsideCwd: boolean;
  projectName: string;
  packageName: string;
  distributionName: string;
}

export const DEFAULT_ANSWERS: Omit<Answers, 'target'> = {
  server: 'gunicorn',
  ci: 'github',
  docker: true,
  git: true,
  install: true,
  force: false,
  python: 'python3',
};

export const DEFAULT_TARGET = 'flask-app';

// Names a project package must not take: they would shadow what the project imports or runs.
const RESERVED_PACKAGE_NAMES = new Set([
  'flask', 'werkzeug', 'jinja2', 'click', 'gunicorn', 'waitress', 'pytest', 'dotenv', 'wsgi', 'tests', 'test',
  'config', 'site', 'os', 'sys', 'json', 'logging', 'email', 'http', 'html', 'string', 'types', 'typing', 'secrets',
  'random', 'time', 'socket', 'select', 'queue', 'io', 'abc', 'ast', 'code', 'copy', 'enum', 're', 'signal',
]);
const PYTHON_KEYWORDS = new Set([
  'false', 'none', 'true', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);

/** `My Shop-API` -> `my_shop_api`: a valid, importable Python package name, or a reason why not. */
export function toPackageName(name: string): { ok: true; packageName: string } | { ok: false; reason: string } {
  const packageName = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
  if (!packageName) return { ok: false, reason: `project name '${name}' has no letters to build a Python package name from` };
  if (PYTHON_KEYWORDS.has(packageName)) return { ok: false, reason: `'${packageName}' is a Python keyword and cannot be a package name` };
  if (RESERVED_PACKAGE_NAMES.has(packageName)) {
    return { ok: false, reason: `'${packageName}' would shadow a module the project imports; choose another name` };
  }
  return { ok: true, packageName };
}

/** A problem with the target folder, or undefined when it can be written to. */
export function targetProblem(targetDir: string, force: boolean): string | undefined {
  if (!existsSync(targetDir)) return undefined;
  if (!statSync(targetDir).isDirectory()) return `${targetDir} exists and is not a folder`;
  const entries = readdirSync(targetDir).filter((entry) => entry !== '.git');
  if (entries.length > 0 && !force) {
    return `${targetDir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose a new folder or pass --force to write into it`;
  }
  return undefined;
}

export function validateTargetInput(target: string): string | undefined {
  if (!target.trim()) return 'the project folder cannot be empty';
  if (/[\u0000-\u001f]/.test(target)) return 'the project folder name contains control characters';
  return undefined;
}

/** Validates every answer and derives the names; throws a UsageError naming the first problem. */
export function resolveOptions(answers: Answers, cwd: string): Options {
  const targetError = validateTargetInput(answers.target);
  if (targetError) throw new UsageError(`create-secure-flask: ${targetError}`);
  const targetDir = resolve(cwd, answers.target);
  const relativeTarget = relative(cwd, targetDir);
  const outsideCwd = relativeTarget === '' ? false : relativeTarget.startsWith('..') || isAbsolute(relativeTarget);
  if (relativeTarget === '' && !answers.force && targetProblem(targetDir, false)) {
    throw new UsageError('create-secure-flask: the current folder is not empty; name a new folder for the project');
  }
  const problem = targetProblem(targetDir, answers.force);
  if (problem) throw new UsageError(`create-secure-flask: ${problem}`);
  const projectName = (answers.name ?? basename(targetDir)).trim();
  const packageResult = toPackageName(projectName);
  if (!packageResult.ok) throw new UsageError(`create-secure-flask: ${packageResult.reason}`);
  const distributionName = packageResult.packageName.replace(/_/g, '-');
  return {
    ...answers,
    targetDir,
    displayTarget: outsideCwd ? targetDir : relativeTarget || '.',
    outsideCwd,
    projectName,
    packageName: packageResult.packageName,
    distributionName,
  };
}
