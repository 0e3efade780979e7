/**
 * The layering of the code, top to bottom: the one place it is written down. A module may import
 * modules of its own area and of any area in a lower layer, never one above or beside it; areas in
 * one layer are siblings that share only what lies below them. `test/architecture/layers.test.ts`
 * holds every import of `src/` and `codemods/` to this table and looks for import cycles.
 *
 *   src/bin                      entry points: call the CLI
 *   src/cli                      the command table, run-cli
 *   src/server                   the language server (check's findings, migrate's fixes)
 *   src/migrate  src/init-ci     commands built on check's engine
 *   src/check                    the engine: discover, screen, analyze, confirm, report
 *   src/runtime                  verify and probe: the app served, on loopback
 *   src/create  src/explain  src/build   the generator; rule docs; the bundler
 *   codemods                     the rule catalog, one rule per file
 *   src/rules                    what a rule is: its contract, references, pages
 *   src/deploy                   what runs in production, with which environment, served how
 *   src/python                   what a Python module does: parser, facts, edits
 *   src/files                    files on disk: discovery, reading, writing them safely, diffs
 *   src/core                     shared types, errors, colours, arguments, the package's own root
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/bin'],
  ['src/cli'],
  ['src/server'],
  ['src/migrate', 'src/init-ci'],
  ['src/check', 'src/runtime', 'src/create', 'src/explain', 'src/build'],
  ['codemods'],
  ['src/rules'],
  ['src/deploy'],
  ['src/python'],
  ['src/files'],
  ['src/core'],
];
