// One way to run any shipped entry point — the GitHub Action and the Azure DevOps task on Node 20
// and 24 (through the test harness, exactly as the runner and the agent start them) and the CLI —
// with every file it leaves behind collected: each run gets its own temp folder (the parent's
// TMPDIR while the harness makes its folders, and the child's TMPDIR), so its working directory,
// RUNNER_TEMP / Agent.TempDirectory, output and summary files and anything the bundle writes to
// the temp dir are all under one root the scanner walks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { actionManifest, NODE_RUNTIMES, taskManifest } from '../../test/helpers/bundles.js';
import type { NodeRuntime } from '../../test/helpers/bundles.js';
import { azdoHarness, gitHubHarness } from '../../test/helpers/harness.js';
import type { Harness } from '../../test/helpers/harness.js';

const ROOT = resolve(__dirname, '..', '..');

export type Platform = 'github' | 'azdo' | 'cli';

export interface Run {
  ok: boolean;
  code: number | null;
  outputs: Record<string, string>;
  failure: string;
  stdout: string;
  stderr: string;
  masks: string[];
  /** Every file under the run's temp root: [path, content]. */
  files: [string, string][];
  ms: number;
}

export interface RunOptions {
  /** Inputs by their GitHub names; `secrets` is one `name=VARIABLE` per line. */
  inputs: Record<string, string>;
  /** Variable → value (step env on GitHub, secret variables on the agent, env for the CLI). */
  values: Record<string, string>;
  debug?: boolean;
  env?: Record<string, string | undefined>;
  /** CLI only: the command and its arguments before the flags (e.g. set NAME); default: push. */
  command?: string[];
  /** Ms after which the run is sent SIGTERM (to measure how it stops); then SIGKILL 30 s later. */
  signalAfterMs?: number;
}

export interface Target {
  label: string;
  platform: Platform;
  node: NodeRuntime;
  /** Output names as the platform sets them (the scanner accepts only these as variables). */
  outputNames: string[];
  push(opts: RunOptions): Promise<Run>;
}

/** The outputs each manifest declares: the only variables a run may set. */
const GITHUB_OUTPUTS = Object.keys(actionManifest.outputs);
const AGENT_OUTPUTS = taskManifest.outputVariables.map((o) => o.name);

/** Collects every file under `dir` (text; binary files are read as UTF-8 too: a value is text). */
export function filesUnder(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push([p.slice(dir.length + 1), readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  return out;
}

/** Runs `start` with process.env.TMPDIR pointing at a fresh folder while the harness makes its folders. */
async function inOwnTemp<T>(start: (tmp: string) => Promise<T>): Promise<{ result: T; tmp: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'aml-rel-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  let pending: Promise<T>;
  try {
    pending = start(tmp); // the harness creates its folders synchronously, before its first await
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  return { result: await pending, tmp };
}

function harnessTarget(h: Harness, emulatorEnv: Record<string, string>): Target {
  return {
    label: h.label,
    platform: h.platform,
    node: h.node,
    outputNames: h.platform === 'azdo' ? AGENT_OUTPUTS : GITHUB_OUTPUTS,
    async push(opts) {
      if (opts.signalAfterMs !== undefined) throw new Error('signals: use the CLI target or processTarget');
      const t0 = Date.now();
      const { result, tmp } = await inOwnTemp((tmp) =>
        h.push({
          inputs: opts.inputs,
          values: opts.values,
          debug: opts.debug ?? false,
          env: { ...emulatorEnv, TMPDIR: tmp, ...opts.env },
        }),
      );
      const files = filesUnder(tmp);
      rmSync(tmp, { recursive: true, force: true });
      return { ...result, code: result.ok ? 0 : 1, files, ms: Date.now() - t0 };
    },
  };
}

/** The CLI as a developer runs it: flags, values in the environment, DefaultAzureCredential. */
function cliTarget(node: NodeRuntime, emulatorEnv: Record<string, string>): Target {
  return {
    label: `cli/${node.label}`,
    platform: 'cli',
    node,
    outputNames: [],
    async push(opts) {
      const tmp = mkdtempSync(join(tmpdir(), 'aml-rel-cli-'));
      // --json: the outputs as one JSON object (without it, lines for a person).
      const args: string[] = [
        join(ROOT, 'dist/cli/index.mjs'),
        ...(opts.command ?? []),
        '--owner',
        'reliability/suite',
        '--json',
      ];
      for (const [k, v] of Object.entries(opts.inputs)) {
        if (k === 'secrets') for (const line of v.split('\n').filter(Boolean)) args.push('--secrets', line);
        else if (k === 'secrets-json') {
          const file = join(tmp, 'secrets.json');
          writeFileSync(file, v);
          args.push('--secrets-json-file', file);
        } else if (v === 'true' && ['dry-run', 'adopt-unowned', 'allow-empty'].includes(k)) args.push(`--${k}`);
        // --flag=value: a value that starts with '-' is a value, not another flag.
        else args.push(`--${k}=${v}`);
      }
      if (opts.debug) args.push('--verbose');
      const env: Record<string, string> = {};
      for (const k of ['PATH', 'HOME', 'LANG']) if (process.env[k]) env[k] = process.env[k]!;
      Object.assign(env, emulatorEnv, { TMPDIR: tmp }, opts.values, opts.debug ? { AZURE_LOG_LEVEL: 'verbose' } : {});
      for (const [k, v] of Object.entries(opts.env ?? {}))
        if (v === undefined) delete env[k];
        else env[k] = v;
      const t0 = Date.now();
      const r = await spawnAndWait(node.path, args, env, tmp, opts.signalAfterMs);
      let outputs: Record<string, string>;
      try {
        const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
        outputs = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, JSON.stringify(v)]));
      } catch {
        outputs = {};
      }
      const failure = r.stderr
        .split(/\r?\n/)
        .filter((l) => /^(error|failed)\b/i.test(l) || /\bfailed:/.test(l))
        .join('\n');
      const files = filesUnder(tmp).filter(([p]) => p !== 'secrets.json'); // our own input file
      rmSync(tmp, { recursive: true, force: true });
      return {
        ok: r.code === 0,
        code: r.code,
        outputs,
        failure,
        stdout: r.stdout,
        stderr: r.stderr,
        masks: [],
        files,
        ms: Date.now() - t0,
      };
    },
  };
}

