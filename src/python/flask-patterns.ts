import type { Detection, Fix, Requirement, TextTest } from '../core/findings.js';
import { defaultOnRead, stringValuedRead, type DefaultOnRead } from './env-reads.js';
import { settingsAttribute } from './settings-objects.js';
import { requiredField, type SyntaxNode } from './parser.js';
import { localBinding } from './local-bindings.js';
import { sameBlockBinding } from './assignments.js';
import { commandLineDefaultOn } from './cli-defaults.js';
import { mappingEntryValue, subscriptRead } from './mapping-values.js';
import { isUnderDebugGuard, type AppEvidence, type ModuleFacts } from './module-facts.js';
import {
  environmentOptIn,
  failsWhileUnset,
  openGuard,
  runsWhileUnset,
  type EnvironmentOptIn,
  type OpenGuard,
} from './default-on-guard.js';
import { callParts, literalTruthiness, literalValue, type CallParts } from './syntax.js';
import { projectModuleAttribute } from './import-bindings.js';

/**
 * Prefilter fragment for what may stand between `=` and a value: spaces, a
 * backslash continuation, a comment line inside brackets, opening parentheses.
 */
export const VALUE_GAP_TEXT = String.raw`(?:\s|\\\r?\n|#[^\n]*\n|\()*`;

/**
 * Prefilter fragment for a value a rule can prove truthy: True, a non-zero number,
 * a non-empty string, an UPPER_CASE module constant, an environment read (whose
 * default may be on), a settings attribute (`settings.DEBUG`), or a conditional that may be
 * (`False if os.environ["DEBUG"] == "False" else True`).
 */
export const TRUTHY_VALUE_TEXT =
  String.raw`(?:True|False[ \t]+if\b|[1-9]|0[xob]|['"][^'"]|[A-Z_][A-Z0-9_]*\b|` +
  String.raw`os\.|environ|getenv|env\.|config\(|strtobool|int\(|bool\(|[A-Za-z_]\w*\.[A-Z_])`;

/** Prefilter fragment for the start of a keyword argument, comments between arguments included. */
export const ARGUMENT_START_TEXT = String.raw`[(,]\s*(?:#[^\n]*\n\s*)*`;

/**
 * A prefilter for `<keyword>=<lower_case_name>` where that name is bound at the start
 * of a line to a truthy value (`debug = True` ... `app.run(debug=debug)`). One
 * regex cannot tie the two places together cheaply, so each name found is looked up.
 */
export function lowercaseConstantTest(keywordText: string): TextTest {
  const use = new RegExp(String.raw`${keywordText}\s*=${VALUE_GAP_TEXT}([a-z_][a-z0-9_]*)\b(?![ \t]*[.([])`, 'g');
  return {
    test(text: string): boolean {
      const names = new Set<string>();
      for (const match of text.matchAll(use)) names.add(match[1] ?? '');
      for (const name of names) if (truthyBindingOf(name).test(text)) return true;
      return false;
    },
  };
}

const truthyBindings = new Map<string, RegExp>();

/** `<name> = <truthy value>` at the start of a line (compiled once per name: the same few names recur). */
function truthyBindingOf(name: string): RegExp {
  let pattern = truthyBindings.get(name);
  if (!pattern) {
    pattern = new RegExp(String.raw`^[ \t]*${name}[ \t]*(?::[^=\n]*)?=${VALUE_GAP_TEXT}${TRUTHY_VALUE_TEXT}`, 'm');
    if (truthyBindings.size < 1000) truthyBindings.set(name, pattern);
  }
  return pattern;
}

/** How a debug switch's value reads: a literal, or a module constant bound to one. */
export interface SwitchValue {
  truthy: boolean;
  /** Human words for the value, e.g. `True`, `"False" (a non-empty string is true)`, `DEBUG (= True)`. */
  describe: string;
  /** Set when the value is an environment read that is on while its variable is unset: the fix flips its default. */
  defaultOn?: DefaultOnRead;
  /** A read of the variable's string (`os.getenv("DEBUG")`): off while unset, on for any value, "false" included. */
  stringValued?: string;
}

const MAX_VALUE_HOPS = 4;

/**
 * Evaluates a value the way Flask does (`bool(debug)`): True, non-zero numbers and
 * every non-empty string, "False" included, turn the debugger on. Names are followed
 * to the module constant or settings attribute they read, and environment reads
 * count as on when their default is.
 */
