/**
 * The layering of the code, top to bottom: the one place it is written down. A module may import
 * modules of its own area and of any area in a lower layer, never one above or beside it; areas in
 * one layer are siblings that share only what lies below them. `test/architecture/layers.test.ts`
 * holds every import of `src/` and `codemods/` to this table and looks for import cycles.
 *
 *   src/bin                      entry points: parse nothing, call the CLI
 *   src/cli                      the command table, run-cli
 *   src/server                   the language server (check's findings, migrate's fixes)
 *   src/migrate  src/init-ci     commands built on the engine
 *   src/runtime  src/create  src/rules
 *   src/check                    the engine: discover, screen, analyze, confirm, report
 *   codemods                     the rule catalog, one rule per file
 *   src/python   src/deploy      what a Python module does; what runs in production
 *   src/files    src/core        files on disk; shared types, errors, colours, arguments
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/bin'],
  ['src/cli'],
  ['src/server'],
  ['src/migrate', 'src/init-ci'],
  ['src/runtime', 'src/create', 'src/rules', 'src/build'],
  ['src/check'],
  ['codemods'],
  ['src/python', 'src/deploy'],
  ['src/files', 'src/core'],
];
