import fc from 'fast-check';
import { must } from '../support/must.js';

/**
 * Random Flask modules built from the rule catalog's Python patterns, each in
 * random valid formatting and a random enclosing block, mixed with near-misses
 * that must never be findings. Every block records the lines it occupies and
 * the rule it must (or, for a near-miss, must not) trigger.
 */

export interface Block {
  /** Lines relative to the block's own indentation; '\t' at a line start means one indent unit. */
  lines: string[];
  ruleId: string | null;
  /** Imports the block needs at the top of the module. */
  imports?: string[];
  /** Only valid at module level (a class definition the rule reads there). */
  topLevelOnly?: boolean;
  description: string;
}

export interface Program {
  text: string;
  /** The file's bytes (BOM, CRLF, latin-1 as chosen). */
  bytes: Buffer;
  blocks: { ruleId: string | null; firstLine: number; lastLine: number; description: string }[];
  layout: string;
}

const quote = fc.constantFrom('"', "'");
const space = fc.constantFrom('', ' ');
const truthy = fc.constantFrom('True', '(True)', '1', '( True )', '((True))', '(\n\t\tTrue\n\t)');
// Comments for other tools' other rules suppress nothing of ours (`# noqa: S201` would: it is run-debug's twin).
const trailingComment = fc.constantFrom('', '  # why not', '  # noqa: E501', '  # nosec B101');

/** A call's arguments on one line, or one per line with an optional trailing comma and comments. */
function callArguments(args: string[], multiLine: boolean, trailingComma: boolean, comment: string): string[] {
  if (!multiLine) return [`${args.join(', ')})`];
  return [
    ...args.map(
      (arg, index) => `\t${arg}${index < args.length - 1 || trailingComma ? ',' : ''}${index === 0 ? comment : ''}`,
    ),
    ')',
  ];
}

/** `name=value`, sometimes with spaces, a backslash continuation, or a comment before the value. */
const keyword = (name: string, value: fc.Arbitrary<string>) =>
  fc
    .tuple(space, value, fc.constantFrom('plain', 'backslash', 'comment'))
    .map(([sp, v, form]) =>
      form === 'backslash'
        ? `${name}=\\\n\t\t${v}`
        : form === 'comment'
          ? `${name}=  # the value:\n\t\t${v}`
          : `${name}${sp}=${sp}${v}`,
    );

function call(prefix: string, fixed: fc.Arbitrary<string[]>, debugArg: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc
    .record({
      fixed,
      debugArg,
      position: fc.nat(3),
      multiLine: fc.boolean(),
      trailingComma: fc.boolean(),
      comment: trailingComment,
    })
    .map(({ fixed, debugArg, position, multiLine, trailingComma, comment }) => {
      const args = [...fixed];
      // Keyword arguments go after the positional ones.
      const positional = args.filter((arg) => !/^\w+=/.test(arg)).length;
      args.splice(Math.min(positional + position, args.length), 0, debugArg);
      // A backslash continuation only makes sense (and only parses the same) on one line.
      const usable = multiLine ? args.map((arg) => arg.replace('\\\n\t\t', '')) : args;
      const [first, ...rest] = callArguments(usable, multiLine, trailingComma, comment);
      const lines = multiLine ? [`${prefix}(`, must(first), ...rest] : [`${prefix}(${first}`];
      return lines.flatMap((line) => line.split('\n'));
    });
}

const hostPort = fc
  .tuple(quote, fc.boolean(), fc.boolean())
  .map(([q, host, port]) => [...(host ? [`host=${q}127.0.0.1${q}`] : []), ...(port ? ['port=5000'] : [])]);

