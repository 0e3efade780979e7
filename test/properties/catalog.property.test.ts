import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { encodeSource } from '../../src/files/source-text.js';
import { importOsEdit } from '../../src/migrate/apply-fixes.js';
import { planMigration, type FilePlan } from '../../src/migrate/plan.js';
import type { TextEdit } from '../../src/rules/rule.js';
import { compileAll } from '../support/cpython.js';
import { tempProject } from '../support/temp-project.js';
import { dockerfileArb, envFileArb, type DeployFile } from './deploy-files.js';
import { programArb, type Program } from './python-programs.js';
import { must } from '../support/must.js';

/**
 * Property tests over the rule catalog. CI runs a fixed seed and a bounded
 * number of cases; `npm run fuzz` sets FUZZ_RUNS (and a random FUZZ_SEED
 * unless one is given) for long runs. A failure prints the seed and the
 * shrunk program, so any run can be replayed with FUZZ_SEED=<seed>.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS
      ? Date.now() % 2 ** 31
      : 20261201;
const python = inject('python');
const workspace = tempProject('secure-flask-properties-');
afterAll(() => workspace.remove());
let caseNumber = 0;

async function planFor(bytes: Buffer, fileName = 'case.py'): Promise<{ plan: FilePlan; path: string }> {
  // Long runs: give vitest's worker messages a turn between cases (its RPC times out otherwise).
  await new Promise((resolve) => setImmediate(resolve));
  // Each case in a folder of its own: deploy files are found by name, and cases must not see each other.
  const name = `case_${caseNumber++}/${fileName}`;
  const path = workspace.write(name, bytes);
  writeFileSync(path, bytes);
  const migration = await planMigration({ paths: [name], includeTests: false, cwd: workspace.root, jobs: 1 });
  return { plan: must(migration.files[0]), path };
}

/** `after` is `before` with only the edited ranges replaced: every byte between edits is kept, in order. */
function keepsEverythingOutsideEdits(before: string, after: string, edits: TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let cursor = 0;
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position) {
      position = Math.max(position, edit.end);
      continue;
    }
    const kept = before.slice(position, edit.start);
    const found = after.indexOf(kept, cursor);
    if (found === -1 || (position === 0 && found !== 0)) return `text before offset ${edit.start} changed`;
    cursor = found + kept.length;
    position = Math.max(position, edit.end);
  }
  const tail = before.slice(position);
  if (!after.endsWith(tail) || after.length - tail.length < cursor) return `text after offset ${position} changed`;
  return undefined;
}

const describeProgram = (program: Program) =>
  `${program.layout}\n${program.blocks.map((b) => `  lines ${b.firstLine}-${b.lastLine}: ${b.description} -> ${b.ruleId ?? 'no finding'}`).join('\n')}\n${program.text}`;

