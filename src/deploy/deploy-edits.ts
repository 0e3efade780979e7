import { basename, join, relative } from 'node:path';
import type { Fix, TextEdit } from '../core/findings.js';
import { lineStart, nextLineStart } from '../python/edit-helpers.js';
import { devServerCommandOf, type DevServerCommand } from './dev-server-command.js';
import { debugVariableEffect, unquote } from './debug-variables.js';
import { instructionArgv } from './formats/dockerfile.js';
import { dockerCommandText, dockerInstructions, type DockerInstruction } from './formats/dockerfile-instructions.js';
import { isInterpreterOnly } from './model-command.js';
import type { CommandWord } from './model.js';
import { renderGunicornConfig } from './gunicorn-config.js';
import { describeListenValue } from './listen-address.js';
import { developmentRoleReason, entrypointAt, environmentOf, type DeployFileModel } from './entrypoint-at.js';

import { diskFiles, type Resolved } from './project-files.js';
import { developmentOnlyReason, planDockerfileSwitch, SERVER_CONFIG, type ServerSwitch } from './server-switch.js';

/** Removes the whole lines that `start..end` touches, line breaks included. */
export function removeLines(source: string, start: number, end: number): TextEdit {
  return { start: lineStart(source, start), end: nextLineStart(source, Math.max(start, end - 1)), replacement: '' };
}

/**
 * Removes the lines as removeLines does, and one blank line after them when a blank line (or the start of the
 * file) comes before: the paragraph break stays single.
 */
export function removeLinesBetweenBlanks(source: string, start: number, end: number): TextEdit {
  const edit = removeLines(source, start, end);
  const before = edit.start === 0 ? '' : source.slice(lineStart(source, edit.start - 1), edit.start);
  const blankBefore = edit.start === 0 || /^[ \t]*\r?\n$/.test(before);
  const after = source.slice(edit.end, nextLineStart(source, edit.end));
  if (blankBefore && edit.end < source.length && /^[ \t]*\r?\n$/.test(after))
    return { ...edit, end: edit.end + after.length };
  return edit;
}

/** A dev-server command as it stands in a deploy file. */
export interface CommandSite {
  deployFile: string;
  source: string;
  command: DevServerCommand;
  commandText: string;
  /** The text the new command replaces. */
  range: { start: number; end: number };
  /** The new command in the file's own syntax (exec-form JSON, a YAML list, a plain line). */
  render: (argv: string[]) => string;
  /** The command's words where the file writes them (the model's), when it writes shell words. */
  words?: readonly CommandWord[];
}

/**
 * The fix for a dev-server command: when the switch resolved with certainty,
 * gunicorn serving the same app on the same address, installed where the image
 * or platform installs packages; otherwise the minimal safe change (drop
 * `--debug`) and the reason a person must finish it.
 */
export function devServerFix(site: CommandSite, plan: () => Resolved<ServerSwitch>, developmentOnly?: string): Fix {
  if (developmentOnly) return minimalSafeFix(site, developmentOnly, true);
  const switched = plan();
  if (!switched.ok) return minimalSafeFix(site, switched.reason, false);
  return serverSwitchFix(site, switched.value);
}

function serverSwitchFix(site: CommandSite, value: ServerSwitch): Fix {
  const argv = ['gunicorn', '-c', SERVER_CONFIG, value.target];
  const edits: TextEdit[] = [{ start: site.range.start, end: site.range.end, replacement: site.render(argv) }];
  if (value.install.kind === 'pip-line')
    edits.push({ start: value.install.offset, end: value.install.offset, replacement: ' gunicorn' });
  const comment = contradictingComment(site.source, site.range.start);
  if (comment) edits.push(comment);
  const configPath = join(value.folder, SERVER_CONFIG);
  const fix: Fix = {
    title:
      `serve ${value.target} with Gunicorn instead of Flask's development server; ` +
      `add ${SERVER_CONFIG}${installTitle(value)}`,
    edits,
    newFiles: [{ path: configPath, contents: renderGunicornConfig(value) }],
    notice: switchNotice(site, value, argv),
  };
  if (value.install.kind === 'requirements')
    fix.appendLines = [
      {
        path: value.install.path,
        line: value.gunicorn.requirement,
        pinnedLine: `gunicorn==${value.gunicorn.pin}`,
        unlessMatches: '^\\s*gunicorn\\b',
      },
    ];
  return fix;
}

