// TLS and token-signing material. Generated on first use into a directory and reused afterwards, so
// emulators that share a directory (tests, a user's repeated runs) share one CA the clients already
// trust and one token-signing key — a token issued by one is accepted by the other, which matters
// because MSAL caches managed-identity tokens per process. No private key is ever checked in.
//
//   ca.pem / ca-key.pem          the emulator's CA (what NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE point at)
//   server.pem / server-key.pem  the HTTPS leaf, SANs localhost, 127.0.0.1, ::1, signed by the CA
//   token-key.pem                RSA key that signs the RS256 access tokens
//   oidc-key.pem                 RSA key of the emulator's GitHub and Azure DevOps OIDC issuers
//   sp.pem                       the service principal's certificate + PKCS#8 private key (self-signed,
//                                as an Azure DevOps service connection stores it)
//   login-host.pem / login-host-key.pem
//                                a leaf for login.microsoftonline.com, signed by the CA: the discovery
//                                proxy (discovery-proxy.ts) answers MSAL's instance discovery with it
// Private keys are written with mode 0600. Certificates are produced by the openssl CLI (Node has no
// X.509 writer); keys come from node:crypto.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateMissing } from './tls-generate.js';
import { isComplete, path } from './tls-files.js';

export interface TlsMaterial {
  dir: string;
  caCertFile: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  tokenPrivateKey: KeyObject;
  tokenPublicKey: KeyObject;
  oidcPrivateKey: KeyObject;
  oidcPublicKey: KeyObject;
  /** sp.pem: certificate + private key of the service principal. */
  spCredentialFile: string;
  spCertificatePem: string;
  /** TLS leaf and key for login.microsoftonline.com (the discovery proxy). */
  loginCert: string;
  loginKey: string;
}

/** Reuse the material in `dir`, or generate what is missing. Safe when several processes race on one dir. */
export function ensureTlsMaterial(dir: string): TlsMaterial {
  mkdirSync(dir, { recursive: true });
  if (!isComplete(dir)) withLock(dir, () => generateMissing(dir));
  return load(dir);
}

function load(dir: string): TlsMaterial {
  const tokenPrivateKey = createPrivateKey(readFileSync(path(dir, 'tokenKey'), 'utf8'));
  const oidcPrivateKey = createPrivateKey(readFileSync(path(dir, 'oidcKey'), 'utf8'));
  const spPem = readFileSync(path(dir, 'spCredential'), 'utf8');
  return {
    dir,
    caCertFile: path(dir, 'caCert'),
    caCert: readFileSync(path(dir, 'caCert'), 'utf8'),
    serverCert: readFileSync(path(dir, 'serverCert'), 'utf8'),
    serverKey: readFileSync(path(dir, 'serverKey'), 'utf8'),
    tokenPrivateKey,
    tokenPublicKey: createPublicKey(tokenPrivateKey),
    oidcPrivateKey,
    oidcPublicKey: createPublicKey(oidcPrivateKey),
    spCredentialFile: path(dir, 'spCredential'),
    spCertificatePem: new X509Certificate(spPem).toString(),
    loginCert: readFileSync(path(dir, 'loginCert'), 'utf8'),
    loginKey: readFileSync(path(dir, 'loginKey'), 'utf8'),
  };
}

/** A directory lock (mkdir is atomic). A lock older than a minute is a crashed holder's and is broken. */
function withLock(dir: string, fn: () => void): void {
  const lock = join(dir, '.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the holder just released it
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`, { cause: err });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
