// TLS and token-signing material. Generated on first use into a directory and reused afterwards, so
// emulators that share a directory (tests, a user's repeated runs) share one CA the clients already
// trust and one token-signing key — a token issued by one is accepted by the other, which matters
// because MSAL caches managed-identity tokens per process. No private key is ever checked in.
//
//   ca.pem / ca-key.pem          the emulator's CA (what NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE point at)
//   server.pem / server-key.pem  the HTTPS leaf, SANs localhost, 127.0.0.1, ::1, signed by the CA
//   token-key.pem                RSA key that signs the RS256 access tokens
// Private keys are written with mode 0600. Certificates are produced by the openssl CLI (Node has no
// X.509 writer); keys come from node:crypto.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const TLS_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
  tokenKey: 'token-key.pem',
} as const;

const SERVER_SANS = 'DNS:localhost,IP:127.0.0.1,IP:::1';

export interface TlsMaterial {
  dir: string;
  caCertFile: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  tokenPrivateKey: KeyObject;
  tokenPublicKey: KeyObject;
}

/** Reuse the material in `dir`, or generate what is missing. Safe when several processes race on one dir. */
export function ensureTlsMaterial(dir: string): TlsMaterial {
  mkdirSync(dir, { recursive: true });
  if (!isComplete(dir)) withLock(dir, () => generateMissing(dir));
  return load(dir);
}

function path(dir: string, file: keyof typeof TLS_FILES): string {
  return join(dir, TLS_FILES[file]);
}

function isComplete(dir: string): boolean {
  if (!(['caCert', 'caKey', 'tokenKey', 'serverCert', 'serverKey'] as const).every((f) => existsSync(path(dir, f)))) return false;
  return serverCertUsable(readFileSync(path(dir, 'serverCert'), 'utf8'), readFileSync(path(dir, 'caCert'), 'utf8'));
}

/** A leaf is reused only while it is valid for another day, covers localhost and was issued by this CA. */
function serverCertUsable(serverPem: string, caPem: string): boolean {
  try {
    const leaf = new X509Certificate(serverPem);
    const ca = new X509Certificate(caPem);
    return (
      new Date(leaf.validTo).getTime() > Date.now() + 86_400_000 &&
      leaf.checkHost('localhost') !== undefined &&
      leaf.checkIP('127.0.0.1') !== undefined &&
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey)
    );
  } catch {
    return false;
  }
}

function generateMissing(dir: string): void {
  if (isComplete(dir)) return; // another process finished while we waited for the lock
  const work = join(dir, `.work-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { mode: 0o700 });
  try {
    const haveCa = existsSync(path(dir, 'caCert')) && existsSync(path(dir, 'caKey'));
    if (!haveCa) {
      writeKey(path(dir, 'caKey'), ecKeyPem());
      openssl([
        'req', '-x509', '-new', '-key', path(dir, 'caKey'), '-sha256', '-days', '3650',
        '-subj', '/CN=aml-vault-push Key Vault emulator CA',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-addext', 'subjectKeyIdentifier=hash',
        '-out', join(work, 'ca.pem'),
      ]);
      renameSync(join(work, 'ca.pem'), path(dir, 'caCert'));
    }
    if (!existsSync(path(dir, 'tokenKey'))) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeKey(path(dir, 'tokenKey'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    }
    // The leaf: always (re)issued from the CA when the existing one is missing, stale or from another CA.
    writeKey(join(work, 'server-key.pem'), ecKeyPem());
    writeFileSync(
      join(work, 'ext.cnf'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${SERVER_SANS}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        '',
      ].join('\n'),
    );
    openssl(['req', '-new', '-key', join(work, 'server-key.pem'), '-subj', '/CN=localhost', '-out', join(work, 'server.csr')]);
    openssl([
      'x509', '-req', '-in', join(work, 'server.csr'), '-CA', path(dir, 'caCert'), '-CAkey', path(dir, 'caKey'),
      '-set_serial', `0x${Date.now().toString(16)}${process.pid.toString(16)}`, '-days', '825', '-sha256',
      '-extfile', join(work, 'ext.cnf'), '-out', join(work, 'server.pem'),
    ]);
    renameSync(join(work, 'server-key.pem'), path(dir, 'serverKey'));
    renameSync(join(work, 'server.pem'), path(dir, 'serverCert'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function load(dir: string): TlsMaterial {
  const tokenPrivateKey = createPrivateKey(readFileSync(path(dir, 'tokenKey'), 'utf8'));
  return {
    dir,
    caCertFile: path(dir, 'caCert'),
    caCert: readFileSync(path(dir, 'caCert'), 'utf8'),
    serverCert: readFileSync(path(dir, 'serverCert'), 'utf8'),
    serverKey: readFileSync(path(dir, 'serverKey'), 'utf8'),
    tokenPrivateKey,
    tokenPublicKey: createPublicKey(tokenPrivateKey),
  };
}

function ecKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function writeKey(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600 });
  chmodSync(file, 0o600); // in case the file existed with wider permissions
}

function openssl(args: string[]): void {
  try {
    execFileSync(process.env.AML_EMULATOR_OPENSSL ?? 'openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(err)}`, { cause: err });
  }
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