export interface SpawnResult {
  code: number | null;
  /** True when the suite's cut-off killed it (SIGKILL): it did not stop by itself. */
  cutOff: boolean;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Ms from the SIGTERM to the exit, when one was sent. */
  stopMs?: number;
}

/** Spawns and waits; with `signalAfterMs`, sends SIGTERM then and SIGKILL 30 s later (the cut-off). */
export function spawnAndWait(
  node: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  signalAfterMs?: number,
  hardLimitMs = 180_000,
): Promise<SpawnResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    let cutOff = false;
    // Decoded by the stream (a multi-byte character may straddle two chunks).
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.on('data', (d: string) => (stderr += d));
    const timers: NodeJS.Timeout[] = [
      setTimeout(() => {
        cutOff = true;
        child.kill('SIGKILL');
      }, hardLimitMs),
    ];
    if (signalAfterMs !== undefined)
      timers.push(
        setTimeout(() => {
          signalledAt = Date.now();
          child.kill('SIGTERM');
          timers.push(
            setTimeout(() => {
              cutOff = true;
              child.kill('SIGKILL');
            }, 30_000),
          );
        }, signalAfterMs),
      );
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolvePromise({
        code,
        cutOff,
        signal,
        stdout,
        stderr,
        ...(signalledAt !== undefined ? { stopMs: Date.now() - signalledAt } : {}),
      });
    });
  });
}

const byLabel = (label: string) => NODE_RUNTIMES.find((n) => n.label === label)!;

/** The targets of a run: every bundle on both runtimes and the CLI (`which` narrows it). */
export function targets(emulatorEnv: Record<string, string>, which?: string[]): Target[] {
  const all = [
    ...NODE_RUNTIMES.map((n) => harnessTarget(gitHubHarness(n, emulatorEnv), emulatorEnv)),
    ...NODE_RUNTIMES.map((n) => harnessTarget(azdoHarness(n, emulatorEnv), emulatorEnv)),
    // The CLI on both runtimes too: a developer's machine has either.
    ...NODE_RUNTIMES.map((n) => cliTarget(n, emulatorEnv)),
  ];
  return which ? all.filter((t) => which.includes(t.label)) : all;
}

/**
 * The GitHub Action started as the runner starts it (INPUT_* with action.yml's defaults,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), under this suite's control: a cut-off and a SIGTERM at a
 * chosen time (the runner sends SIGTERM when a job is cancelled), to measure how the step stops.
 */
export async function runGitHubControlled(
  node: NodeRuntime,
  inputs: Record<string, string>,
  env: Record<string, string>,
  control: { signalAfterMs?: number; cutOffMs: number },
): Promise<SpawnResult & { outputs: string; summary: string; ms: number }> {
  const tmp = mkdtempSync(join(tmpdir(), 'aml-rel-gh-'));
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionManifest.inputs)) all[name] = spec.default ?? '';
  Object.assign(all, inputs);
  const childEnv: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'LANG']) if (process.env[k]) childEnv[k] = process.env[k]!;
  Object.assign(childEnv, {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'contoso/train',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: tmp,
    TMPDIR: tmp,
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    ...env,
  });
  const t0 = Date.now();
  const r = await spawnAndWait(
    node.path,
    [join(ROOT, 'dist/github/index.mjs')],
    childEnv,
    tmp,
    control.signalAfterMs,
    control.cutOffMs,
  );
  const result = {
    ...r,
    outputs: readFileSync(output, 'utf8'),
    summary: readFileSync(summary, 'utf8'),
    ms: Date.now() - t0,
  };
  rmSync(tmp, { recursive: true, force: true });
  return result;
}

export const nodeRuntime = byLabel;
