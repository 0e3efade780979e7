import { basename } from 'node:path';
import { DEVELOPMENT_ONLY_NAME } from './debug-variables.js';
import { isTemplateEnvFile } from './model-findings.js';

export interface EnvAssignment {
  name: string;
  value: string;
  /** Offsets of the whole `NAME=value` line (without the line break). */
  start: number;
  end: number;
  /** Its line number (1-based), counted in the same pass: recounting per assignment was quadratic. */
  line: number;
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;

/** `NAME=value` lines of a dotenv file, with inline ` # comments` removed from unquoted values. */
export function envAssignments(source: string): EnvAssignment[] {
  const assignments: EnvAssignment[] = [];
  let offset = 0;
  let lineNumber = 0;
  for (const rawLine of source.split('\n')) {
    lineNumber++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const match = ASSIGNMENT.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      let value = match[2];
      if (!/^["']/.test(value)) value = value.replace(/[ \t]+#.*$/, '');
      assignments.push({ name: match[1], value, start: offset, end: offset + line.length, line: lineNumber });
    }
    offset += rawLine.length + 1;
  }
  return assignments;
}

/**
 * `.env`, `.flaskenv`, `production.env`: env-file-debug reports its
 * lines itself (templates and development files it leaves alone).
 */
export function envFileReportsItself(path: string): boolean {
  const name = basename(path);
  const isEnvName = name === '.flaskenv' || name === '.env' || name.startsWith('.env.') || name.endsWith('.env');
  return isEnvName && !isTemplateEnvFile(path) && !DEVELOPMENT_ONLY_NAME.test(name.replace(/^\.env|^\.flaskenv/, ''));
}