function installTitle(value: ServerSwitch): string {
  if (value.install.kind === 'requirements') return `, add gunicorn to ${basename(value.install.path)}`;
  if (value.install.kind === 'pip-line') return ', add gunicorn to the pip install line';
  return '';
}

function switchNotice(site: CommandSite, value: ServerSwitch, argv: string[]): string {
  const where = `host ${describeListenValue(value.listen.host)}, port ${describeListenValue(value.listen.port)}`;
  const addedTo =
    value.install.kind === 'requirements'
      ? relative(value.folder, value.install.path) || basename(value.install.path)
      : 'to the pip install line';
  const install =
    value.install.kind === 'present'
      ? 'gunicorn is already installed'
      : `gunicorn is added (${addedTo}): rebuild the image or redeploy so it is installed`;
  return (
    `Now runs \`${argv.join(' ')}\` instead of \`${site.commandText.trim()}\`, on the same ${where}; ${install}. ` +
    'It runs one worker process with 4 threads (WEB_CONCURRENCY raises it) and no auto-reload; ' +
    'for the debugger and reloader, run `flask run --debug` locally.'
  );
}

/** Drop `--debug`/`--debugger` (and an inline `FLASK_DEBUG=1`) from the command; the rest is left for a person. */
function minimalSafeFix(site: CommandSite, reason: string, developmentOnly: boolean): Fix {
  const edits = developmentOnly ? [] : debugFlagEdits(site);
  return {
    title: edits.length > 0 ? `drop ${droppedFlags(site.source, edits)} from the command` : 'left for a person',
    edits,
    manual: developmentOnly ? reason : `still runs Flask's development server: ${reason}`,
  };
}

/** What the edits remove, as the command wrote it: `--debugger`, `--debug and FLASK_DEBUG=1`. */
function droppedFlags(source: string, edits: TextEdit[]): string {
  const words = edits.flatMap(
    (edit) => source.slice(edit.start, edit.end).match(/--debug(?:ger)?|FLASK_DEBUG=\S+/g) ?? [],
  );
  return [...new Set(words)].join(' and ') || '--debug';
}

// Shell text the model holds no words for (a Dockerfile's shell-form CMD is read as `sh -c` text): ` --debug`,
// an inline `FLASK_DEBUG=1 ` prefix. Exec-form arrays and YAML lists always have the model's words.
const DEBUG_FLAG_PATTERNS = [
  /[ \t]+--debug(?:ger)?(?![\w-])|(?<=^|[\s;&|"'])FLASK_DEBUG=(?!0\b|false\b|no\b)\S+[ \t]+/gi,
];

function debugFlagEdits(site: CommandSite): TextEdit[] {
  const { source, range } = site;
  // The model's words: a list element with its separator (or its `- ` line), a shell word with the blanks before it.
  const flags = (site.words ?? []).filter((word) => /^--debug(?:ger)?$/.test(word.text));
  if (flags.length > 0)
    return mergeOverlapping(
      flags.map((word) =>
        word.removal
          ? { ...word.removal, replacement: '' }
          : {
              start: word.start - (/[ \t]+$/.exec(source.slice(range.start, word.start))?.[0].length ?? 0),
              end: word.end,
              replacement: '',
            },
      ),
    );
  const { start, end } = range;
  const text = source.slice(start, end);
  for (const pattern of DEBUG_FLAG_PATTERNS) {
    const edits = [...text.matchAll(pattern)].map((match) => ({
      start: start + match.index,
      end: start + match.index + match[0].length,
      replacement: '',
    }));
    if (edits.length > 0) return edits;
  }
  return [];
}

/** Removals that touch or overlap (neighbouring list elements) as one edit. */
function mergeOverlapping(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && edit.start < last.end) last.end = Math.max(last.end, edit.end);
    else merged.push({ ...edit });
  }
  return merged;
}

