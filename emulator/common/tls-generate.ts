// Generates what is missing or stale in the cert dir: the CA, the TLS leaves, the token and OIDC signing
// keys and the service principal's certificate. Certificates come from the openssl CLI (Node has no X.509
// writer; AML_EMULATOR_OPENSSL names another binary), keys from node:crypto, written with mode 0600.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INSTANCE_DISCOVERY_HOST,
  isComplete,
  loginCertUsable,
  path,
  SERVER_SANS,
  serverCertUsable,
  SP_SUBJECT,
  spCertUsable,
} from './tls-files.js';
import type { TLS_FILES } from './tls-files.js';

export function generateMissing(dir: string): void {
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