describe(`catalog properties (seed ${seed}, ${runs} runs)`, () => {
  const toCompile: { label: string; bytes: Buffer }[] = [];
  let migrated = 0;

  it('check finds every positive and no near-miss; migrate keeps bytes outside its edits, is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, async (program) => {
        const { plan, path } = await planFor(program.bytes);
        const report = await runCheck({ paths: [path], includeTests: false, cwd: workspace.root, jobs: 1 });
        // Every positive is found, inside its own lines, by its own rule.
        for (const block of program.blocks.filter((b) => b.ruleId)) {
          const found = report.findings.some(
            (f) => f.ruleId === block.ruleId && f.line >= block.firstLine && f.line <= block.lastLine,
          );
          if (!found)
            throw new Error(
              `missed ${block.description} at lines ${block.firstLine}-${block.lastLine}\n${describeProgram(program)}\nfindings: ${JSON.stringify(report.findings.map((f) => [f.ruleId, f.line]))}`,
            );
        }
        // Nothing is found outside the positives (near-misses, the module's own setup lines).
        for (const finding of report.findings) {
          const owner = program.blocks.find((b) => finding.line >= b.firstLine && finding.line <= b.lastLine);
          if (!owner || owner.ruleId !== finding.ruleId)
            throw new Error(`false positive ${finding.ruleId} at line ${finding.line}\n${describeProgram(program)}`);
        }
        if (plan.status === 'failed' || plan.status === 'skipped')
          throw new Error(`migrate ${plan.status}: ${plan.reason}\n${describeProgram(program)}`);
        toCompile.push({ label: `original\n${describeProgram(program)}`, bytes: program.bytes });
        if (plan.status !== 'changed') return;
        migrated++;
        const edits = plan.changes.flatMap((change) => change.fix.edits);
        const importEdit = plan.changes.some((change) => change.fix.imports?.includes('os'))
          ? importOsEdit(plan.before)
          : undefined;
        const outside = keepsEverythingOutsideEdits(
          plan.before,
          plan.after,
          importEdit ? [...edits, importEdit] : edits,
        );
        if (outside) throw new Error(`${outside}\n${describeProgram(program)}\n--- after ---\n${plan.after}`);
        const bytes = must(encodeSource(plan.after, must(plan.source)));
        toCompile.push({ label: `migrated\n${describeProgram(program)}\n--- after ---\n${plan.after}`, bytes });
        // A second run finds nothing more to change.
        const again = await planFor(bytes);
        if (again.plan.status !== 'unchanged')
          throw new Error(
            `second run: ${again.plan.status} ${again.plan.reason ?? ''}\n--- after ---\n${plan.after}\n--- again ---\n${again.plan.after}`,
          );
        expect(readFileSync(again.path).equals(bytes)).toBe(true);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    expect(migrated).toBeGreaterThan(runs / 4);
  }, 600_000);

  it('env files and Dockerfiles: every positive found, no near-miss; migrate keeps bytes outside its edits, is idempotent', async () => {
    const describeFile = (file: DeployFile) =>
      `${file.name}\n${file.lines.map((l) => `  lines ${l.firstLine}-${l.lastLine}: ${l.description} -> ${l.ruleId ?? 'no finding'}`).join('\n')}\n${JSON.stringify(file.text)}`;
    await fc.assert(
      fc.asyncProperty(fc.oneof(envFileArb, dockerfileArb), async (file) => {
        const { plan, path } = await planFor(Buffer.from(file.text, 'utf8'), file.name);
        const report = await runCheck({ paths: [path], includeTests: false, cwd: workspace.root, jobs: 1 });
        for (const entry of file.lines.filter((l) => l.ruleId)) {
          if (
            !report.findings.some(
              (f) => f.ruleId === entry.ruleId && f.line >= entry.firstLine && f.line <= entry.lastLine,
            )
          ) {
            throw new Error(
              `missed ${entry.description}\n${describeFile(file)}\nfindings: ${JSON.stringify(report.findings.map((f) => [f.ruleId, f.line]))}`,
            );
          }
        }
        for (const finding of report.findings) {
          const owner = file.lines.find((l) => finding.line >= l.firstLine && finding.line <= l.lastLine);
          if (!owner || owner.ruleId !== finding.ruleId)
            throw new Error(`false positive ${finding.ruleId} at line ${finding.line}\n${describeFile(file)}`);
        }
        if (plan.status === 'failed' || plan.status === 'skipped')
          throw new Error(`migrate ${plan.status}: ${plan.reason}\n${describeFile(file)}`);
        if (plan.status !== 'changed') return;
        const outside = keepsEverythingOutsideEdits(
          plan.before,
          plan.after,
          plan.changes.flatMap((change) => change.fix.edits),
        );
        if (outside) throw new Error(`${outside}\n${describeFile(file)}\n--- after ---\n${JSON.stringify(plan.after)}`);
        const again = await planFor(Buffer.from(plan.after, 'utf8'), file.name);
        if (again.plan.status !== 'unchanged')
          throw new Error(
            `second run: ${again.plan.status}\n--- after ---\n${JSON.stringify(plan.after)}\n--- again ---\n${JSON.stringify(again.plan.after)}`,
          );
      }),
      { seed, numRuns: Math.ceil(runs / 2), endOnFailure: true },
    );
  }, 600_000);

  it('every generated file and every migrated file compiles under CPython', async () => {
    expect(toCompile.length).toBeGreaterThan(runs);
    const verdicts = await compileAll(
      python,
      toCompile.map((entry) => entry.bytes),
    );
    const rejected = verdicts.flatMap((verdict, index) =>
      verdict.ok ? [] : [`${verdict.error}\n${must(toCompile[index]).label}`],
    );
    expect(rejected.slice(0, 3)).toEqual([]);
  });
});
