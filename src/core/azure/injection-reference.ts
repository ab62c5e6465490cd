// Pure: the references an online deployment's environment variables use to have Azure ML inject a secret when the
// deployment is created (secret injection, learn.microsoft.com/azure/machine-learning/concept-secret-injection):
// `${{keyvault:https://VAULT/secrets/NAME/VERSION}}` for a Key Vault secret version, `${{azureml://connections/…}}`
// for a workspace connection. Every documented Key Vault form names a version, so a rotated secret reaches a running
// deployment only when its reference is edited to the new version and the deployment updated.

/** One `${{…}}` reference found in an environment variable's text. */
export type FoundReference =
  | { kind: 'keyvault'; origin: string; secret: string; version?: string; text: string }
  | { kind: 'connection'; text: string }
  | { kind: 'other'; text: string };

import type { SecretOutcome } from '../common/types.js';

const REFERENCE = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
const KEYVAULT = /^keyvault:(https:\/\/[^/\s]+)\/secrets\/([0-9a-zA-Z-]{1,127})(?:\/([0-9a-zA-Z]{1,64}))?\/?$/i;

/** The vault's origin as a reference writes it: https, the host lower-cased (one service matched it case-sensitively). */
export function referenceOrigin(vaultUrl: string): string {
  return new URL(vaultUrl).origin.toLowerCase();
}

/** `${{keyvault:https://vault/secrets/NAME/VERSION}}`. */
export function keyVaultReference(vaultUrl: string, name: string, version: string): string {
  return `\${{keyvault:${referenceOrigin(vaultUrl)}/secrets/${name}/${version}}}`;
}

/** Every `${{…}}` reference in one environment variable's text (a value may hold more than one). */
export function findReferences(text: string): FoundReference[] {
  const out: FoundReference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const inner = match[1]!;
    const kv = KEYVAULT.exec(inner);
    if (kv) {
      let origin: string;
      try {
        origin = referenceOrigin(kv[1]!);
      } catch {
        out.push({ kind: 'other', text: match[0] });
        continue;
      }
      out.push({ kind: 'keyvault', origin, secret: kv[2]!, ...(kv[3] && { version: kv[3] }), text: match[0] });
    } else if (/^azureml:\/\/connections\//i.test(inner)) out.push({ kind: 'connection', text: match[0] });
    else out.push({ kind: 'other', text: match[0] });
  }
  return out;
}

/** The version the vault holds after this run: the one written, or an unchanged secret's; none for a failure or a plan. */
export function currentVersion(o: SecretOutcome): string | undefined {
  if (o.status === 'failed' || o.action === 'blocked') return undefined;
  if (o.action === 'unchanged') return o.currentVersion;
  return o.status === 'done' ? o.version : undefined;
}

/** Secret name → its reference, for each secret written or unchanged (own keys whatever the names). */
export function referencesOf(vaultUrl: string, outcomes: readonly SecretOutcome[]): Record<string, string> {
  return Object.fromEntries(
    outcomes.flatMap((o) => {
      const version = currentVersion(o);
      return version ? [[o.name, keyVaultReference(vaultUrl, o.name, version)]] : [];
    }),
  );
}
