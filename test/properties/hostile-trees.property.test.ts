import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { planMigration } from '../../src/migrate/plan.js';
import { writePlannedFile } from '../../src/migrate/write-files.js';
import { tempProject } from '../support/temp-project.js';
import { buildTree, DEBUG_APP, treeArb } from './hostile-trees.js';
import { must } from '../support/must.js';

// Each case builds a tree on disk and runs check and migrate in this process: fewer cases than the catalog's.
const runs = Math.ceil(Number(process.env.FUZZ_RUNS ?? 300) / 10);
const seed =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS
      ? Date.now() % 2 ** 31
      : 20261207;
const workspace = tempProject('secure-flask-hostile-trees-');
afterAll(() => workspace.remove());
let caseNumber = 0;

describe('check and migrate on trees with special files, links and other owners', () => {
  it('check never hangs, never reports outside the root; migrate writes only regular files inside, keeping owners, and leaves the rest as it was', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, async (entries) => {
        const root = workspace.write(`case_${caseNumber}/repo/.keep`, '').replace(/\/\.keep$/, '');
        const outside = workspace.write(`case_${caseNumber++}/outside/.keep`, '').replace(/\/\.keep$/, '');
        const tree = await buildTree(root, outside, entries);
        try {
          const report = await runCheck({ paths: ['.'], includeTests: false, cwd: root, jobs: 1 });
          const reported = new Set(report.findings.map((finding) => finding.rootPath));
          for (const finding of report.findings)
            expect(finding.path.startsWith(outside + sep) || finding.path.includes(`${sep}outside_`)).toBe(false);
          for (const file of tree.debugFiles)
            expect(reported.has(file.replace(/^\.\//, '').split(sep).join('/')), file).toBe(true);

          const before = readFileSync(join(outside, 'outside_app.py'), 'utf8');
          const owners = tree.ownedFiles.map((file) => statSync(join(root, file)));
          const plan = await planMigration({ paths: ['.'], includeTests: false, cwd: root, jobs: 1 });
          for (const file of plan.files.filter((entry) => entry.status === 'changed'))
            await writePlannedFile(file, plan.report.root);

          expect(readFileSync(join(outside, 'outside_app.py'), 'utf8')).toBe(before);
          for (const file of tree.debugFiles) expect(readFileSync(join(root, file), 'utf8'), file).not.toBe(DEBUG_APP);
          for (const [index, file] of tree.ownedFiles.entries()) {
            const after = statSync(join(root, file));
            expect([after.uid, after.gid, after.mode]).toEqual([
              must(owners[index]).uid,
              must(owners[index]).gid,
              must(owners[index]).mode,
            ]);
          }
          for (const special of tree.specialFiles) {
            const stats = lstatSync(join(root, special.path));
            expect(
              special.kind === 'fifo'
                ? stats.isFIFO()
                : special.kind === 'device'
                  ? stats.isCharacterDevice()
                  : stats.isSocket(),
              special.path,
            ).toBe(true);
          }
        } finally {
          await tree.close();
        }
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  }, 600_000);
});
