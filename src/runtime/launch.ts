import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appSpecProblem } from './app-spec.js';
import { isExposed } from './exposures.js';
import type { RuntimeEntrypoint } from './entrypoint.js';
import { httpGet } from './http-get.js';
import { redactGiven } from './given-env.js';
import { planLaunch } from './launch-plan.js';
import { probeUrl, type ProbeOptions, type ProbeResult } from './probe.js';
import { DESCENDANT_MARKER, ProcessGroup, runMarker } from './process-group.js';
import { RUN_SCRIPT_PY, SITECUSTOMIZE_PY } from './python-harness.js';
import { withShellGrammar } from '../deploy/shell/shell-parser.js';

export type EntrypointStatus = 'exposed' | 'clean' | 'not-started' | 'not-run';

/** Started and probed it could not be: verify has no answer for this entrypoint. */
export function notVerified(outcome: EntrypointOutcome): boolean {
  return outcome.status === 'not-started' || outcome.status === 'not-run';
}

export interface EntrypointOutcome {
  entrypoint: RuntimeEntrypoint;
  status: EntrypointStatus;
  /** Why it did not start or was not run. */
  reason?: string;
  /** What verify ran, with the interpreter given by --python (the harness named `<loopback harness>`). */
  command?: string[];
  /** Environment names verify set from the deploy files (values are not printed: they may be secrets). */
  envNames?: string[];
  /** Names given with --env/--env-file (values are never printed). */
  givenEnvNames?: string[];
  skippedSteps?: string[];
  url?: string;
  /** The process group verify started; gone once the outcome is returned. */
  pid?: number;
  stopped?: boolean;
  probe?: ProbeResult;
  logTail: string[];
}

export interface LaunchOptions {
  root: string;
  python: string;
  startTimeoutMs: number;
  probe: ProbeOptions;
  /** What production injects at run time (--env, --env-file): over the deploy files' values, under verify's own. */
  givenEnv?: Readonly<Record<string, string>>;
  /** Told each command before it starts: verify runs the repository's code, and says what. */
  onCommand?: (entrypoint: RuntimeEntrypoint, command: string[], cwd: string) => void;
  /** Told when a server is started, with its process group (for progress lines). */
  onStart?: (entrypoint: RuntimeEntrypoint, pid: number, url: string) => void;
}

const HARNESS_SCRIPT = 'secure_flask_run_script.py';

/** The private folder with the loopback guard and the script harness, for one verify run. */
export function createHarness(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'secure-flask-verify-'));
  writeFileSync(join(dir, 'sitecustomize.py'), SITECUSTOMIZE_PY);
  writeFileSync(join(dir, HARNESS_SCRIPT), RUN_SCRIPT_PY);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs one production entrypoint on 127.0.0.1, waits (bounded) until it answers,
 * probes it, and stops its whole process group before returning, whatever happened.
 */
