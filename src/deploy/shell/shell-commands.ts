import type { Node } from 'web-tree-sitter';
import { conditionMeaning, developmentPatterns, type OptInTest } from './branch-condition.js';
import type { ShellAssignment, ShellBranch, ShellCommand, ShellWord } from './shell-command.js';
import { RecentParses } from '../../core/recent-parses.js';
import { withShellTree } from './shell-parser.js';
import { simpleCommands } from './simple-commands.js';

export type { ShellAssignment, ShellBranch, ShellCommand, ShellWord } from './shell-command.js';

// Plain words need no grammar: every reader splits `gunicorn -b 0.0.0.0:8000 app:app` the same way. A word may
// hold parentheses after its start (`app:create_app()`): systemd and supervisord pass it as written, and a
// shell would refuse the line rather than run something else. Each word ends in blanks or the end of the
// text, so the pattern matches one way only (no backtracking blow-up).
const PLAIN_LINE = /^[ \t]*(?:[\w./:@%+,=-][\w./:@%+,=()-]*(?:[ \t]+|$))*$/;
const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/s;

/**
 * The simple commands of shell text, read with bash's grammar: quotes, escapes,
 * `;`/`&&`/`||`/`|`, groups and subshells, `if`/`case`/loops, functions,
 * heredocs (their bodies are data, not commands), `export`/`declare`.
 * Expansions (`$VAR`, `$(...)`) are kept as written: the model never runs anything.
 */
export function parseShellCommands(text: string): readonly ShellCommand[] {
  if (PLAIN_LINE.test(text)) return plainCommand(text);
  return simpleCommands(text) ?? parseWithGrammar(text);
}

/** The commands as bash's grammar reads them (the simple reader's reference: its tests compare the two). */
export function parseWithGrammar(text: string): readonly ShellCommand[] {
  return recentParses.parse(text, (kept) =>
    withShellTree(kept, (tree) => {
      const commands: ShellCommand[] = [];
      visit(tree.rootNode, undefined, commands);
      return deepFreeze(commands);
    }),
  );
}

// The model follows a script and the script's rule reads it: one parse serves both (kept parses are frozen,
// since every caller gets the same objects).
const recentParses = new RecentParses<readonly ShellCommand[]>(1024 * 1024);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function plainCommand(text: string): ShellCommand[] {
  const words = [...text.matchAll(/\S+/g)].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
  const firstWord = words[0];
  const lastWord = words.at(-1);
  if (!firstWord || !lastWord) return [];
  const assignments: ShellAssignment[] = [];
  for (const word of words) {
    const match = ASSIGNMENT.exec(word.text);
    if (!match) break;
    assignments.push({ name: match[1] ?? '', value: match[2] ?? '', start: word.start, end: word.end });
  }
  const rest = words.slice(assignments.length);
  return [{ argv: rest.map((word) => word.text), words: rest, assignments, start: firstWord.start, end: lastWord.end }];
}

const SKIPPED = new Set([
  'comment',
  'heredoc_body',
  'heredoc_start',
  'heredoc_end',
  'test_command',
  'file_redirect',
  'heredoc_redirect',
  'herestring_redirect',
]);

function visit(node: Node, branch: ShellBranch | undefined, out: ShellCommand[]): void {
  switch (node.type) {
    case 'command':
      out.push(simpleCommand(node, branch));
      return;
    case 'declaration_command':
    case 'unset_command':
      out.push(declaration(node, branch));
      return;
    case 'variable_assignment':
    case 'variable_assignments': {
      const assignments = (
        node.type === 'variable_assignment'
          ? [node]
          : node.namedChildren.filter((child): child is Node => child?.type === 'variable_assignment')
      ).map(assignment);
      out.push({
        argv: [],
        words: [],
        assignments,
        start: node.startIndex,
        end: node.endIndex,
        ...(branch ? { branch } : {}),
      });
      return;
    }
    case 'if_statement':
      visitIf(node, branch, out);
      return;
    case 'case_statement':
      visitCase(node, branch, out);
      return;
    default:
      if (SKIPPED.has(node.type)) return;
      for (const child of node.namedChildren) if (child) visit(child, branch, out);
  }
}

function simpleCommand(node: Node, branch: ShellBranch | undefined): ShellCommand {
  const assignments: ShellAssignment[] = [];
  const words: ShellWord[] = [];
  for (let index = 0; index < node.childCount; index++) {
    const child = node.child(index);
    if (!child) continue;
    const field = node.fieldNameForChild(index);
    if (child.type === 'variable_assignment') assignments.push(assignment(child));
    else if (field === 'name' || field === 'argument')
      words.push(word(child.type === 'command_name' ? (child.firstChild ?? child) : child));
  }
  return {
    argv: words.map((entry) => entry.text),
    words,
    assignments,
    start: node.startIndex,
    end: node.endIndex,
    ...(branch ? { branch } : {}),
  };
}

/** `export A=1 B`, `declare -x A=1`, `unset A`: argv as the words, each assignment one word (`A=1`). */
function declaration(node: Node, branch: ShellBranch | undefined): ShellCommand {
  const words: ShellWord[] = [];
  for (const child of node.children) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'variable_assignment') {
      const { name, value } = assignment(child);
      words.push({ text: `${name}=${value}`, start: child.startIndex, end: child.endIndex });
    } else words.push(word(child));
  }
  return {
    argv: words.map((entry) => entry.text),
    words,
    assignments: [],
    start: node.startIndex,
    end: node.endIndex,
    ...(branch ? { branch } : {}),
  };
}

