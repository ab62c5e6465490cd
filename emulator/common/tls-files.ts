// The files of the cert dir (tls.ts describes each) and whether what is there can be reused: a leaf only
// while it is valid for another day, covers its host(s) and was issued by the dir's CA.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

export const SERVER_SANS = 'DNS:localhost,IP:127.0.0.1,IP:::1';
/** The host MSAL sends instance discovery to, whatever the authority (msal-common AAD_INSTANCE_DISCOVERY_ENDPT). */
export const INSTANCE_DISCOVERY_HOST = 'login.microsoftonline.com';
export const SP_SUBJECT = '/CN=aml-vault-push-emulator-sp';

export function path(dir: string, file: keyof typeof TLS_FILES): string {
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

export function isComplete(dir: string): boolean {
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

export function serverCertUsable(serverPem: string, caPem: string): boolean {
  return leafUsable(
    serverPem,
    caPem,
    (leaf) => leaf.checkHost('localhost') !== undefined && leaf.checkIP('127.0.0.1') !== undefined,
  );
}

export function loginCertUsable(loginPem: string, caPem: string): boolean {
  return leafUsable(loginPem, caPem, (leaf) => leaf.checkHost(INSTANCE_DISCOVERY_HOST) !== undefined);
}

export function spCertUsable(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return validForAnotherDay(new X509Certificate(pem));
  } catch {
    return false;
  }
}
