// Test helper: runs the real emulator exactly as a user would (`node build/emulator/main.mjs …`, the
// start contract) and talks to its admin API. jest's globalSetup (global-setup.ts) builds the bundle
// and prepares AML_TEST_CERT_DIR, so every emulator of a run shares one CA (trusted through
// NODE_EXTRA_CA_CERTS) and one token-signing key (MSAL caches managed-identity tokens per process).
//
// No emulator outlives the test run: stop() sends SIGTERM and waits for the exit; the process is
// also started with --exit-on-stdin-close, so it stops by itself if this process dies, and every
// child still running when this process exits gets SIGTERM.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  vault?: string;
}

export interface Emulator {
  vaultUrl: string;
  vaults: Record<string, string>;
  caCertFile: string;
  env: Record<string, string>;
  adminUrl: string;
  requests(): Promise<RequestRecord[]>;
  clearRequests(): Promise<void>;
  configure(patch: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const EMULATOR_BUNDLE = join(REPO_ROOT, 'build', 'emulator', 'main.mjs');

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGTERM');
  });
}

function certDir(): string {
  return process.env.AML_TEST_CERT_DIR ?? mkdtempSync(join(tmpdir(), 'aml-emulator-certs-'));
}

/** Spawns `node build/emulator/main.mjs --port 0 --cert-dir $AML_TEST_CERT_DIR ...args` (the real start contract) and resolves when its JSON line arrives. */
export function startEmulator(args: string[] = []): Promise<Emulator> {
  installExitHook();
  const child = spawn(process.execPath, [EMULATOR_BUNDLE, '--port', '0', '--cert-dir', certDir(), '--exit-on-stdin-close', ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  running.add(child);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  void exited.then(() => running.delete(child));

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
    if (process.env.AML_EMULATOR_LOGS) process.stderr.write(chunk);
  });

  return new Promise<Emulator>((resolveStart, rejectStart) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('the emulator did not print its JSON line within 30 s')), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      rejectStart(new Error(`${err.message}\n--- emulator stderr ---\n${stderr}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`the emulator exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', (err) => fail(err));
    child.once('exit', onExit);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      let info: Omit<Emulator, 'requests' | 'clearRequests' | 'configure' | 'stop'>;
      try {
        info = JSON.parse(stdout.slice(0, nl));
      } catch (err) {
        fail(new Error(`the emulator's first stdout line is not JSON: ${(err as Error).message}`));
        return;
      }
      // Do not keep the test process alive because of the child; the exit hook still stops it.
      child.unref();
      for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
      resolveStart(makeEmulator(info, child, exited));
    });
  });
}

function makeEmulator(info: Omit<Emulator, 'requests' | 'clearRequests' | 'configure' | 'stop'>, child: ChildProcess, exited: Promise<void>): Emulator {
  const ca = readFileSync(info.caCertFile);
  let stopping: Promise<void> | undefined;
  return {
    ...info,
    requests: async () => JSON.parse((await adminCall(info.adminUrl, ca, 'GET', '/requests')).body) as RequestRecord[],
    clearRequests: async () => {
      await adminCall(info.adminUrl, ca, 'DELETE', '/requests');
    },
    configure: async (patch) => {
      const res = await adminCall(info.adminUrl, ca, 'POST', '/config', JSON.stringify(patch));
      if (res.status !== 204) throw new Error(`emulator config rejected (${res.status}): ${res.body}`);
    },
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        }
      })()),
  };
}

function adminCall(adminUrl: string, ca: Buffer, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveCall, rejectCall) => {
    const req = request(
      `${adminUrl}${path}`,
      { method, ca, agent: false, headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 400) rejectCall(new Error(`emulator admin ${method} ${path} → ${status}: ${text}`));
          else resolveCall({ status, body: text });
        });
      },
    );
    req.on('error', rejectCall);
    req.end(body);
  });
}

/** Azure identity variables a CI machine may carry that would steer credentials away from the emulator. */
const CONFLICTING_IDENTITY_VARS = [
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_AUTHORITY_HOST',
  'AZURE_TOKEN_CREDENTIALS',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
];

/** Env to give a child process (or to set before constructing credentials in-process): emulator.env merged for the managed identity. */
export function emulatorEnv(emulator: Pick<Emulator, 'env'>, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !CONFLICTING_IDENTITY_VARS.includes(k)) env[k] = v;
  return { ...env, ...emulator.env };
}

/** Sets emulator.env in process.env (and removes conflicting identity variables) before credentials are built. */
export function useEmulatorEnv(emulator: Pick<Emulator, 'env'>): void {
  for (const k of CONFLICTING_IDENTITY_VARS) delete process.env[k];
  Object.assign(process.env, emulator.env);
}