const positives: fc.Arbitrary<Block>[] = [
  call('app.run', hostPort, keyword('debug', truthy)).map((lines) => ({
    lines,
    ruleId: 'run-debug',
    description: 'app.run(debug=...)',
  })),
  call('app.run', hostPort, keyword('use_debugger', truthy)).map((lines) => ({
    lines,
    ruleId: 'run-debug',
    description: 'app.run(use_debugger=...)',
  })),
  call('socketio.run', fc.constant(['app']), keyword('debug', truthy)).map((lines) => ({
    lines,
    ruleId: 'socketio-run-debug',
    imports: ['from flask_socketio import SocketIO', 'socketio = SocketIO(app)'],
    description: 'socketio.run(app, debug=...)',
  })),
  fc.tuple(space, truthy, trailingComment).map(([sp, v, c]) => ({
    lines: [`app.debug${sp}=${sp}${v}${c}`],
    ruleId: 'app-debug-attribute',
    description: 'app.debug = ...',
  })),
  fc.tuple(quote, space, truthy, trailingComment).map(([q, sp, v, c]) => ({
    lines: [`app.config[${q}DEBUG${q}]${sp}=${sp}${v}${c}`],
    ruleId: 'config-debug-item',
    description: "app.config['DEBUG'] = ...",
  })),
  call(
    'app.config.update',
    fc.tuple(quote).map(([q]) => [`SECRET_KEY=${q}x${q}`]),
    keyword('DEBUG', truthy),
  ).map((lines) => ({ lines, ruleId: 'config-debug-item', description: 'config.update(DEBUG=...)' })),
  fc.tuple(quote, space, truthy, fc.constantFrom('update', 'from_mapping')).map(([q, sp, v, method]) => ({
    lines: [`app.config.${method}({${q}DEBUG${q}:${sp}${v}})`],
    ruleId: 'config-debug-item',
    description: `config.${method}({'DEBUG': ...})`,
  })),
  fc.tuple(fc.constantFrom('Config', 'ProductionConfig'), space, truthy, trailingComment).map(([name, sp, v, c]) => ({
    // The module names the class again (a class nothing uses loads nothing, so is no finding).
    lines: [`class ${name}:`, `\tSECRET_KEY = None`, `\tDEBUG${sp}=${sp}${v}${c}`, `CONFIGS = [${name}]`],
    ruleId: 'config-class-debug',
    topLevelOnly: true,
    description: `class ${name}: DEBUG = ...`,
  })),
  call('DebuggedApplication', fc.constant(['app.wsgi_app']), keyword('evalex', fc.constant('True'))).map((lines) => ({
    lines: [`app.wsgi_app = ${lines[0]}`, ...lines.slice(1)],
    ruleId: 'werkzeug-debugged-application',
    imports: ['from werkzeug.debug import DebuggedApplication'],
    description: 'DebuggedApplication(evalex=True)',
  })),
  call(
    'run_simple',
    fc.tuple(quote).map(([q]) => [`${q}localhost${q}`, '8000', 'app']),
    keyword('use_debugger', fc.constant('True')),
  ).map((lines) => ({
    lines,
    ruleId: 'werkzeug-run-simple-debugger',
    imports: ['from werkzeug.serving import run_simple'],
    description: 'run_simple(use_debugger=True)',
  })),
];

const nearMisses: fc.Arbitrary<Block>[] = [
  fc
    .constantFrom(
      'app.run()',
      'app.run(debug=False)',
      'app.debug = False',
      'app.config["DEBUG"] = False',
      'app.run(host="0.0.0.0", port=5000)',
    )
    .map((line) => ({ lines: [line], ruleId: null, description: line })),
  fc.constant({
    lines: ['asyncio.run(asyncio.sleep(0), debug=True)'],
    ruleId: null,
    imports: ['import asyncio'],
    description: 'asyncio.run(debug=True)',
  }),
  fc
    .constantFrom('# app.run(debug=True)', 'text = "app.run(debug=True)"', "note = 'app.debug = True'")
    .map((line) => ({ lines: [line, 'pass'], ruleId: null, description: line })),
  fc.constant({
    lines: ['def documented():', '\t"""Call app.run(debug=True) locally; app.debug = True too."""', '\treturn None'],
    ruleId: null,
    description: 'docstring',
  }),
  fc.constant({
    lines: ['if app.debug:', '\tapp.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)'],
    ruleId: null,
    imports: ['from werkzeug.debug import DebuggedApplication'],
    description: 'guarded DebuggedApplication',
  }),
  fc.constant({
    lines: ['app.run(debug=os.environ.get("FLASK_DEBUG") == "1")'],
    ruleId: null,
    imports: ['import os'],
    description: 'env-driven debug',
  }),
  fc.constant({
    lines: ['class DevelopmentConfig:', '\tDEBUG = True'],
    ruleId: null,
    topLevelOnly: true,
    description: 'development-only config class',
  }),
];

