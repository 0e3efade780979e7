import { fitHelp } from '../core/help-text.js';
import { RULES } from '../../codemods/index.js';
import { COMMON_OPTIONS, parseCommandArgs } from '../core/args.js';
import { colorsFor } from '../core/colors.js';
import { EXIT_OK, UsageError } from '../core/usage-error.js';
import type { Rule } from '../rules/rule.js';

const RULES_HELP = `Usage: secure-flask rules [--json]

Lists every rule of the catalog: id, severity, the files it reads, and its title.
`;
const EXPLAIN_HELP = `Usage: secure-flask explain <rule-id>

Prints a rule's documentation: why it matters, an example, and the fix.
`;

function fileKinds(rule: Rule): string {
  return rule.language === 'python' ? 'python' : rule.fileKinds.join(',');
}

export async function runRulesCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'secure-flask rules',
    argv,
    { ...COMMON_OPTIONS, json: { type: 'boolean' } },
    { allowPositionals: false },
  );
  if (values.help || values.version) {
    process.stdout.write(fitHelp(RULES_HELP));
    return EXIT_OK;
  }
  if (values.json) {
    const rules = RULES.map((rule) => ({
      id: rule.id,
      severity: rule.severity,
      files: fileKinds(rule),
      title: rule.title,
      hint: rule.hint,
      doc: rule.doc,
    }));
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    return EXIT_OK;
  }
  const colors = colorsFor(process.stdout);
  const width = Math.max(...RULES.map((rule) => rule.id.length));
  for (const rule of RULES) {
    process.stdout.write(
      `${colors.bold(rule.id.padEnd(width))}  ${rule.severity.padEnd(7)}  ` +
        `${colors.dim(fileKinds(rule).padEnd(28))}  ${rule.title}\n`,
    );
  }
  return EXIT_OK;
}

/** The doc of one rule as plain text (also used to generate docs/rules.md). */
export function explainRule(rule: Rule): string {
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
  return [
    `${rule.id} (${rule.severity}): ${rule.title}`,
    '',
    'Why:',
    indent(rule.doc.why),
    '',
    'Example:',
    indent(rule.doc.example),
    '',
    'Fix:',
    indent(rule.doc.fix),
    '',
    rule.fix
      ? "'secure-flask migrate' rewrites this where the rewrite is unambiguous."
      : "'secure-flask migrate' reports this for a person to change.",
    `Suppress one occurrence: # secure-flask: ignore[${rule.id}]`,
    '',
  ].join('\n');
}

export async function runExplainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('secure-flask explain', argv, COMMON_OPTIONS);
  if (values.help || values.version) {
    process.stdout.write(fitHelp(EXPLAIN_HELP));
    return EXIT_OK;
  }
  if (positionals.length !== 1)
    throw new UsageError("secure-flask explain: give exactly one rule id (see 'secure-flask rules')");
  const rule = RULES.find((candidate) => candidate.id === positionals[0]);
  if (!rule) throw new UsageError(`secure-flask explain: unknown rule '${positionals[0]}' (see 'secure-flask rules')`);
  process.stdout.write(explainRule(rule));
  return EXIT_OK;
}
