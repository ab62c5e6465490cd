// The emulator's tenant and the principals its tokens name. A principal is what a role is assigned to
// (by object id), so more identities — service principals for OIDC/client-secret flows — can be added
// later next to the managed identity without touching the data plane.
// All ids are fixed so that emulators sharing a cert dir agree on who a token's caller is.

export const TENANT_ID = '7e57c0de-0000-4000-8000-00000000a11e';
/** The issuer Entra puts in v1 access tokens for a tenant (what Key Vault checks, see AKV10032). */
export const tokenIssuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;
/** Where the 401 challenge sends clients (DOC-AUTH; only the path — the tenant — is used by the SDKs). */
export const authorityFor = (tenantId: string) => `https://login.microsoftonline.com/${tenantId}`;

export type PrincipalKind = 'managedIdentity' | 'servicePrincipal';

export interface Principal {
  kind: PrincipalKind;
  displayName: string;
  /** oid claim: what role assignments name. */
  objectId: string;
  /** appid claim (the client id). */
  appId: string;
  tenantId: string;
  /** Resource id of a (user-assigned) managed identity; for system-assigned ones a placeholder. */
  resourceId?: string;
}

export const SUBSCRIPTION_ID = '00000000-0000-4000-8000-0000000e1a70';
export const RESOURCE_GROUP = 'aml-vault-push-emulator';
export const LOCATION = 'local';

export const DEFAULT_MANAGED_IDENTITY: Principal = {
  kind: 'managedIdentity',
  displayName: 'emulator-managed-identity',
  objectId: '7e57c0de-0000-4000-8000-0000000000a1',
  appId: '7e57c0de-0000-4000-8000-0000000000b1',
  tenantId: TENANT_ID,
  resourceId: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/emulator-managed-identity`,
};

/** Every principal the emulator knows. Tokens for other object ids still authenticate but hold no role. */
export const KNOWN_PRINCIPALS: readonly Principal[] = [DEFAULT_MANAGED_IDENTITY];

export function findPrincipal(objectId: string): Principal | undefined {
  return KNOWN_PRINCIPALS.find((p) => p.objectId === objectId);
}

/** The managed identity a token request asks for: system-assigned (no selector) or by client/object/resource id. */
export function findManagedIdentity(selector: { clientId?: string; objectId?: string; resourceId?: string }): Principal | undefined {
  const mis = KNOWN_PRINCIPALS.filter((p) => p.kind === 'managedIdentity');
  if (selector.clientId) return mis.find((p) => p.appId.toLowerCase() === selector.clientId!.toLowerCase());
  if (selector.objectId) return mis.find((p) => p.objectId.toLowerCase() === selector.objectId!.toLowerCase());
  if (selector.resourceId) return mis.find((p) => p.resourceId?.toLowerCase() === selector.resourceId!.toLowerCase());
  return DEFAULT_MANAGED_IDENTITY;
}

/** How Key Vault names a caller in its 403 messages ("appid=…;oid=…;iss=…"). */
export function callerString(p: { appId: string; objectId: string; tenantId: string }): string {
  return `appid=${p.appId};oid=${p.objectId};iss=${tokenIssuer(p.tenantId)}`;
}

export function vaultResourceId(vault: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${RESOURCE_GROUP}/providers/microsoft.keyvault/vaults/${vault.toLowerCase()}`;
}
