// The emulator's tenant and the principals its tokens name. A principal is what a role is assigned to
// (by object id): the managed identity, a service principal with a client secret and a certificate, and
// two app registrations that sign in with federated credentials (GitHub Actions, Azure DevOps).
// All ids are fixed so that emulators sharing a cert dir agree on who a token's caller is; the secrets
// derive from the cert dir's token key (directory.ts), so they are stable per cert dir too.

export const TENANT_ID = '7e57c0de-0000-4000-8000-00000000a11e';
/** The issuer Entra puts in v1 access tokens for a tenant (what Key Vault checks, see AKV10032). */
export const tokenIssuer = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;
/** Where the 401 challenge sends clients (docs/keyvault.md §4.1; only the path — the tenant — is used by the SDKs). */
export const authorityFor = (tenantId: string, authorityHost = 'https://login.microsoftonline.com') =>
  `${authorityHost}/${tenantId}`;

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

/** An app registration + service principal that signs in with a client secret or a certificate (an Azure DevOps "ServicePrincipal" connection). */
export const SERVICE_PRINCIPAL: Principal = {
  kind: 'servicePrincipal',
  displayName: 'aml-vault-push-emulator-sp',
  objectId: '7e57c0de-0000-4000-8000-0000000005a1',
  appId: '7e57c0de-0000-4000-8000-0000000005b1',
  tenantId: TENANT_ID,
};

/** The app GitHub Actions workflows sign in as, through a federated credential for the emulator's GitHub issuer. */
export const GITHUB_APP: Principal = {
  kind: 'servicePrincipal',
  displayName: 'aml-vault-push-emulator-github',
  objectId: '7e57c0de-0000-4000-8000-0000000006a1',
  appId: '7e57c0de-0000-4000-8000-0000000006b1',
  tenantId: TENANT_ID,
};

/** The app an Azure DevOps workload-identity-federation service connection signs in as. */
export const AZDO_APP: Principal = {
  kind: 'servicePrincipal',
  displayName: 'aml-vault-push-emulator-azdo',
  objectId: '7e57c0de-0000-4000-8000-0000000007a1',
  appId: '7e57c0de-0000-4000-8000-0000000007b1',
  tenantId: TENANT_ID,
};

/** Every principal the emulator knows. Tokens for other object ids still authenticate but hold no role. */
export const KNOWN_PRINCIPALS: readonly Principal[] = [
  DEFAULT_MANAGED_IDENTITY,
  SERVICE_PRINCIPAL,
  GITHUB_APP,
  AZDO_APP,
];

export function findPrincipal(objectId: string): Principal | undefined {
  return KNOWN_PRINCIPALS.find((p) => p.objectId === objectId);
}

/** The principal of an app (client) id, case-insensitively (Entra compares GUIDs that way). */
export function findByClientId(clientId: string): Principal | undefined {
  return KNOWN_PRINCIPALS.find((p) => p.appId.toLowerCase() === clientId.toLowerCase());
}

/** The managed identity a token request asks for: system-assigned (no selector) or by client/object/resource id. */
export function findManagedIdentity(
  selector: {
    clientId?: string;
    objectId?: string;
    resourceId?: string;
  },
  extra: readonly Principal[] = [],
): Principal | undefined {
  const mis = [...KNOWN_PRINCIPALS, ...extra].filter((p) => p.kind === 'managedIdentity');
  if (selector.clientId) return mis.find((p) => p.appId.toLowerCase() === selector.clientId!.toLowerCase());
  if (selector.objectId) return mis.find((p) => p.objectId.toLowerCase() === selector.objectId!.toLowerCase());
  if (selector.resourceId) return mis.find((p) => p.resourceId?.toLowerCase() === selector.resourceId!.toLowerCase());
  return DEFAULT_MANAGED_IDENTITY;
}

/** How Key Vault names a caller in its 403 messages ("appid=…;oid=…;iss=…"). */
export function callerString(p: { appId: string; objectId: string; tenantId: string }): string {
  return `appid=${p.appId};oid=${p.objectId};iss=${tokenIssuer(p.tenantId)}`;
}

/**
 * A vault's resource id in the form Key Vault and Azure ML print it (lower-case `resourcegroups` and
 * provider; see the workspace `keyVault` property in MicrosoftDocs/azure-docs#53793). Vaults made with
 * `--vault` live in the default subscription and resource group; a workspace's vault lives in the
 * workspace's (workspaces.ts).
 */
export function vaultResourceId(
  vault: string,
  subscriptionId = SUBSCRIPTION_ID,
  resourceGroup = RESOURCE_GROUP,
): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.keyvault/vaults/${vault.toLowerCase()}`;
}