// A comment above the command that describes the development server would contradict the new one.
const DEV_SERVER_WORDS = /development server|dev server|werkzeug|flask run|debug/i;

function contradictingComment(source: string, commandStart: number): TextEdit | undefined {
  let blockStart = lineStart(source, commandStart);
  const commandLine = blockStart;
  for (;;) {
    if (blockStart === 0) break;
    const previous = lineStart(source, blockStart - 1);
    if (
      !/^[ \t]*#/.test(source.slice(previous, blockStart)) ||
      /^[ \t]*#\s*(?:syntax|escape)=/.test(source.slice(previous, blockStart))
    )
      break;
    blockStart = previous;
  }
  const block = source.slice(blockStart, commandLine);
  if (block === '' || !DEV_SERVER_WORDS.test(block)) return undefined;
  const indent = /^[ \t]*/.exec(block)?.[0] ?? '';
  const eol = block.endsWith('\r\n') ? '\r\n' : '\n';
  return {
    start: blockStart,
    end: commandLine,
    replacement:
      `${indent}# Gunicorn serves the app (settings in ${SERVER_CONFIG}); ` +
      `use \`flask run --debug\` only locally.${eol}`,
  };
}

/** The fix for a Dockerfile CMD/ENTRYPOINT (at `start`) that runs a dev server. */
export function dockerCommandSite(file: DeployFileModel, start: number): Fix | undefined {
  const { path, source } = file;
  const instructions = dockerInstructions(source);
  const instruction = instructions.find((candidate) => candidate.start === start);
  const entrypoint = entrypointAt(file, start);
  // `ENTRYPOINT ["python3"]` + `CMD ["app.py"]`: one command in two instructions (the model joins them).
  const interpreter =
    instruction?.keyword === 'CMD'
      ? splitInterpreter(instructions, entrypoint?.command.parts.map((part) => part.start) ?? [], instruction.start)
      : undefined;
  const commandText =
    interpreter && entrypoint ? entrypoint.command.argv.join(' ') : instruction && dockerCommandText(instruction);
  const command = devServerCommandOf(entrypoint?.command);
  if (!instruction || !commandText || !command) return undefined;
  const site: CommandSite = {
    deployFile: path,
    source,
    command,
    commandText,
    range: { start: instruction.start, end: instruction.end },
    render: (argv) => `${instruction.keyword} ${JSON.stringify(argv).replace(/","/g, '", "')}`,
    ...(entrypoint?.command.words ? { words: entrypoint.command.words } : {}),
  };
  const shell = !instruction.args.trim().startsWith('[');
  const developmentOnly =
    developmentRoleReason(entrypoint) ?? developmentOnlyReason(path, { label: 'stage', name: instruction.stage });
  const environment = environmentOf(entrypoint);
  const fix = devServerFix(
    site,
    () =>
      planDockerfileSwitch(
        { deployFile: path, command, commandText, shell, environment, joinsEntrypoint: interpreter !== undefined },
        instruction.start,
        diskFiles,
      ),
    developmentOnly,
  );
  // The interpreter ENTRYPOINT goes with it, or it would run `python3 gunicorn ...`.
  if (interpreter && fix.manual === undefined) {
    fix.edits.push(removeLinesBetweenBlanks(source, interpreter.start, interpreter.end));
    fix.notice =
      `${fix.notice ?? ''} The \`ENTRYPOINT ${interpreter.args.trim()}\` that ran the script is removed.`.trim();
  }
  return fix;
}

/** The `ENTRYPOINT ["python3"]` (an interpreter and its flags, nothing else) that the CMD at `cmdStart` runs under. */
function splitInterpreter(
  instructions: DockerInstruction[],
  parts: number[],
  cmdStart: number,
): DockerInstruction | undefined {
  const entrypoint = instructions.find(
    (candidate) =>
      candidate.keyword === 'ENTRYPOINT' && parts.includes(candidate.start) && candidate.start !== cmdStart,
  );
  return entrypoint && isInterpreterOnly(instructionArgv(entrypoint).argv) ? entrypoint : undefined;
}