export function switchValue(facts: ModuleFacts, node: SyntaxNode, hops = 0): SwitchValue | undefined {
  if (hops > MAX_VALUE_HOPS) return undefined;
  const [inside] = node.namedChildren;
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1 && inside)
    return switchValue(facts, inside, hops);
  const defaultOn = defaultOnRead(facts, node);
  if (defaultOn)
    return {
      truthy: true,
      describe: `${node.text} (${defaultOn.onWhen ?? `on while ${defaultOn.variable} is unset`})`,
      defaultOn,
    };
  const stringRead = stringValuedRead(facts, node);
  if (stringRead)
    return {
      truthy: true,
      describe: `${node.text} (a string: ${stringRead.variable}=false or 0 still turns debug on)`,
      defaultOn: stringRead,
      stringValued: stringRead.variable,
    };
  // `debug=not PRODUCTION` with `PRODUCTION = os.getenv("PRODUCTION")`: unset, the read is None, so it is on.
  const negated = node.type === 'not_operator' ? node.childForFieldName('argument') : null;
  const offWhileUnset = negated && failsWhileUnset(facts, negated);
  if (offWhileUnset) return { truthy: true, describe: `${node.text} (on by default: ${offWhileUnset})` };
  const fromCommandLine = commandLineDefaultOn(facts, node);
  if (fromCommandLine) return { truthy: true, describe: `${node.text} (${fromCommandLine})` };
  if (node.type === 'identifier') {
    const bound = facts.constantNode(node.text) ?? localBinding(facts, node) ?? sameBlockBinding(node);
    const inner = bound && switchValue(facts, bound, hops + 1);
    if (!inner) return undefined;
    const describe = inner.defaultOn
      ? `${node.text} (= ${inner.describe})`
      : `${node.text} (a module constant that is ${inner.truthy ? 'true' : 'false'})`;
    return { ...inner, describe };
  }
  if (node.type === 'attribute') {
    const attribute = settingsAttribute(facts, node);
    const inner = attribute && switchValue(facts, attribute.value, hops + 1);
    if (!inner || !attribute) return undefined;
    return {
      ...inner,
      describe: `${node.text} (${attribute.className}.${requiredField(node, 'attribute').text} = ${inner.describe})`,
    };
  }
  // `DEFAULTS["DEBUG"]`, `DEFAULTS.get("DEBUG", True)` of a module-level dict literal: the entry, or the default.
  const entry = mappingEntryValue(facts, node);
  const fromMapping =
    entry === null ? { truthy: false, describe: 'None' } : entry && switchValue(facts, entry, hops + 1);
  if (fromMapping) return { ...fromMapping, describe: `${node.text} (= ${fromMapping.describe})` };
  const value = literalValue(node);
  const truthy = literalTruthiness(value);
  if (truthy === undefined) return undefined;
  if (value.kind === 'string' && truthy && !/^(?:1|true|yes|on)$/i.test(value.value)) {
    return { truthy, describe: `${node.text} (any non-empty string is true to Flask)` };
  }
  return { truthy, describe: node.text };
}

/**
 * The fix for a debug switch that is an environment read with an on default (directly,
 * or through the constant or settings attribute it reads): flip the default, keep the read.
 */
export function defaultOnFix(facts: ModuleFacts, value: SyntaxNode): Fix | undefined {
  const read = switchValue(facts, value)?.defaultOn;
  if (!read?.flip) return undefined;
  if (read.stringValued) {
    return {
      title: `read ${read.variable} strictly: off unless it is 1/true/yes/on`,
      edits: [read.flip],
      notice:
        `${read.variable} is now read strictly: unset, 0, false, no and off mean off; ` +
        `set ${read.variable}=1 where you want debug mode (local development only)`,
    };
  }
  return {
    title: `make ${read.variable} default to off: unset, debug mode stays off`,
    edits: [read.flip],
    notice:
      `${read.variable} now defaults to off: ` +
      `set ${read.variable}=${read.onValue} where you want debug mode (local development only)`,
  };
}

/** A debug switch this module reads from another module of the project, to be confirmed there. */
export interface ImportedSwitch {
  requirement: Extract<Requirement, { kind: 'imported-setting' }>;
  describe: string;
}

