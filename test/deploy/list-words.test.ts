import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerInstructions } from '../../src/deploy/formats/dockerfile-instructions.js';
import { migrateInMemory } from '../support/migrate-plan.js';
import { must } from '../support/must.js';

// Issue 23: exec-form arrays and YAML lists have word positions like shell words, so the fix that drops
// --debug edits at the model's words (the element and its separator, or its `- ` line) and the file still parses.
// None of these images says where packages are installed, so the fix is the minimal one: drop --debug.

/** The CMD's exec-form array, parsed as Docker parses it (JSON after continuation lines are joined). */
function cmdArgv(dockerfile: string): unknown {
  const cmd = must(dockerInstructions(dockerfile).find((instruction) => instruction.keyword === 'CMD'));
  return JSON.parse(cmd.args);
}

describe('fixes edit exec-form arrays and YAML lists at the model word positions', () => {
  it.each([
    ['the last element', 'CMD ["flask", "run", "--debug"]\n', ['flask', 'run']],
    ['a middle element', 'CMD ["flask", "run", "--debug", "--host=0.0.0.0"]\n', ['flask', 'run', '--host=0.0.0.0']],
    [
      'an element on a continuation line',
      'CMD ["flask", "run", \\\n     "--debug", "--host=0.0.0.0"]\n',
      ['flask', 'run', '--host=0.0.0.0'],
    ],
    ['two adjacent flags at the end', 'CMD ["flask", "run", "--debug", "--debugger"]\n', ['flask', 'run']],
  ])('Dockerfile exec form: drops %s', async (_case, cmd, argv) => {
    const dockerfile = `FROM python:3.12\n${cmd}`;
    const result = await migrateInMemory({ Dockerfile: dockerfile, 'app.py': 'from flask import Flask\n' });
    const after = must(result.after.Dockerfile);
    expect(after).not.toBe(dockerfile);
    expect(cmdArgv(after)).toEqual(argv);
  });

  it.each([
    [
      'a block list item',
      '    command:\n      - flask\n      - run\n      - --debug\n      - --host=0.0.0.0\n',
      ['flask', 'run', '--host=0.0.0.0'],
    ],
    [
      'a block list item with a comment, last in the service',
      '    command:\n      - flask\n      - run\n      - "--debug"  # local only\n    ports: ["5000:5000"]\n',
      ['flask', 'run'],
    ],
    ['two flags of a flow list', '    command: ["flask", "run", "--debugger", "--debug"]\n', ['flask', 'run']],
  ])('compose command: drops --debug from %s', async (_case, command, argv) => {
    const compose = `services:\n  web:\n    image: example/web\n${command}`;
    const result = await migrateInMemory({ 'docker-compose.yml': compose });
    const after = must(result.after['docker-compose.yml']);
    expect(after).not.toBe(compose);
    const parsed = parse(after) as { services: { web: { command: unknown } } };
    expect(parsed.services.web.command).toEqual(argv);
  });
});
