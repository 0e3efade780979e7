import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { stringify as stringifyYaml } from 'yaml';
import {
  CHECKOUT_ACTION,
  GITLAB_GUARD_IMAGE,
  SETUP_PYTHON_ACTION,
  SETUP_UV_ACTION,
  gitlabGuardScript,
  guardActionUses,
} from '../core/ci-pins.js';
import { packageVersion } from '../core/version.js';
import { packageRoot } from '../core/package-root.js';
import { markdownInline, pythonString, tomlString } from './escape.js';
import type { Options } from './options.js';

export const TEMPLATES_DIR = join(packageRoot(), 'templates');
const PROJECT_TEMPLATES = join(TEMPLATES_DIR, 'project');
const PARTIALS = join(TEMPLATES_DIR, 'partials');

/** Which optional files exist, by template path; every other template is always rendered. */
const INCLUDED_WHEN: Record<string, (options: Options) => boolean> = {
  'gunicorn.conf.py.hbs': (options) => options.server !== 'waitress',
  'Dockerfile.hbs': (options) => options.docker,
  '_dockerignore.hbs': (options) => options.docker,
  'compose.dev.yaml.hbs': (options) => options.docker,
  '_github/workflows/ci.yml.hbs': (options) => options.ci === 'github',
  '_github/dependabot.yml.hbs': (options) => options.ci === 'github',
  '_gitlab-ci.yml.hbs': (options) => options.ci === 'gitlab',
  'requirements.txt.hbs': (options) => options.packageManager === 'pip',
  'uv.lock.hbs': (options) => options.packageManager === 'uv',
};

/**
 * Images the Dockerfile builds from, pinned by digest (a tag can be re-pushed; a digest
 * cannot), with the tag beside it for people and Dependabot's docker updates. The digests
 * are the multi-platform index digests of these tags.
 */
const PYTHON_IMAGE = {
  tag: 'python:3.12-slim',
  digest: 'sha256:dddfd7e07f9d15aeeca61529320492139d21cac7f0070c00609243e51e4e0016',
};
const UV_IMAGE = {
  tag: 'ghcr.io/astral-sh/uv:0.13.0',
  digest: 'sha256:cdc6093146eb3ff6a40107b38f008b789e050e77ad87865e381d9917da55a168',
};
/** The uv GitLab CI installs with pip (GitLab has no Dependabot to update an image digest). */
const GITLAB_UV_VERSION = '0.13.9';

export interface RenderedFile {
  path: string;
  contents: string;
}

/**
 * `templates/project/__package__/_x.py.hbs` -> `<package>/.x.py`: the template
 * tree mirrors the output, with `__package__` for the package folder and a
 * leading `_` for dotfiles (which npm would otherwise drop or hide).
 */
export function outputPath(templatePath: string, options: Options): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => (segment === '__package__' ? options.packageName : segment.replace(/^_(?!_)/, '.')))
    .join('/');
}

function templateFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? templateFiles(path) : [path];
  });
}

/** Renders the project for `options` in memory: nothing touches the disk here. */
export function renderProject(options: Options, secretKey = randomBytes(32).toString('hex')): RenderedFile[] {
  const handlebars = Handlebars.create();
  // Each value is escaped for the language of the file it lands in (see escape.ts); HTML escaping is off.
  handlebars.registerHelper('python', (value: string) => pythonString(value));
  handlebars.registerHelper('toml', (value: string) => tomlString(value));
  handlebars.registerHelper('markdown', (value: string) => markdownInline(value));
  // A YAML scalar as the yaml library writes it: plain when that is safe, quoted when not.
  handlebars.registerHelper('yaml', (value: string) => stringifyYaml(value, { lineWidth: 0 }).trimEnd());
  for (const partial of readdirSync(PARTIALS)) {
    handlebars.registerPartial(partial.replace(/\.hbs$/, ''), readFileSync(join(PARTIALS, partial), 'utf8').trimEnd());
  }
  const context = {
    projectName: options.projectName,
    packageName: options.packageName,
    distributionName: options.distributionName,
    usesGunicorn: options.server !== 'waitress',
    usesWaitress: options.server !== 'gunicorn',
    usesBoth: options.server === 'both',
    docker: options.docker,
    uv: options.packageManager === 'uv',
    pip: options.packageManager === 'pip',
    pythonImage: `${PYTHON_IMAGE.tag}@${PYTHON_IMAGE.digest}`,
    uvImage: `${UV_IMAGE.tag}@${UV_IMAGE.digest}`,
    gitlabUvVersion: GITLAB_UV_VERSION,
    // The same pins and guard job init-ci writes (src/core/ci-pins.ts).
    checkoutAction: CHECKOUT_ACTION,
    setupPythonAction: SETUP_PYTHON_ACTION,
    setupUvAction: SETUP_UV_ACTION,
    guardActionUses: guardActionUses(packageVersion()),
    gitlabGuardImage: GITLAB_GUARD_IMAGE,
    gitlabGuardScript: gitlabGuardScript(packageVersion()),
    secretKey,
    // Exact: a range would let whoever publishes a future version run code in the project's CI.
    toolVersion: packageVersion(),
    defaultPort: 8000,
    // requirements.txt: pip-compile's lock for this server choice (templates/partials/requirements-*.hbs).
    // To refresh one: pip-compile, with the command in its header, a pyproject.toml naming the project
    // `flask-app` with this template's dependencies; then `flask-app (pyproject.toml)` -> `{{distributionName}} ...`.
    lockPartial: `requirements-${options.server}`,
    // uv.lock: uv's own lock for a project named `flask-app` rendered from these templates, with the
    // name as a variable; test/support/refresh-uv-locks.ts rewrites them (`uv lock --check` tests them).
    uvLockPartial: `uv-lock-${options.server}`,
  };
  const files: RenderedFile[] = [];
  for (const file of templateFiles(PROJECT_TEMPLATES)) {
    const templatePath = relative(PROJECT_TEMPLATES, file).split(sep).join('/');
    if (INCLUDED_WHEN[templatePath] && !INCLUDED_WHEN[templatePath](options)) continue;
    // Generated code is not HTML: no escaping; an unknown variable is a template bug, so fail loudly.
    const template = handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    files.push({ path: outputPath(templatePath, options), contents: template(context) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