// `NAME=value ` before a command (with the blanks after it).
const PREFIX_SETTING = /(?<=^|[\s;&|])([A-Za-z_]\w*)=(\S*)[ \t]+/g;
// gunicorn's `-e NAME=value`, `--env NAME=value`, `--env=NAME=value`, `-eNAME=value` (with the blanks before it).
const GUNICORN_ENV_OPTION =
  /[ \t]*(?<=^|\s)(?:(?:-e|--env)[ \t]+|--env=|-e)(["']?)([A-Za-z_]\w*)=([^\s"']*)\1(?=[\s"']|$)/g;

/**
 * Removes gunicorn's `-e NAME=...` options for one variable from a command's text, whatever the value (it may be
 * `${NAME}`, which the model expanded): for a command whose words the model did not place (`sh -c "..."`).
 */
export function gunicornEnvOptionEdits(source: string, span: { start: number; end: number }, name: string): TextEdit[] {
  const text = source.slice(span.start, span.end);
  return [...text.matchAll(GUNICORN_ENV_OPTION)]
    .filter((match) => match[2] === name)
    .map((match) => ({
      start: span.start + match.index,
      end: span.start + match.index + match[0].length,
      replacement: '',
    }));
}

const SETTING_WORD = /("?)([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s",]*)\1/g;

/**
 * Drops the debug-enabling assignments from the line a setting is on: systemd
 * `Environment=`, supervisord `environment=`, a script's `export`, or a
 * command's `FLASK_DEBUG=1` prefix. The whole line goes when nothing else is left on it.
 */
export function debugSettingFix(source: string, detection: { start: number; end: number }): Fix | undefined {
  const start = lineStart(source, detection.start);
  const lineEnd = source.indexOf('\n', start) === -1 ? source.length : source.indexOf('\n', start);
  const line = source.slice(start, lineEnd).replace(/\r$/, '');
  const title = 'remove the debug setting: developers opt in with FLASK_DEBUG=1 on their own machine';
  const list = /^([ \t]*(?:Environment|environment|export)[ \t]*[= \t][ \t]*)(.*)$/.exec(line);
  if (list) {
    const [, head = '', body = ''] = list;
    const words = [...body.matchAll(SETTING_WORD)];
    const kept = words.filter((word) => !debugVariableEffect(word[2] ?? '', unquote(word[3] ?? '')));
    if (kept.length === words.length) return undefined;
    if (kept.length === 0) return { title, edits: [removeLines(source, start, lineEnd)] };
    const separator = /^[ \t]*environment[ \t]*=/.test(head) ? ',' : ' ';
    return {
      title,
      edits: [
        {
          start: start + head.length,
          end: start + line.length,
          replacement: kept.map((word) => word[0]).join(separator),
        },
      ],
    };
  }
  // A command's own prefix (`FLASK_DEBUG=1 flask run`: the word and the blanks after it), or gunicorn's option
  // (`-e FLASK_DEBUG=1`, `--env=FLASK_DEBUG=1`, `-eFLASK_DEBUG=1`: the option too, with the blanks before it).
  const text = source.slice(detection.start, detection.end);
  const settings = [
    ...[...text.matchAll(GUNICORN_ENV_OPTION)].map((match) => ({ match, name: match[2], value: match[3] })),
    ...[...text.matchAll(PREFIX_SETTING)]
      // `-e FLASK_DEBUG=1`'s value is the option's (above), not a prefix of its own.
      .filter((match) => !/(?:^|\s)(?:-e|--env)[ \t]+$/.test(text.slice(0, match.index)))
      .map((match) => ({ match, name: match[1], value: match[2] })),
  ];
  const edits = settings
    .filter(({ name, value }) => debugVariableEffect(name ?? '', value ?? ''))
    .map(({ match }) => ({
      start: detection.start + match.index,
      end: detection.start + match.index + match[0].length,
      replacement: '',
    }));
  return edits.length > 0 ? { title, edits } : undefined;
}
