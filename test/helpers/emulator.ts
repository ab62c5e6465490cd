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

export type EmulatedService = 'vault' | 'entra' | 'arm' | 'oidc';

export interface RequestRecord {
  service: EmulatedService;
  method: string;
  path: string;
  status: number;
  /** service "vault": the vault's name. */
  vault?: string;
  /** Requests the discovery proxy answered: the host the client asked for (login.microsoftonline.com). */
  host?: string;
}

// The start contract's shapes come from the emulator itself, so the two cannot drift apart.
import type { StartInfo } from '../../emulator/start-info.js';
import type { FederatedCredential } from '../../emulator/entra/directory.js';
export type { CloudName } from '../../emulator/common/clouds.js';
export type { Identities as EmulatorIdentities, StartInfo } from '../../emulator/start-info.js';
export type { FederatedCredential } from '../../emulator/entra/directory.js';

/** Env the emulator hands a client process (merge with emulatorEnv()). */
export interface EmulatorEnv extends Record<string, string> {
  IDENTITY_ENDPOINT: string;
  IDENTITY_HEADER: string;
  NODE_EXTRA_CA_CERTS: string;
  REQUESTS_CA_BUNDLE: string;
  AZURE_TENANT_ID: string;
  ACTIONS_ID_TOKEN_REQUEST_URL: string;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
  SYSTEM_OIDCREQUESTURI: string;
  /** The discovery proxy (answers MSAL's instance discovery for login.microsoftonline.com). */
  HTTPS_PROXY: string;
  NO_PROXY: string;
}

/** The started emulator: its start line (with the env typed) and the admin API. */
export interface Emulator extends Omit<StartInfo, 'env'> {
  env: EmulatorEnv;
  requests(service?: EmulatedService): Promise<RequestRecord[]>;
  clearRequests(): Promise<void>;
  configure(patch: Record<string, unknown>): Promise<void>;
  /** Adds a federated credential (e.g. to make a subject match); clearFederatedCredentials() removes the added ones. */
  addFederatedCredential(fic: { clientId: string; issuer: string; subject: string; audience: string }): Promise<void>;
  clearFederatedCredentials(): Promise<void>;
  federatedCredentials(): Promise<FederatedCredential[]>;
  stop(): Promise<void>;
}

type EmulatorInfo = Omit<
  Emulator,
  | 'requests'
  | 'clearRequests'
  | 'configure'
  | 'addFederatedCredential'
  | 'clearFederatedCredentials'
  | 'federatedCredentials'
  | 'stop'
>;

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
  const child = spawn(
    process.execPath,
    [EMULATOR_BUNDLE, '--port', '0', '--cert-dir', certDir(), '--exit-on-stdin-close', ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env },
    },
  );
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
      let info: EmulatorInfo;
      try {
        info = JSON.parse(stdout.slice(0, nl));
      } catch (err) {
        fail(new Error(`the emulator's first stdout line is not JSON: ${(err as Error).message}`));
        return;
      }
      // Do not keep the test process alive because of the child; the exit hook still stops it.
      child.unref();
      for (const s of [child.stdin, child.stdout, child.stderr])
        (s as unknown as { unref?: () => void } | null)?.unref?.();
      resolveStart(makeEmulator(info, child, exited));
    });
  });
}

function makeEmulator(info: EmulatorInfo, child: ChildProcess, exited: Promise<void>): Emulator {
  const ca = readFileSync(info.caCertFile);
  let stopping: Promise<void> | undefined;
  return {
    ...info,
    requests: async (service) =>
      JSON.parse(
        (await adminCall(info.adminUrl, ca, 'GET', `/requests${service ? `?service=${service}` : ''}`)).body,
      ) as RequestRecord[],
    clearRequests: async () => {
      await adminCall(info.adminUrl, ca, 'DELETE', '/requests');
    },
    configure: async (patch) => {
      const res = await adminCall(info.adminUrl, ca, 'POST', '/config', JSON.stringify(patch));
      if (res.status !== 204) throw new Error(`emulator config rejected (${res.status}): ${res.body}`);
    },
    addFederatedCredential: async (fic) => {
      await adminCall(info.adminUrl, ca, 'POST', '/federated-credentials', JSON.stringify(fic));
    },
    clearFederatedCredentials: async () => {
      await adminCall(info.adminUrl, ca, 'DELETE', '/federated-credentials');
    },
    federatedCredentials: async () =>
      JSON.parse((await adminCall(info.adminUrl, ca, 'GET', '/federated-credentials')).body) as FederatedCredential[],
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

function adminCall(
  adminUrl: string,
  ca: Buffer,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolveCall, rejectCall) => {
    const req = request(
      `${adminUrl}${path}`,
      {
        method,
        ca,
        agent: false,
        headers:
          body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
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
  // Lower-case proxy variables win over the emulator's HTTPS_PROXY / NO_PROXY in some clients (Python, @actions/http-client).
  'https_proxy',
  'no_proxy',
];

/** Env to give a child process (or to set before constructing credentials in-process): emulator.env merged for the managed identity. */
export function emulatorEnv(
  emulator: Pick<Emulator, 'env'>,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !CONFLICTING_IDENTITY_VARS.includes(k)) env[k] = v;
  return { ...env, ...emulator.env };
}

/** The discovery proxy's variables (emulator.env): useEmulatorEnv leaves them out, useDiscoveryProxy sets them. */
const PROXY_VARS = ['HTTPS_PROXY', 'NO_PROXY'];

/**
 * Sets emulator.env in process.env (and removes conflicting identity variables) before credentials are
 * built — except HTTPS_PROXY / NO_PROXY: @azure/core-rest-pipeline reads NO_PROXY once per process, at
 * its first pipeline, so in a test process that made a pipeline earlier, a proxy set now would also
 * carry loopback traffic. Child processes get the whole env (emulatorEnv) from their start.
 */
export function useEmulatorEnv(emulator: Pick<Emulator, 'env'>): void {
  for (const k of CONFLICTING_IDENTITY_VARS) delete process.env[k];
  for (const [k, v] of Object.entries(emulator.env)) if (!PROXY_VARS.includes(k)) process.env[k] = v;
}

/**
 * Routes this process's HTTPS through the emulator's discovery proxy (HTTPS_PROXY, NO_PROXY from
 * emulator.env), so MSAL's instance discovery for the emulator's authority succeeds without
 * `disableInstanceDiscovery`. Call it before the first Azure SDK pipeline of the test file is built.
 */
export function useDiscoveryProxy(emulator: Pick<Emulator, 'env'>): void {
  for (const k of PROXY_VARS) process.env[k] = emulator.env[k];
  delete process.env.https_proxy;
  delete process.env.no_proxy;
}
