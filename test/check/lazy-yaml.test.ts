import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secureFlask, SECURE_FLASK_BIN } from '../support/cli.js';
import { tempProject } from '../support/temp-project.js';

const BIN = join(SECURE_FLASK_BIN, '..');

/** The chunks a bundle file imports statically (`import ... from "./chunk-X.js"`), and theirs. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = readFileSync(join(BIN, name), 'utf8');
    for (const match of text.matchAll(
      /^(?:import|export)\b[^;]*?from\s*"\.\/([\w.-]+\.js)"|^import\s*"\.\/([\w.-]+\.js)"/gm,
    ))
      visit(match[1] ?? match[2] ?? '');
  };
  visit(entry);
  return seen;
}

// The yaml package is ~210 KB of JavaScript to compile: a check reads it only when a file needs it.
describe('the yaml package loads only when YAML is parsed', () => {
  it("is not in the modules check loads at start (the bundle's static imports)", () => {
    const checkCommand = readdirSync(BIN).find((name) => /^check-command-\w+\.js$/.test(name));
    expect(checkCommand).toBeDefined();
    const loaded = [...staticGraph(checkCommand ?? ''), ...staticGraph('secure-flask.js')];
    const withYaml = loaded.filter((name) => readFileSync(join(BIN, name), 'utf8').includes('node_modules/yaml/'));
    expect(withYaml).toEqual([]);
    // The test can see yaml's chunk: some chunk of the bundle holds it.
    expect(readdirSync(BIN).some((name) => readFileSync(join(BIN, name), 'utf8').includes('node_modules/yaml/'))).toBe(
      true,
    );
  });

  it('an app that loads a YAML config setting DEBUG, with no other YAML in the tree, is still reported', async () => {
    const project = tempProject('secure-flask-lazy-yaml-');
    try {
      project.write(
        'app.py',
        'import yaml\nfrom flask import Flask\n\napp = Flask(__name__)\n' +
          'app.config.from_file("config.yaml", load=yaml.safe_load)\n',
      );
      project.write('config.yaml', 'DEBUG: true\nSECRET_KEY_FILE: /run/secrets/key\n');
      const result = await secureFlask(['check', '--format', 'json', '.'], { cwd: project.root });
      const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
      expect(findings.map((finding) => finding.ruleId)).toEqual(['config-file-debug']);
      expect(findings[0]?.message).toContain('config.yaml, whose DEBUG: true');
    } finally {
      project.remove();
    }
  });
});
