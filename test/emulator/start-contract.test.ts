// The start contract other tools rely on, exercised the way a user runs it:
// `npm run --silent emulator -- --port 0 [flags]` prints exactly one JSON line on stdout when ready,
// logs to stderr, and serves until SIGTERM or SIGINT.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { connect } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { EMULATOR_BUNDLE, REPO_ROOT } from '../helpers/emulator.js';
import { API, raw } from './support.js';

interface Started {
  child: ChildProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  info: any;
  stdout: () => string;
  stderr: () => string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
});

/** Spawns in its own process group (so npm and its shell are signalled together) and waits for the first stdout line. */
function spawnAndWait(command: string, args: string[]): Promise<Started> {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 45 s; stderr:\n${err}`)), 45_000);
    const check = () => {
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      try {
        resolve({ child, info: JSON.parse(out.slice(0, nl)), stdout: () => out, stderr: () => err, closed });
      } catch (e) {
        reject(new Error(`first stdout line is not JSON: ${out.slice(0, nl)} (${(e as Error).message})`));
      }
    };
    child.stdout!.on('data', check);
    void closed.then(({ code }) => reject(new Error(`exited early with ${code}; stderr:\n${err}`)));
  });
}

async function tokenFor(info: { env: Record<string, string>; caCertFile: string }): Promise<string> {
  const res = await raw(info, `${info.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://vault.azure.net`, {
    headers: { 'X-IDENTITY-HEADER': info.env.IDENTITY_HEADER! },
  });
  return res.json.access_token;
}

function peerCertificate(url: string, ca: Buffer) {
  const { hostname, port } = new URL(url);
  return new Promise<PeerCertificate>((resolve, reject) => {
    const s = connect({ host: hostname, port: Number(port), ca, servername: hostname }, () => {
      resolve(s.getPeerCertificate());
      s.end();
    });
    s.on('error', reject);
  });
}