function assignment(node: Node): ShellAssignment {
  const name = node.childForFieldName('name')?.text ?? '';
  const value = node.childForFieldName('value');
  return { name, value: value ? wordText(value) : '', start: node.startIndex, end: node.endIndex };
}

function word(node: Node): ShellWord {
  return { text: wordText(node), start: node.startIndex, end: node.endIndex };
}

/** A word's value: quotes removed, backslash escapes applied, expansions kept as written. */
function wordText(node: Node): string {
  switch (node.type) {
    case 'word':
      return node.text.replace(/\\\r?\n/g, '').replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.text
        .slice(1, -1)
        .replace(/\\\r?\n/g, '')
        .replace(/\\(["\\$`])/g, '$1');
    case 'ansi_c_string':
    case 'translated_string':
      return node.text.slice(2, -1);
    case 'concatenation':
      return node.children.map((child) => (child ? wordText(child) : '')).join('');
    default:
      return node.text;
  }
}

// ---------------------------------------------------------------- branches

/** Whether the then (`taken` true) or else branch of a condition runs only in development, and its opt-in. */
function developmentBranch(
  condition: string,
  taken: boolean,
): { development: boolean; optIn?: string; optInRunsWhen?: OptInTest } {
  const meaning = conditionMeaning(condition);
  if (!meaning || meaning.thenIsDevelopment !== taken) return { development: false };
  const { optIn, runsWhen } = meaning;
  return { development: true, ...(optIn && runsWhen ? { optIn, optInRunsWhen: runsWhen } : {}) };
}

/** The condition as a reader says it: `[ "$APP_ENV" = development ]` -> `"$APP_ENV" = development`. */
function conditionText(nodes: Node[]): string {
  const [only] = nodes;
  if (nodes.length === 1 && only?.type === 'test_command') {
    return only.text.replace(/^\[\[?\s*|\s*\]\]?$/g, '').replace(/^test\s+/, '');
  }
  return nodes
    .map((node) => node.text)
    .join(' ')
    .replace(/\s*;$/, '');
}

function branchOf(
  condition: string,
  taken: boolean,
  body: Node[],
  outer: ShellBranch | undefined,
): ShellBranch | undefined {
  const firstNode = body[0];
  const lastNode = body.at(-1);
  if (!firstNode || !lastNode) return outer;
  const own = developmentBranch(condition, taken);
  // Inside a development branch everything is development; an outer opt-in still names its variable.
  const source = own.development ? own : outer?.development ? outer : undefined;
  return {
    condition: taken ? condition : `not (${condition})`,
    start: firstNode.startIndex,
    end: lastNode.endIndex,
    development: own.development || outer?.development === true,
    ...(source?.optIn ? { optIn: source.optIn } : {}),
    ...(source?.optIn && source.optInRunsWhen ? { optInRunsWhen: source.optInRunsWhen } : {}),
  };
}

function visitIf(node: Node, outer: ShellBranch | undefined, out: ShellCommand[]): void {
  const conditions: string[] = [];
  let condition: Node[] = [];
  let body: Node[] = [];
  let inBody = false;
  const flush = () => {
    const text = conditionText(condition);
    conditions.push(text);
    const branch = branchOf(text, true, body, outer);
    for (const statement of body) visit(statement, branch, out);
  };
  for (let index = 0; index < node.childCount; index++) {
    const child = node.child(index);
    if (!child) continue;
    if (node.fieldNameForChild(index) === 'condition') {
      if (child.isNamed) condition.push(child);
      continue;
    }
    if (child.type === 'then') inBody = true;
    else if (child.type === 'elif_clause' || child.type === 'else_clause' || child.type === 'fi') {
      if (inBody) flush();
      inBody = false;
      if (child.type === 'elif_clause') {
        // An elif runs only when the conditions before it failed: its own branch, under the outer one.
        visitIf(child, outer, out);
      } else if (child.type === 'else_clause') {
        const elseBody = child.namedChildren.filter(
          (statement): statement is Node => statement !== null && statement.type !== 'comment',
        );
        const first = conditions[0] ?? '';
        const branch = branchOf(first, false, elseBody, outer);
        for (const statement of elseBody) visit(statement, branch, out);
      }
    } else if (inBody && child.isNamed) body.push(child);
    else if (child.isNamed) visit(child, outer, out);
  }
  if (inBody) flush();
  // Commands in the condition run whichever branch is taken.
  for (const part of condition) if (part.type !== 'test_command') visit(part, outer, out);
  condition = [];
  body = [];
}

function visitCase(node: Node, outer: ShellBranch | undefined, out: ShellCommand[]): void {
  const subject = node.childForFieldName('value')?.text ?? '';
  for (const item of node.namedChildren) {
    if (item?.type !== 'case_item') continue;
    const patterns: string[] = [];
    const body: Node[] = [];
    for (let index = 0; index < item.childCount; index++) {
      const child = item.child(index);
      if (!child?.isNamed) continue;
      if (item.fieldNameForChild(index) === 'value') patterns.push(child.text.replace(/^["']|["']$/g, ''));
      else if (child.type !== 'comment') body.push(child);
    }
    const condition = `${subject} matches ${patterns.join('|')}`;
    const development = developmentPatterns(patterns);
    const firstNode = body[0];
    const lastNode = body.at(-1);
    const branch =
      firstNode && lastNode
        ? {
            condition,
            start: firstNode.startIndex,
            end: lastNode.endIndex,
            development: development || outer?.development === true,
            ...(!development && outer?.optIn ? { optIn: outer.optIn } : {}),
            ...(!development && outer?.optInRunsWhen ? { optInRunsWhen: outer.optInRunsWhen } : {}),
          }
        : outer;
    for (const statement of body) visit(statement, branch, out);
  }
}
