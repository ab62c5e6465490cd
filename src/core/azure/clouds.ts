// The Azure clouds: where to sign in, where Resource Manager is and which audience its tokens need,
// and the Key Vault DNS suffix. Sources: @azure/identity AzureAuthorityHosts (constants.js);
// learn.microsoft.com azure/key-vault/general/about-keys-secrets-certificates (DNS suffixes);
// the az CLI cloud definitions (Resource Manager endpoints). See docs/keyvault.md §6.
// The vault's own token audience is not listed: SecretClient learns it from the vault's 401 challenge.

export const CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  /** Entra ID (login) host, e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Resource Manager endpoint, without a trailing slash. */
  resourceManager: string;
  /** Resource Manager's token audience: the scope is `${audience}/.default`. */
  resourceManagerAudience: string;
  /** Key Vault DNS suffix: https://NAME.<suffix> */
  vaultDnsSuffix: string;
  /** Suffixes a vault may live under, the cloud's first, then those the user allows (allowed-vault-suffixes). */
  vaultSuffixes: readonly string[];
}

export const CLOUDS: Record<CloudName, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    resourceManager: 'https://management.azure.com',
    resourceManagerAudience: 'https://management.azure.com',
    vaultDnsSuffix: 'vault.azure.net',
    vaultSuffixes: ['vault.azure.net'],
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    resourceManager: 'https://management.usgovcloudapi.net',
    resourceManagerAudience: 'https://management.usgovcloudapi.net',
    vaultDnsSuffix: 'vault.usgovcloudapi.net',
    vaultSuffixes: ['vault.usgovcloudapi.net'],
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManager: 'https://management.chinacloudapi.cn',
    resourceManagerAudience: 'https://management.chinacloudapi.cn',
    vaultDnsSuffix: 'vault.azure.cn',
    vaultSuffixes: ['vault.azure.cn'],
  },
};

/** A cloud by its name, case-insensitively (Azure DevOps connections say e.g. "AzureCloud"). */
export function findCloud(name: string): Cloud | undefined {
  const wanted = name.trim().toLowerCase();
  return Object.values(CLOUDS).find((c) => c.name.toLowerCase() === wanted);
}

/**
 * A named cloud with endpoints overridden (Azure Stack, custom clouds, the local emulator). The
 * Resource Manager audience stays the named cloud's: the endpoint says where, the cloud says who.
 */
export function withOverrides(
  cloud: Cloud,
  overrides: { resourceManager?: string; authorityHost?: string; vaultSuffixes?: readonly string[] },
): Cloud {
  return {
    ...cloud,
    ...(overrides.vaultSuffixes && {
      vaultSuffixes: [...new Set([cloud.vaultDnsSuffix, ...overrides.vaultSuffixes])],
    }),
    ...(overrides.resourceManager && { resourceManager: overrides.resourceManager.replace(/\/+$/, '') }),
    ...(overrides.authorityHost && { authorityHost: overrides.authorityHost.replace(/\/+$/, '') }),
  };
}