type Context = 'module' | 'function' | 'method' | 'main' | 'try' | 'with' | 'async';
const contexts: Context[] = ['module', 'function', 'method', 'main', 'try', 'with', 'async'];

let blockCounter = 0;
/** The block inside its enclosing statement, as lines with '\t' indent markers. */
function enclose(block: Block, context: Context): string[] {
  const inner = block.lines.map((line) => `\t${line.replace(/\n/g, '\n\t')}`);
  const name = `block_${blockCounter++}`;
  switch (context) {
    case 'module':
      return block.lines;
    case 'function':
      return [`def ${name}():`, ...inner];
    case 'method':
      return [
        `class Holder_${name}:`,
        `\tdef ${name}(self):`,
        ...inner.map((line) => `\t${line.replace(/\n\t/g, '\n\t\t')}`),
      ];
    case 'main':
      return ['if __name__ == "__main__":', ...inner];
    case 'try':
      return ['try:', ...inner, 'except Exception:  # keep going', '\tpass'];
    case 'with':
      return ['with open(__file__) as handle:', ...inner];
    case 'async':
      return [`async def ${name}():`, ...inner];
  }
}

const blockArb = fc
  .tuple(fc.oneof(fc.oneof(...positives), fc.oneof(...nearMisses)), fc.constantFrom(...contexts))
  .map(([block, context]) => ({ block, context: block.topLevelOnly ? ('module' as Context) : context }));

export const programArb: fc.Arbitrary<Program> = fc
  .record({
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 5 }),
    indent: fc.constantFrom('    ', '  ', '\t'),
    eol: fc.constantFrom('\n', '\r\n'),
    encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'latin-1'),
    docstring: fc.boolean(),
    importOs: fc.boolean(),
    blankLines: fc.constantFrom(1, 2),
  })
  .map(({ blocks, indent, eol, encoding, docstring, importOs, blankLines }) => {
    const header: string[] = [];
    if (encoding === 'latin-1') header.push('# -*- coding: latin-1 -*-', '# Caf\u00e9 \u00a9 r\u00e9sum\u00e9');
    if (docstring) header.push('"""A generated Flask module."""');
    const imports = new Set<string>(['from flask import Flask']);
    if (importOs) imports.add('import os');
    const setup: string[] = [];
    // A block's "imports" are import lines plus the objects it uses (`socketio = SocketIO(app)`).
    for (const { block } of blocks) {
      for (const line of block.imports ?? []) {
        if (line.includes(' = ')) setup.push(line);
        else imports.add(line);
      }
    }
    const lines = [...header, ...imports, '', 'app = Flask(__name__)', ...new Set(setup)];
    const placed: Program['blocks'] = [];
    for (const { block, context } of blocks) {
      for (let i = 0; i < blankLines; i++) lines.push('');
      const enclosed = enclose(block, context).flatMap((line) => line.split('\n'));
      const firstLine = lines.length + 1;
      lines.push(...enclosed);
      placed.push({
        ruleId: block.ruleId,
        firstLine,
        lastLine: lines.length,
        description: `${block.description} in ${context}`,
      });
    }
    // '\t' markers at line starts become the chosen indent unit; a tab inside a line stays (there are none).
    const text = lines.map((line) => line.replace(/^\t+/, (tabs) => indent.repeat(tabs.length))).join(eol) + eol;
    const body = encoding === 'latin-1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
    const bytes = encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    return {
      text,
      bytes,
      blocks: placed,
      layout: `indent=${JSON.stringify(indent)} eol=${JSON.stringify(eol)} ${encoding}`,
    };
  });