async function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  for (let i = 0; i < 50; i++) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false });
      s.on('secureConnect', () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    if (refused) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

test('npm run --silent emulator -- --port 0: one JSON line, nothing else on stdout; serves; SIGTERM stops it', async () => {
  const s = await spawnAndWait('npm', ['run', '--silent', 'emulator', '--', '--port', '0', '--vault', 'extra']);
  const { info } = s;
  expect(Object.keys(info).sort()).toEqual([
    'adminUrl',
    'armUrl',
    'authorityHost',
    'caCertFile',
    'cloud',
    'computes',
    'env',
    'groups',
    'identities',
    'onlineEndpoints',
    'subscriptionId',
    'tenantId',
    'userAssignedIdentities',
    'vaultUrl',
    'vaults',
    'workspaces',
  ]);
  expect(info.vaultUrl).toMatch(/^https:\/\/localhost:\d+$/);
  expect(info.vaults).toEqual({ default: info.vaultUrl, extra: expect.stringMatching(/^https:\/\/localhost:\d+$/) });
  expect(info.adminUrl).toMatch(/^https:\/\/localhost:\d+\/admin$/);
  expect(isAbsolute(info.caCertFile)).toBe(true);
  expect(readFileSync(info.caCertFile, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  expect(Object.keys(info.env).sort()).toEqual([
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'AZURE_TENANT_ID',
    'HTTPS_PROXY',
    'IDENTITY_ENDPOINT',
    'IDENTITY_HEADER',
    'NODE_EXTRA_CA_CERTS',
    'NO_PROXY',
    'REQUESTS_CA_BUNDLE',
    'SYSTEM_OIDCREQUESTURI',
  ]);
  expect(info.env.NODE_EXTRA_CA_CERTS).toBe(info.caCertFile);
  expect(info.env.REQUESTS_CA_BUNDLE).toBe(info.caCertFile);
  expect(new URL(info.env.IDENTITY_ENDPOINT).origin).toBe(new URL(info.adminUrl).origin);

  // it serves: a token from its identity endpoint works on its vault
  const token = await tokenFor(info);
  expect((await raw(info, `${info.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);

  // the certificate: issued by the CA in caCertFile, SANs localhost, 127.0.0.1 and ::1
  const cert = await peerCertificate(info.vaultUrl, readFileSync(info.caCertFile));
  expect(cert.subjectaltname).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');

  // keys next to the CA cert are private to the user
  const dir = dirname(info.caCertFile);
  for (const key of ['ca-key.pem', 'server-key.pem', 'token-key.pem', 'oidc-key.pem', 'sp.pem', 'login-host-key.pem'])
    expect(statSync(join(dir, key)).mode & 0o777).toBe(0o600);
  expect(info.identities.servicePrincipal.certificateFile).toBe(join(dir, 'sp.pem'));

  process.kill(-s.child.pid!, 'SIGTERM');
  await s.closed;
  expect(s.stdout()).toBe(`${JSON.stringify(info)}\n`);
  expect(s.stderr()).toContain('ready');
  expect(s.stderr()).toMatch(/GET \/secrets 200/);
  expect(await refusesConnections(info.vaultUrl)).toBe(true);
  expect(existsSync(dir)).toBe(false); // its own temp cert dir is removed on exit
});

test("SIGTERM to the npm process alone also stops the emulator (npm's shell does not forward it; the emulator notices)", async () => {
  const s = await spawnAndWait('npm', ['run', '--silent', 'emulator', '--', '--port', '0', '--quiet']);
  const dir = dirname(s.info.caCertFile);
  s.child.kill('SIGTERM'); // only npm's own pid, as a parent process or a CI runner would
  await s.closed;
  expect(await refusesConnections(s.info.vaultUrl)).toBe(true);
  for (let i = 0; i < 50 && existsSync(dir); i++) await new Promise((r) => setTimeout(r, 100));
  expect(existsSync(dir)).toBe(false); // the emulator itself shut down cleanly
});

test('SIGINT stops it with exit code 0; --cert-dir is created, keys are 0600, and a second start reuses the CA and key', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'aml-contract-')), 'certs');
  try {
    const first = await spawnAndWait(process.execPath, [EMULATOR_BUNDLE, '--port', '0', '--cert-dir', dir]);
    expect(first.info.caCertFile).toBe(join(dir, 'ca.pem'));
    for (const key of ['ca-key.pem', 'server-key.pem', 'token-key.pem'])
      expect(statSync(join(dir, key)).mode & 0o777).toBe(0o600);
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const tokenKey = readFileSync(join(dir, 'token-key.pem'), 'utf8');
    const token = await tokenFor(first.info);
    process.kill(first.child.pid!, 'SIGINT');
    expect(await first.closed).toEqual({ code: 0, signal: null });
    expect(existsSync(dir)).toBe(true); // a user's cert dir is kept

    const second = await spawnAndWait(process.execPath, [EMULATOR_BUNDLE, '--port', '0', '--cert-dir', dir]);
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toBe(ca);
    expect(readFileSync(join(dir, 'token-key.pem'), 'utf8')).toBe(tokenKey);
    // a token the first one issued is accepted by the second
    expect((await raw(second.info, `${second.info.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
    process.kill(second.child.pid!, 'SIGTERM');
    expect(await second.closed).toEqual({ code: 0, signal: null });
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
});

test('a fixed --port N puts the default vault on N, extra vaults on N+1…, then control, authority, ARM and the discovery proxy', async () => {
  const base = await freeConsecutivePorts(7);
  const s = await spawnAndWait(process.execPath, [
    EMULATOR_BUNDLE,
    '--port',
    String(base),
    '--vault',
    'two',
    '--workspace',
    'ws-three',
    '--online-endpoint',
    'ws-three/score',
    '--cert-dir',
    process.env.AML_TEST_CERT_DIR!,
  ]);
  try {
    // An online endpoint takes no port; the line lists it (WS/NAME: the default subscription and resource group).
    const key = `${s.info.subscriptionId}/aml-vault-push-emulator/ws-three/score`;
    expect(s.info.onlineEndpoints).toEqual({
      [key]: {
        id: `/subscriptions/${s.info.subscriptionId}/resourceGroups/aml-vault-push-emulator/providers/Microsoft.MachineLearningServices/workspaces/ws-three/onlineEndpoints/score`,
        identity: {
          type: 'SystemAssigned',
          principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          identities: [{ principalId: expect.any(String), clientId: expect.any(String) }],
        },
      },
    });
    expect(s.info.vaults).toEqual({
      default: `https://localhost:${base}`,
      two: `https://localhost:${base + 1}`,
      'kv-ws-three': `https://localhost:${base + 2}`,
    });
    expect(s.info.adminUrl).toBe(`https://localhost:${base + 3}/admin`);
    expect(s.info.authorityHost).toBe(`https://localhost:${base + 4}`);
    expect(s.info.armUrl).toBe(`https://localhost:${base + 5}`);
    expect(s.info.env.HTTPS_PROXY).toBe(`http://localhost:${base + 6}`);
  } finally {
    process.kill(s.child.pid!, 'SIGTERM');
    await s.closed;
  }
});

test.each([
  [['--rbac', 'admin'], /invalid --rbac "admin"/],
  [['--throttle', 'lots'], /invalid throttle/],
  [['--fault-status', '418'], /invalid fault status/],
  [['--no-such-flag'], /Unknown option/],
  [['--vault', 'bad_name'], /invalid vault name/],
  [['--cloud', 'AzureGermanCloud'], /invalid cloud "AzureGermanCloud"/],
  [['--workspace', 'not-a-guid/rg/ws'], /is not a GUID/],
  [['--workspace', 'a_very_long_workspace_name_x'], /name the vault with =VAULT/],
  [['--workspace', 'ws-one', '--workspace', 'ws-one'], /duplicate --workspace/],
  [['--workspace', 'ws-one', '--online-endpoint', 'ws-one/ab'], /"ab" is not a valid online endpoint name/],
  [['--online-endpoint', 'ws-one/score'], /--online-endpoint .*: no --workspace, --hub or --project/],
])('bad flags %j: exit code ≠ 0, nothing on stdout, the reason on stderr', async (args, reason) => {
  const child = spawn(
    process.execPath,
    [EMULATOR_BUNDLE, '--port', '0', '--cert-dir', process.env.AML_TEST_CERT_DIR!, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  expect(code).not.toBe(0);
  expect(out).toBe('');
  expect(err).toMatch(reason);
});

/** A base port with `n` free ports after it (bounded retries; ports can be taken between probe and use). */
async function freeConsecutivePorts(n: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(Array.from({ length: n }, (_, i) => portFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free consecutive ports found');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => resolve(true)));
  });
}
