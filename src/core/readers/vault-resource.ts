// The vault's Resource Manager resource, which says its permission model (properties.enableRbacAuthorization), its
// access policies and its network rules. A workspace target found it already; a vault given by URL or name is looked
// for in the subscriptions the identity can see (GET /subscriptions, then each one's vaults), at most 20 of them.
import { VAULT_API_VERSION, type ArmClient } from '../targets/workspace-vault.js';

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
const MAX_SUBSCRIPTIONS = 20;
const MAX_PAGES = 10;

export type VaultResource = { vaultId: string; vault: Record<string, unknown> } | { unknown: string };

export async function findVaultResource(vaultUrl: string, arm: ArmClient): Promise<VaultResource> {
  const subs = await listAll(arm, '/subscriptions', SUBSCRIPTIONS_API_VERSION);
  if ('unknown' in subs)
    return { unknown: `cannot list the subscriptions to find the vault's resource: ${subs.unknown}` };
  const ids = subs.items
    .map((s) => s.subscriptionId)
    .filter((s): s is string => typeof s === 'string' && /^[0-9a-f-]{36}$/i.test(s))
    .slice(0, MAX_SUBSCRIPTIONS);
  const origin = vaultUrl.toLowerCase().replace(/\/+$/, '');
  for (const sub of ids) {
    const vaults = await listAll(arm, `/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults`, VAULT_API_VERSION);
    if ('unknown' in vaults) continue;
    for (const v of vaults.items) {
      const uri = (v.properties as Record<string, unknown> | undefined)?.vaultUri;
      if (typeof uri === 'string' && typeof v.id === 'string' && uri.toLowerCase().replace(/\/+$/, '') === origin)
        return { vaultId: v.id, vault: v };
    }
  }
  return {
    unknown: `the vault's resource was not found in the ${ids.length} subscription(s) the identity can read (it needs Reader on the vault)`,
  };
}

export async function listAll(
  arm: ArmClient,
  path: string,
  apiVersion: string,
): Promise<{ items: Record<string, unknown>[] } | { unknown: string }> {
  const items: Record<string, unknown>[] = [];
  let r = await arm.get(path, apiVersion);
  for (let page = 0; ; page++) {
    if (r.status !== 200) return { unknown: `Resource Manager answered ${r.status} ${r.code ?? ''}`.trim() };
    const value = r.body?.value;
    if (Array.isArray(value)) items.push(...(value as Record<string, unknown>[]));
    const next = r.body?.nextLink;
    if (typeof next !== 'string' || page + 1 >= MAX_PAGES) return { items };
    r = await arm.next(next);
  }
}

/** Notes about the vault's network: not failures, but a job outside the allowed networks cannot reach it. */
export function networkNotes(vault: Record<string, unknown>): string[] {
  const props = (vault.properties ?? {}) as Record<string, unknown>;
  const acls = (props.networkAcls ?? {}) as Record<string, unknown>;
  if (typeof props.publicNetworkAccess === 'string' && /^disabled$/i.test(props.publicNetworkAccess))
    return ['the vault has public network access disabled: the job must reach it through a private endpoint'];
  if (typeof acls.defaultAction === 'string' && /^deny$/i.test(acls.defaultAction))
    return [
      'the vault’s firewall denies by default: the job must reach it through a private endpoint or from an allowed network',
    ];
  return [];
}
