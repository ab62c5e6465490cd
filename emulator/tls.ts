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
  oidcKey: 'oidc-key.pem',
  spCredential: 'sp.pem',
  loginCert: 'login-host.pem',
  loginKey: 'login-host-key.pem',
} as const;

const SERVER_SANS = 'DNS:localhost,IP:127.0.0.1,IP:::1';
/** The host MSAL sends instance discovery to, whatever the authority (msal-common AAD_INSTANCE_DISCOVERY_ENDPT). */
export const INSTANCE_DISCOVERY_HOST = 'login.microsoftonline.com';
const SP_SUBJECT = '/CN=aml-vault-push-emulator-sp';

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

function path(dir: string, file: keyof typeof TLS_FILES): string {
  return join(dir, TLS_FILES[file]);
}

const ALL_FILES = [
  'caCert',
  'caKey',
  'tokenKey',
  'serverCert',
  'serverKey',
  'oidcKey',
  'spCredential',
  'loginCert',
  'loginKey',
] as const;

function isComplete(dir: string): boolean {
  if (!ALL_FILES.every((f) => existsSync(path(dir, f)))) return false;
  const ca = readFileSync(path(dir, 'caCert'), 'utf8');
  return (
    serverCertUsable(readFileSync(path(dir, 'serverCert'), 'utf8'), ca) &&
    loginCertUsable(readFileSync(path(dir, 'loginCert'), 'utf8'), ca) &&
    spCertUsable(readFileSync(path(dir, 'spCredential'), 'utf8'))
  );
}

/** A leaf is reused only while it is valid for another day, covers its host(s) and was issued by this CA. */
function leafUsable(leafPem: string, caPem: string, covers: (leaf: X509Certificate) => boolean): boolean {
  try {
    const leaf = new X509Certificate(leafPem);
    const ca = new X509Certificate(caPem);
    return validForAnotherDay(leaf) && covers(leaf) && leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

const validForAnotherDay = (cert: X509Certificate) => new Date(cert.validTo).getTime() > Date.now() + 86_400_000;

function serverCertUsable(serverPem: string, caPem: string): boolean {
  return leafUsable(
    serverPem,
    caPem,
    (leaf) => leaf.checkHost('localhost') !== undefined && leaf.checkIP('127.0.0.1') !== undefined,
  );
}

function loginCertUsable(loginPem: string, caPem: string): boolean {
  return leafUsable(loginPem, caPem, (leaf) => leaf.checkHost(INSTANCE_DISCOVERY_HOST) !== undefined);
}

function spCertUsable(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return validForAnotherDay(new X509Certificate(pem));
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
        'req',
        '-x509',
        '-new',
        '-key',
        path(dir, 'caKey'),
        '-sha256',
        '-days',
        '3650',
        '-subj',
        '/CN=aml-vault-push Key Vault emulator CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-addext',
        'subjectKeyIdentifier=hash',
        '-out',
        join(work, 'ca.pem'),
      ]);
      renameSync(join(work, 'ca.pem'), path(dir, 'caCert'));
    }
    if (!existsSync(path(dir, 'tokenKey'))) writeKey(path(dir, 'tokenKey'), rsaKeyPem());
    if (!existsSync(path(dir, 'oidcKey'))) writeKey(path(dir, 'oidcKey'), rsaKeyPem());
    const ca = readFileSync(path(dir, 'caCert'), 'utf8');
    const haveServer = existsSync(path(dir, 'serverCert')) && existsSync(path(dir, 'serverKey'));
    if (!haveServer || !serverCertUsable(readFileSync(path(dir, 'serverCert'), 'utf8'), ca))
      issueLeaf(dir, work, {
        name: 'server',
        cn: 'localhost',
        sans: SERVER_SANS,
        cert: 'serverCert',
        key: 'serverKey',
      });
    const haveLogin = existsSync(path(dir, 'loginCert')) && existsSync(path(dir, 'loginKey'));
    if (!haveLogin || !loginCertUsable(readFileSync(path(dir, 'loginCert'), 'utf8'), ca))
      issueLeaf(dir, work, {
        name: 'login',
        cn: INSTANCE_DISCOVERY_HOST,
        sans: `DNS:${INSTANCE_DISCOVERY_HOST}`,
        cert: 'loginCert',
        key: 'loginKey',
      });
    if (!existsSync(path(dir, 'spCredential')) || !spCertUsable(readFileSync(path(dir, 'spCredential'), 'utf8'))) {
      // An app certificate as Entra takes them: self-signed RSA, here valid for two years.
      const keyPem = rsaKeyPem();
      writeKey(join(work, 'sp-key.pem'), keyPem);
      openssl([
        'req',
        '-x509',
        '-new',
        '-key',
        join(work, 'sp-key.pem'),
        '-sha256',
        '-days',
        '730',
        '-subj',
        SP_SUBJECT,
        '-out',
        join(work, 'sp-cert.pem'),
      ]);
      writeKey(join(work, 'sp.pem'), `${readFileSync(join(work, 'sp-cert.pem'), 'utf8').trimEnd()}\n${keyPem}`);
      renameSync(join(work, 'sp.pem'), path(dir, 'spCredential'));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Issues a TLS server leaf from the CA in `dir` (always anew: called when it is missing, stale or from another CA). */
function issueLeaf(
  dir: string,
  work: string,
  leaf: { name: string; cn: string; sans: string; cert: keyof typeof TLS_FILES; key: keyof typeof TLS_FILES },
): void {
  const key = join(work, `${leaf.name}-key.pem`);
  writeKey(key, ecKeyPem());
  writeFileSync(
    join(work, `${leaf.name}.cnf`),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${leaf.sans}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${leaf.cn}`, '-out', join(work, `${leaf.name}.csr`)]);
  openssl([
    'x509',
    '-req',
    '-in',
    join(work, `${leaf.name}.csr`),
    '-CA',
    path(dir, 'caCert'),
    '-CAkey',
    path(dir, 'caKey'),
    '-set_serial',
    `0x${Date.now().toString(16)}${process.pid.toString(16)}${leaf.name === 'server' ? '1' : '2'}`,
    '-days',
    '825',
    '-sha256',
    '-extfile',
    join(work, `${leaf.name}.cnf`),
    '-out',
    join(work, `${leaf.name}.pem`),
  ]);
  renameSync(key, path(dir, leaf.key));
  renameSync(join(work, `${leaf.name}.pem`), path(dir, leaf.cert));
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

function rsaKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
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
