import { basename } from 'node:path';
import type { Fix, TextEdit } from '../core/findings.js';
import { gunicornEnvOptionEdits } from './deploy-edits.js';
import { entrypointsGetting, serverSettingReportedAt, serverSettings } from './model-findings.js';
import type { CommandWord, DeployModel } from './model.js';

const TITLE = 'remove the debug setting: developers opt in with FLASK_DEBUG=1 on their own machine';

/**
 * The fix for gunicorn's own debug setting reported at `detection` (serverSettingDetections), or undefined
 * when the detection is not one. `-e FLASK_DEBUG=1` goes with both its words, so the command still runs;
 * a raw_env item or GUNICORN_CMD_ARGS is listed for a person, with where to remove it.
 */
export function serverSettingFix(
  model: DeployModel,
  source: string,
  detection: { start: number; end: number; message: string },
): Fix | undefined {
  const setting = serverSettings(model).find((candidate) => {
    const at = serverSettingReportedAt(candidate);
    return at.start === detection.start && at.end === detection.end && detection.message.includes(candidate.name);
  });
  if (!setting) return undefined;
  // Only development runs it (a Procfile.dev, a dev stage): debug mode is allowed there.
  const getting = entrypointsGetting(model, setting.at);
  const development = getting.length > 0 && getting.every((entrypoint) => entrypoint.role === 'development');
  if (development)
    return { title: 'left as is', edits: [], manual: 'only development runs it; debug mode is allowed there' };
  if (setting.origin === 'gunicorn-raw-env') {
    const removal = setting.words?.[0]?.removal;
    const file = `${basename(setting.at.path)} (line ${setting.at.line})`;
    const item = `raw_env item "${setting.name}=${setting.value}" of ${file}`;
    if (!removal)
      return {
        title: 'left for a person',
        edits: [],
        manual: `raw_env is one string there, not a list: remove the ${item} (raw_env = [] is fine)`,
      };
    return {
      title: `${TITLE} (the ${item}, which gunicorn loads)`,
      edits: [],
      otherFiles: [{ path: setting.at.path, edits: [{ ...removal, replacement: removal.replacement ?? '' }] }],
    };
  }
  if (setting.words) return { title: TITLE, edits: [wordsRemoval(source, setting.words)] };
  if (setting.origin === 'gunicorn-cmd-args')
    return {
      title: 'left for a person',
      edits: [],
      manual: `GUNICORN_CMD_ARGS gives gunicorn -e ${setting.name}=${setting.value}: remove that option from its value`,
    };
  // Words not placed (a `sh -c "..."` command): this variable's option is removed from the command's text.
  const edits = gunicornEnvOptionEdits(source, detection, setting.name);
  return edits.length > 0 ? { title: TITLE, edits } : undefined;
}

/**
 * One edit that removes consecutive words: list elements with their separators (their removals, which
 * abut), shell words with the blanks before them.
 */
function wordsRemoval(source: string, words: readonly CommandWord[]): TextEdit {
  const first = words[0];
  const last = words.at(-1);
  if (!first || !last) throw new Error('a setting is written in at least one word');
  if (first.removal && last.removal) return { start: first.removal.start, end: last.removal.end, replacement: '' };
  let start = first.start;
  while (start > 0 && /[ \t]/.test(source[start - 1] ?? '')) start--;
  // A continued line of its own (`  -e FLASK_DEBUG=1 \`) goes whole, continuation included.
  const continued = /^[ \t]*\\\r?\n/.exec(source.slice(last.end));
  if (continued && (start === 0 || source[start - 1] === '\n'))
    return { start, end: last.end + continued[0].length, replacement: '' };
  return { start, end: last.end, replacement: '' };
}