/**
 * `Settings.DEBUG_MODE` (a class or instance imported from a project module),
 * `settings.DEBUG` (after `import settings`) or an imported `DEBUG`: the value lives
 * elsewhere, so the finding waits for that module to confirm it is on.
 */
export function importedSwitch(
  facts: ModuleFacts,
  node: SyntaxNode,
  appEvidence: AppEvidence,
): ImportedSwitch | undefined {
  const app = appEvidence?.kind === 'imported' ? appEvidence.ref : undefined;
  // `DEFAULTS["DEBUG"]` with DEFAULTS imported: the key is looked up in the dict literal the module binds.
  const read = subscriptRead(node);
  const dict = read && facts.importedRef(read.name);
  if (read && dict)
    return {
      requirement: { kind: 'imported-setting', ref: dict, attribute: read.key, app },
      describe: `${node.text} (set in ${dict.module || 'its package'})`,
    };
  if (node.type === 'identifier') {
    const ref = facts.importedRef(node.text);
    return ref
      ? {
          requirement: { kind: 'imported-setting', ref, app },
          describe: `${node.text} (imported from ${ref.module || 'its package'})`,
        }
      : undefined;
  }
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  // `core.settings.DEBUG` after `import core.settings`: the attribute of the module core/settings.py.
  const dotted = object?.type === 'attribute' ? projectModuleAttribute(facts.imports, node) : undefined;
  if (dotted)
    return {
      requirement: { kind: 'imported-setting', ref: dotted, app },
      describe: `${node.text} (set in ${'.'.repeat(dotted.level)}${dotted.module})`,
    };
  if (object?.type !== 'identifier' || !attribute) return undefined;
  const imported = facts.importedRef(object.text);
  if (imported)
    return {
      requirement: { kind: 'imported-setting', ref: imported, attribute, app },
      // `settings.DEBUG` after `from core import settings`: set in core.settings (a submodule or a class).
      describe: `${node.text} (set in ${[imported.module, imported.name].filter(Boolean).join('.')})`,
    };
  const binding = facts.imports.get(object.text);
  if (
    !binding ||
    binding.name !== null ||
    facts.importedRef(object.text) ||
    THIRD_PARTY_MODULES.has(binding.module.split('.')[0] ?? '')
  )
    return undefined;
  return {
    requirement: { kind: 'imported-setting', ref: { module: binding.module, name: attribute, level: 0 }, app },
    describe: `${node.text} (set in ${binding.module})`,
  };
}

// `import os` then `os.X` is not a project setting.
const THIRD_PARTY_MODULES = new Set([
  'os',
  'sys',
  'flask',
  'werkzeug',
  'logging',
  'typing',
  'json',
  'dotenv',
  'environ',
  'decouple',
]);

/** Turns app evidence into the requirement a finding carries (none when proven here). */
export function requirementFor(evidence: AppEvidence): Requirement | undefined {
  return evidence?.kind === 'imported' ? { kind: 'imported-app', ref: evidence.ref } : undefined;
}

/**
 * Whether the guards around `node` keep it from running by default: `guarded` under an opt-in whose
 * default is off (`if settings.debug:`, `if os.getenv("DEBUG") == "1":`, an `else` of such a check),
 * `open` under guards that all hold while the environment is unset (`if DEBUG:` with
 * `DEBUG = os.getenv("DEBUG", "1") == "1"`), `unguarded` under none. Every rule asks this one question.
 */
export type GuardState = { kind: 'unguarded' } | { kind: 'guarded' } | { kind: 'open'; open: OpenGuard };

export function guardState(facts: ModuleFacts, node: SyntaxNode): GuardState {
  if (!isUnderDebugGuard(node)) return { kind: 'unguarded' };
  const open = openGuard(facts, node, conditionIsOn(facts));
  return open ? { kind: 'open', open } : { kind: 'guarded' };
}

/** True when `node` sits under an opt-in guard that is off by default: not a finding. */
export function isGuardedOff(facts: ModuleFacts, node: SyntaxNode): boolean {
  return guardState(facts, node).kind === 'guarded';
}

/**
 * True when `node` runs while the environment is unset: an
 * `if` that holds by default, an `else` of one that does not.
 */
