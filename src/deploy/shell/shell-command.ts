import type { OptInTest } from './branch-condition.js';

/**
 * A word of a command: its value as the shell passes it (quotes
 * removed, expansions as written) and where it is written.
 */
export interface ShellWord {
  text: string;
  /** Offsets of the word as written (quotes included) within the text parsed. */
  start: number;
  end: number;
}

export interface ShellAssignment {
  name: string;
  value: string;
  start: number;
  end: number;
}

/**
 * The conditional branch a command runs in: `then` of an `if`, its `else`, a `case` item. `development`
 * when the condition selects development (`"$APP_ENV" = development`, `case $ENV in dev)`, the
 * `else` of `= production`): production takes the other branch.
 */
export interface ShellBranch {
  condition: string;
  start: number;
  end: number;
  development: boolean;
  /**
   * The debug opt-in variable the condition tests (`DEBUG` in `"$DEBUG" = true`): the branch is development
   * only while nothing that runs the script turns the variable on.
   */
  optIn?: string;
  /** The value test under which the opt-in branch runs (`= true`: the value is `true`). */
  optInRunsWhen?: OptInTest;
}

/** One simple command: `A=1 exec flask run` -> assignments [A=1], argv [exec, flask, run]. */
export interface ShellCommand {
  argv: string[];
  words: ShellWord[];
  assignments: ShellAssignment[];
  /** Offsets of the command within the text given. */
  start: number;
  end: number;
  branch?: ShellBranch;
}