export async function verifyEntrypoint(
  entrypoint: RuntimeEntrypoint,
  harnessDir: string,
  options: LaunchOptions,
): Promise<EntrypointOutcome> {
  const port = await freeLoopbackPort();
  const given = options.givenEnv ?? {};
  const decision = await withShellGrammar(() =>
    planLaunch(entrypoint.argv, { ...entrypoint.env, ...given }, port, join(harnessDir, HARNESS_SCRIPT)),
  );
  if (!decision.ok) return { entrypoint, status: 'not-run', reason: decision.reason, logTail: [] };
  const { plan } = decision;
  const cwd = resolve(options.root, entrypoint.workdir);
  if (!existsSync(cwd))
    return {
      entrypoint,
      status: 'not-run',
      reason: `working folder ${entrypoint.workdir} is not in the repository`,
      logTail: [],
    };

  const deployEnv = { ...entrypoint.env, ...plan.env };
  const specs = [
    ...plan.appSpecs,
    ...(plan.server === 'flask-run' && plan.appSpecs.length === 0 && deployEnv.FLASK_APP ? [deployEnv.FLASK_APP] : []),
  ];
  const searchFolders = [cwd, ...plan.appFolders.map((folder) => resolve(cwd, folder))];
  const specProblem = specs
    .map((spec) => appSpecProblem(spec, searchFolders, options.root))
    .find((problem) => problem !== undefined);
  if (specProblem) return { entrypoint, status: 'not-run', reason: specProblem, logTail: [] };
  const env: Record<string, string> = {
    ...entrypoint.env,
    ...given,
    ...plan.env,
    // The caller's environment stays out, except what running needs: the interpreter's
    // folder first on PATH (its gunicorn, flask), and HOME.
    PATH: [dirname(options.python), process.env.PATH ?? ''].filter(Boolean).join(delimiter),
    HOME: process.env.HOME ?? tmpdir(),
    PORT: String(port),
    // The deploy model already read the committed .env/.flaskenv Flask would load (they are
    // in entrypoint.env); Flask must not add a developer's git-ignored one.
    FLASK_SKIP_DOTENV: '1',
    PYTHONPATH: [harnessDir, plan.env.PYTHONPATH ?? given.PYTHONPATH ?? entrypoint.env.PYTHONPATH]
      .filter(Boolean)
      .join(delimiter),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    // Inherited by every descendant, also one that leaves the process group: how stop() finds them.
    [DESCENDANT_MARKER]: runMarker(),
  };
  const command = [options.python, ...plan.args];
  const url = `${plan.scheme}://127.0.0.1:${port}/`;
  const base: EntrypointOutcome = {
    entrypoint,
    status: 'not-started',
    command: command.map((word) =>
      word === join(harnessDir, HARNESS_SCRIPT) ? '<loopback harness>' : redactGiven(word, given),
    ),
    envNames: Object.keys(deployEnv)
      .filter((name) => !(name in given))
      .sort(),
    ...(Object.keys(given).length > 0 ? { givenEnvNames: Object.keys(given).sort() } : {}),
    skippedSteps: plan.skipped,
    url,
    logTail: [],
  };

  options.onCommand?.(entrypoint, base.command ?? command, cwd);
  const group = new ProcessGroup(options.python, plan.args, { cwd, env });
  let outcome: EntrypointOutcome = { ...base, pid: group.pid };
  try {
    options.onStart?.(entrypoint, group.pid, url);
    const answered = await waitForAnswer(group, new URL(url), options);
    if (answered.ok) {
      const probe = await probeUrl(new URL(url), {
        ...options.probe,
        insecure: plan.scheme === 'https' || options.probe.insecure,
      });
      outcome = { ...outcome, status: isExposed(probe.exposures) ? 'exposed' : 'clean', probe };
    } else {
      outcome = { ...outcome, status: 'not-started', reason: answered.reason };
    }
  } finally {
    outcome.stopped = await group.stop();
    outcome.logTail = group.logTail().map((line) => redactGiven(line, given));
  }
  const missing =
    outcome.status === 'not-started' ? /No module named '?([\w.]+)/.exec(outcome.logTail.join('\n')) : null;
  if (missing)
    outcome.reason +=
      `: ${missing[1]} is not installed for ${options.python} ` +
      "(install the app's requirements into that environment)";
  return outcome;
}

async function waitForAnswer(
  group: ProcessGroup,
  url: URL,
  options: LaunchOptions,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + options.startTimeoutMs;
  while (Date.now() < deadline) {
    // The leader may exit while a child it left in the group serves (a daemonizing server).
    const exited = group.exited;
    if (exited && !group.isAlive())
      return {
        ok: false,
        reason: `exited before serving (${exited.signal ? `signal ${exited.signal}` : `exit code ${exited.code}`})`,
      };
    const answer = await httpGet(url, { timeoutMs: 1000, maxBytes: 1024, insecure: true });
    if (answer.ok) return { ok: true };
    await sleep(200);
  }
  return { ok: false, reason: `did not answer on ${url.host} within ${Math.round(options.startTimeoutMs / 1000)} s` };
}

/** A port the OS says is free on 127.0.0.1 right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