export function runsByDefault(facts: ModuleFacts, node: SyntaxNode): boolean {
  return runsWhileUnset(facts, node, conditionIsOn(facts));
}

/**
 * `if DEBUG:` reads as its switch value: a constant, a settings
 * attribute or an environment read, on by default or not.
 */
function conditionIsOn(facts: ModuleFacts): (condition: SyntaxNode) => string | undefined {
  return (condition) => {
    const value = switchValue(facts, condition);
    return value?.truthy ? value.describe : undefined;
  };
}

/**
 * The requirement of a finding under an open guard: the guard's own (a value read in another
 * module), with the app's when the app is imported too; else the app's alone.
 */
export function openGuardRequirement(open: OpenGuard | undefined, appRequirement: Requirement | undefined) {
  if (!open?.requires) return appRequirement;
  return { ...open.requires, ...(appRequirement?.kind === 'imported-app' ? { app: appRequirement.ref } : {}) };
}

export interface AppMethodCall {
  call: SyntaxNode;
  parts: CallParts;
  receiver: SyntaxNode;
  evidence: NonNullable<AppEvidence>;
  /** Set when the call is under guards that hold by default: it runs, and the message says why. */
  openGuard?: OpenGuard;
}

/**
 * Calls of `<receiver>.<method>(...)` whose receiver is (or may be) a Flask app,
 * skipping the ones under an opt-in guard that is off by default.
 */
export function appMethodCalls(
  facts: ModuleFacts,
  method: string,
  receiverOf: (receiver: SyntaxNode) => SyntaxNode | undefined = (r) => r,
): AppMethodCall[] {
  const found: AppMethodCall[] = [];
  for (const call of facts.methodCalls(method)) {
    const parts = callParts(call);
    if (parts?.callee.type !== 'attribute') continue;
    const object = parts.callee.childForFieldName('object');
    const receiver = object ? receiverOf(object) : undefined;
    if (!receiver) continue;
    const evidence = facts.appEvidence(receiver);
    const guard = evidence ? guardState(facts, call) : undefined;
    if (!evidence || guard?.kind === 'guarded') continue;
    found.push({ call, parts, receiver, evidence, ...(guard?.kind === 'open' ? { openGuard: guard.open } : {}) });
  }
  return found;
}

/**
 * The calls appMethodCalls leaves out because an environment opt-in guards them (`if os.getenv("DEBUG") == "1":
 * app.run(debug=True)`), with that opt-in: a deploy file that sets the variable turns them on.
 */
export function optedInAppMethodCalls(
  facts: ModuleFacts,
  method: string,
): (AppMethodCall & { optIn: EnvironmentOptIn })[] {
  return facts.methodCalls(method).flatMap((call) => {
    const parts = callParts(call);
    const receiver = parts?.callee.type === 'attribute' ? parts.callee.childForFieldName('object') : null;
    const evidence = receiver ? facts.appEvidence(receiver) : undefined;
    if (!parts || !receiver || !evidence || guardState(facts, call).kind !== 'guarded') return [];
    const optIn = environmentOptIn(facts, call);
    return optIn ? [{ call, parts, receiver, evidence, optIn }] : [];
  });
}

/** For `app.config.update(...)`: the `app` of an `<x>.config` receiver. */
export function configOwner(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'attribute' || node.childForFieldName('attribute')?.text !== 'config') return undefined;
  return node.childForFieldName('object') ?? undefined;
}

/** Calls of a function known by its qualified name (through imports), not under a guard. */
export function callsOf(
  facts: ModuleFacts,
  qualifiedNames: ReadonlySet<string>,
): { call: SyntaxNode; parts: CallParts }[] {
  const found: { call: SyntaxNode; parts: CallParts }[] = [];
  for (const call of facts.callsOfQualified(qualifiedNames)) {
    const parts = callParts(call);
    if (!parts || isGuardedOff(facts, call)) continue;
    found.push({ call, parts });
  }
  return found;
}

/** The node to underline for an argument: the whole `debug=True` when passed by keyword. */
export function argumentRange(parts: CallParts, keyword: string, value: SyntaxNode): Pick<Detection, 'start' | 'end'> {
  const byKeyword = parts.keywords.get(keyword);
  const node = byKeyword && byKeyword.value === value ? byKeyword.keyword : value;
  return { start: node.startIndex, end: node.endIndex };
}
