// globalSetup sets NODE_EXTRA_CA_CERTS so that jest workers and child processes trust the emulator's CA.
// Node reads that variable only at start-up, so this checks it where it matters: in processes started
// after globalSetup — a plain child, and real jest workers (a nested jest run with two workers).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { adminStatusWithDefaultTrust } from '../support.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { REPO_ROOT, startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

const PROBE = `require('https').get(process.argv[1], { agent: false }, (r) => { console.log(r.statusCode); r.resume(); }).on('error', (e) => { console.log(e.code || e.message); });`;

test('globalSetup exported the cert dir and the CA variables', () => {
  expect(process.env.AML_TEST_CERT_DIR).toBeTruthy();
  // the CA itself, or a bundle with a CA the developer already had in NODE_EXTRA_CA_CERTS
  expect(readFileSync(process.env.NODE_EXTRA_CA_CERTS!, 'utf8')).toContain(readFileSync(emu.caCertFile, 'utf8').trim());
  expect(process.env.REQUESTS_CA_BUNDLE).toBe(emu.caCertFile);
});

test('a child process inherits NODE_EXTRA_CA_CERTS and trusts the emulator without a ca option; without it, it does not', () => {
  const withVar = spawnSync(process.execPath, ['-e', PROBE, `${emu.adminUrl}/requests`], {
    encoding: 'utf8',
    env: process.env,
  });
  expect(withVar.stdout.trim()).toBe('200');
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const without = spawnSync(process.execPath, ['-e', PROBE, `${emu.adminUrl}/requests`], { encoding: 'utf8', env });
  expect(without.stdout.trim()).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i);
});

test("this test process trusts it too (worker: NODE_EXTRA_CA_CERTS; in band: globalSetup's in-process trust)", async () => {
  const inBand = Boolean(
    (tls as unknown as Record<symbol, unknown>)[Symbol.for('aml-vault-push.test-ca-trusted-in-process')],
  );
  console.log(`jest is running this file ${inBand ? 'in band (main process)' : 'in a worker process'}`);
  const status = await adminStatusWithDefaultTrust(emu);
  expect(status).toBe(200);
});

test('real jest workers (two of them, started after globalSetup) trust the CA through NODE_EXTRA_CA_CERTS', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'aml-jest-cache-')); // no timing history: jest must use workers
  try {
    const env = { ...process.env };
    for (const k of ['NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'AML_TEST_CERT_DIR', 'JEST_WORKER_ID']) delete env[k];
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--maxWorkers=2',
        '--selectProjects=emulator',
        `--cacheDirectory=${cacheDir}`,
        '--testMatch=**/test/emulator/fixtures/*.fixture.ts',
        '--reporters=default',
        '--ci',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', env, timeout: 120_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(run.status).toBe(0);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
