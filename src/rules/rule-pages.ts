import type { DeployFileKind, Rule } from './rule.js';
import { appFamilyTable } from '../python/app-classes.js';
import { cweUrl, DEBUGGER_CWES } from './references.js';

/** Where the project lives (package.json `repository`): rule pages and SARIF `helpUri` point here. */
export const REPOSITORY_URL = 'https://github.com/create-secure-flask/create-secure-flask';

const CWE_TITLES: Record<number, string> = {
  489: 'Active Debug Code',
  215: 'Insertion of Sensitive Information Into Debugging Code',
};

// Code-fence languages GitHub highlights, by the kind of file a deploy rule reads.
const FENCE_LANGUAGE: Record<DeployFileKind, string> = {
  env: 'dotenv',
  dockerfile: 'dockerfile',
  yaml: 'yaml',
  procfile: 'text',
  supervisord: 'ini',
  systemd: 'ini',
  script: 'sh',
  'package-json': 'json',
  vercel: 'json',
  zappa: 'json',
  'platform-start': 'toml',
};

/** The page's path inside the repository. */
export function rulePagePath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** The page on GitHub, for SARIF `helpUri` and links from reports. */
export function rulePageUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/${rulePagePath(ruleId)}`;
}

/** The rule's CWE ids: its own references, or the debugger's pair for a rule that names none. */
export function ruleCwes(rule: Rule): readonly number[] {
  return rule.references?.cwe ?? DEBUGGER_CWES;
}

/** GitHub code scanning's tag convention: `security` plus one `external/cwe/cwe-N` per weakness. */
export function ruleTags(rule: Rule): string[] {
  return ['security', ...ruleCwes(rule).map((id) => `external/cwe/cwe-${id}`)];
}

function filesOf(rule: Rule): string {
  return rule.language === 'python' ? 'Python' : rule.fileKinds.join(', ');
}

function fenceLanguage(rule: Rule): string {
  if (rule.language === 'python') return 'python';
  const languages = new Set(rule.fileKinds.map((kind) => FENCE_LANGUAGE[kind]));
  const [only] = languages;
  return languages.size === 1 && only !== undefined ? only : 'text';
}

function fenced(language: string, code: string): string[] {
  return [`\`\`\`${language}`, code, '```'];
}

/** The apps a rule that asks "is this a Flask app" knows: every class of app-classes.ts, by framework. */
function familySection(): string[] {
  return [
    '## Apps it knows',
    '',
    'An app is any object built from one of these classes, or from a class of the project that derives from one ' +
      '(`class App(Flask)`, imported from another module too), found through imports rather than by name:',
    '',
    '| framework | classes | how the debugger is reached |',
    '| --- | --- | --- |',
    ...appFamilyTable().map(
      ({ framework, classes, reach }) =>
        `| ${framework} | ${classes.map((name) => `\`${name}\``).join(', ')} | ${reach} |`,
    ),
    '',
  ];
}

/** `docs/rules/<id>.md`: one rule's page, generated from its rule object (never edited by hand). */
export function renderRulePage(rule: Rule): string {
  const language = fenceLanguage(rule);
  const [fixProse, ...fixCode] = rule.doc.fix.split('\n\n');
  const cwes = ruleCwes(rule);
  const links = rule.references?.links ?? [];
  const equivalents = rule.references?.equivalents ?? [];
  const lines = [
    `# ${rule.id}`,
    '',
    '<!-- Generated from the rule object in codemods/ by `npm run docs`; edit that, not this file. -->',
    '',
    `**${rule.title}**`,
    '',
    '| | |',
    '| --- | --- |',
    `| severity | ${rule.severity} |`,
    `| files | ${filesOf(rule)} |`,
    `| \`secure-flask migrate\` | ${rule.fix ? 'rewrites it' : 'lists it for a person'} |`,
    `| weakness | ${cwes.map((id) => `[CWE-${id}](${cweUrl(id)})`).join(', ')} |`,
    '',
    '## Why it matters',
    '',
    rule.doc.why,
    '',
    '## Example',
    '',
    ...fenced(language, rule.doc.example),
    '',
    '## Fix',
    '',
    fixProse ?? '',
    '',
    ...(fixCode.length > 0 ? [...fenced(language, fixCode.join('\n\n')), ''] : []),
    `In short: ${rule.hint}.`,
    '',
    ...(rule.knowsAppFamily ? familySection() : []),
    ...(rule.debugThroughConfig ? flaskCommandSection() : []),
    '## Suppressing it',
    '',
    'Silence one occurrence with a comment on its line (in env files, on the line above): ' +
      `\`# secure-flask: ignore[${rule.id}]\`.`,
    `Turn the rule off for a repository in \`.secure-flask.json\`: \`{ "disable": ["${rule.id}"] }\`.`,
    '',
    '## Other tools',
    '',
    ...(equivalents.length > 0
      ? [
          '| tool | rule | note |',
          '| --- | --- | --- |',
          ...equivalents.map(({ tool, id, url, note }) => `| ${tool} | [\`${id}\`](${url}) | ${note ?? ''} |`),
        ]
      : ['No Bandit, Ruff, Semgrep, CodeQL or Sonar rule looks at this shape.']),
    '',
    '## References',
    '',
    ...cwes.map((id) => `- [CWE-${id}: ${CWE_TITLES[id] ?? 'Common Weakness Enumeration'}](${cweUrl(id)})`),
    ...links.map(({ title, url }) => `- [${title}](${url})`),
    '',
  ];
  return lines.join('\n');
}

/** What `flask run` does with a debug setting in the app's config: the page of each such rule says it. */
function flaskCommandSection(): string[] {
  return [
    '## Under `flask run`',
    '',
    "`flask run` sets the app's debug mode from `FLASK_DEBUG` once it has loaded the app, and serves the debugger " +
      "only when that flag is on (Flask 1.0 to 3.1), so the config's `DEBUG = True` is overwritten there. Where the " +
      'only production entrypoints that serve the code run `flask run` without `FLASK_DEBUG`, `--debug` or ' +
      "`--debugger` (and without `FLASK_ENV=development` where Flask older than 2.3 is pinned or the image's " +
      'Python allows no newer one), the finding is a warning that says so: `app.run()` and the servers that keep ' +
      "the app's config (gunicorn, waitress) still turn debug mode on with it.",
    '',
  ];
}
