import { accessSync, constants, existsSync, mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommandArgs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../core/usage-error.js';
import { packageVersion } from '../core/version.js';
import { createFile, nearestExistingFolder, refusalToRewrite, rewriteFile } from '../files/atomic-write.js';
import { findGitRoot } from '../files/discover.js';
import { colorDiff, unifiedDiff } from '../files/patch.js';
import { planGuard, type GuardEdit } from './guard-targets.js';

const HELP = `Usage: secure-flask init-ci [path] [options]

Adds 'secure-flask check' where the repository already works:
  - a job in its GitHub Actions workflow (the Action, uploading SARIF to code scanning)
  - a job in its .gitlab-ci.yml (the Code Quality report shown in merge requests, SARIF kept)
  - the secure-flask-check hook in its .pre-commit-config.yaml
  - a new .github/workflows/secure-flask.yml when it has no CI at all
Files that already run the check are left alone, so running it twice changes nothing.
Edits keep the files' comments and formatting: the new job or hook is added, nothing else moves.

By default it prints the diffs and writes nothing.

Options:
  --write                  apply the changes
  --force                  also edit a read-only file
  --tool-version <x.y.z>   the exact version of create-secure-flask the guard runs (default: this one)
  -h, --help               show this help

The GitHub job sets its own permissions: contents: read, security-events: write.

Exit codes: 0 nothing to do or changes applied, 1 changes pending (dry run), 2 usage error or bad input.
`;

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export async function runInitCiCommand(argv: string[]): Promise<number> {
  const command = 'secure-flask init-ci';
  const { values, positionals } = parseCommandArgs(command, argv, {
    ...COMMON_OPTIONS,
    write: { type: 'boolean' },
    force: { type: 'boolean' },
    'tool-version': { type: 'string' },
  });
  if (answeredHelpOrVersion(values, HELP, packageVersion)) return EXIT_OK;
  if (positionals.length > 1)
    throw new UsageError(`${command}: one repository at a time (got ${positionals.length} paths)`);
  const version = values['tool-version'] ?? packageVersion();
  // A range would let whoever publishes a later version run code in this repository's CI.
  if (!EXACT_VERSION.test(version))
    throw new UsageError(`${command}: --tool-version must be an exact version such as 1.2.3 (got '${version}')`);
  const folder = resolve(process.cwd(), positionals[0] ?? '.');
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`${command}: not a folder: ${positionals[0] ?? '.'}`);
  const root = findGitRoot(folder) ?? folder;

  const plan = planGuard(root, version);
  const colors = colorsFor(process.stdout);
  for (const edit of plan.edits) {
    process.stdout.write(
      colorDiff(
        unifiedDiff({ rootPath: edit.rootPath, before: edit.before, after: edit.after, created: edit.created }),
        colors,
      ),
    );
  }
  for (const guarded of plan.alreadyGuarded)
    process.stdout.write(`${guarded.rootPath}: already runs secure-flask check (${guarded.what})\n`);
  if (plan.edits.length === 0) {
    process.stdout.write('Nothing to change.\n');
    return EXIT_OK;
  }
  const listed = plan.edits.map((edit) => `${edit.rootPath} (${edit.what})`).join(', ');
  if (!values.write) {
    process.stdout.write(
      `\n${plan.edits.length} file${plan.edits.length === 1 ? '' : 's'} to change: ${listed}. ` +
        'Run with --write to apply.\n',
    );
    return EXIT_FINDINGS;
  }
  await writeAllOrNothing(plan.edits, root, values.force === true);
  process.stdout.write(`${colors.green(`Added secure-flask check to ${listed}.`)}\n`);
  return EXIT_OK;
}

/**
 * Nothing is written unless everything can be: a read-only file (unless --force), a
 * read-only folder or a target outside the repository stops the run first. Each file is
 * then replaced whole (temp file + rename, keeping its mode, owner and group), and a
 * failure still puts back the files already written.
 */
async function writeAllOrNothing(edits: GuardEdit[], root: string, force: boolean): Promise<void> {
  for (const edit of edits) {
    const refusal = edit.created ? undefined : refusalToRewrite(edit.path, root, force);
    if (refusal)
      throw new UsageError(
        `secure-flask init-ci: cannot write ${edit.rootPath}: ` +
          `${refusal.replace(/; left untouched/, '')}; nothing was changed`,
      );
    const folder = edit.created ? nearestExistingFolder(edit.path) : dirname(edit.path);
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new UsageError(
        `secure-flask init-ci: cannot write ${edit.rootPath} ` +
          `(${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was changed`,
      );
    }
  }
  const done: GuardEdit[] = [];
  const createdFolders: string[] = [];
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  try {
    for (const edit of edits) {
      if (edit.created) {
        let folder = dirname(edit.path);
        const missing: string[] = [];
        while (!existsSync(folder)) {
          missing.unshift(folder);
          folder = dirname(folder);
        }
        const deepest = missing.at(-1);
        if (deepest !== undefined) mkdirSync(deepest, { recursive: true });
        createdFolders.push(...missing.reverse());
      }
      const result = edit.created
        ? await createFile(edit.path, root, bytes(edit.after))
        : await rewriteFile(edit.path, root, bytes(edit.before), bytes(edit.after), { force });
      if (!result.ok) throw new Error(result.reason);
      if (result.note) process.stderr.write(`secure-flask init-ci: note: ${edit.rootPath}: ${result.note}\n`);
      done.push(edit);
    }
  } catch (error) {
    for (const edit of done.reverse()) {
      if (edit.created) rmSync(edit.path, { force: true });
      else await rewriteFile(edit.path, root, bytes(edit.after), bytes(edit.before), { force: true });
    }
    for (const folder of createdFolders) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty (something else wrote there): leave it.
      }
    }
    const failed = edits[done.length];
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(
      `secure-flask init-ci: cannot write ${failed?.rootPath ?? 'a file'} (${reason}); nothing was changed`,
    );
  }
}
