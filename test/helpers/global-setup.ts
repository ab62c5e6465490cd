// jest globalSetup: build the emulator bundle once and prepare one cert dir for the whole run.
//   - AML_TEST_CERT_DIR: every startEmulator() of the run reuses its CA and token-signing key;
//   - NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE: jest workers and every child process (the bundles,
//     Python) are started after this, inherit the variables, and so trust the emulator's CA.
// NODE_EXTRA_CA_CERTS is read once, when a Node process starts, so it cannot help this process.
// When jest runs tests in band (one CPU core free, a single test file, or --runInBand) the tests run
// right here; for that case this process also trusts the CA, by adding it to the default secure
// context — the in-process equivalent of NODE_EXTRA_CA_CERTS (Node 20 has no tls.setDefaultCACertificates).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import tls from 'node:tls';
import type { SecureContextOptions } from 'node:tls';
import type * as TlsModule from '../../emulator/common/tls.js';

const { ensureTlsMaterial } = requireTypeScript<typeof TlsModule>('../../emulator/common/tls');

/**
 * jest loads globalSetup with plain require + transform, without moduleNameMapper, so the NodeNext `.js`
 * suffixes (of the module and of its own relative imports) would not resolve to the .ts files: while the
 * module loads, a relative `.js` request that does not resolve is retried as `.ts`.
 */
function requireTypeScript<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loader = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (err) {
      if (!/^\.{1,2}\/.*\.js$/.test(request)) throw err;
      return resolveFilename.call(this, request.replace(/\.js$/, '.ts'), ...rest);
    }
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as T;
  } finally {
    loader._resolveFilename = resolveFilename;
  }
}

export const IN_PROCESS_TRUST_MARK = Symbol.for('aml-vault-push.test-ca-trusted-in-process');

export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'emulator', '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });

  const certDir = mkdtempSync(join(tmpdir(), 'aml-test-certs-'));
  // The dir holds private keys: remove it when the jest process ends (emulators have loaded it by then).
  process.once('exit', () => rmSync(certDir, { recursive: true, force: true }));
  const material = ensureTlsMaterial(certDir);
  process.env.AML_TEST_CERT_DIR = certDir;
  process.env.NODE_EXTRA_CA_CERTS = withExistingExtraCerts(certDir, material.caCertFile);
  process.env.REQUESTS_CA_BUNDLE = material.caCertFile;
  trustInThisProcess(readFileSync(material.caCertFile, 'utf8'));
}

/** NODE_EXTRA_CA_CERTS takes one file: keep a CA the developer already trusts (a corporate proxy) next to ours. */
function withExistingExtraCerts(certDir: string, caCertFile: string): string {
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (!existing || existing === caCertFile || !existsSync(existing)) return caCertFile;
  const bundle = join(certDir, 'extra-ca-bundle.pem');
  writeFileSync(bundle, `${readFileSync(existing, 'utf8').trimEnd()}\n${readFileSync(caCertFile, 'utf8')}`);
  return bundle;
}

function trustInThisProcess(caPem: string): void {
  const marked = tls as unknown as Record<symbol, unknown>;
  if (marked[IN_PROCESS_TRUST_MARK]) return;
  const original = tls.createSecureContext;
  tls.createSecureContext = function patched(options?: SecureContextOptions) {
    const context = original(options);
    // Only contexts built on the default roots: an explicit `ca` means the caller chose its trust.
    if (!options?.ca) (context as unknown as { context: { addCACert(pem: string): void } }).context.addCACert(caPem);
    return context;
  };
  marked[IN_PROCESS_TRUST_MARK] = true;
}
