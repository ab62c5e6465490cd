// The Azure clouds the emulator can play (`--cloud`): what a resource server of that cloud accepts.
// Sources (see docs/keyvault.md §6 and docs/platforms.md §4.3):
// - Key Vault resource / audience and DNS suffix: MS Learn "Azure Key Vault keys, secrets and certificates
//   overview" (DNS suffixes); PowerShell AllEnvironments (`AzureKeyVaultServiceEndpointResourceId`
//   https://vault.azure.cn); az cloud JSON quoted in docker-archive/compose-cli#658.
// - Entra authority hosts: @azure/identity 4.x `AzureAuthorityHosts` (constants.js).
// - ARM endpoints: the same az cloud JSON (resourceManager / activeDirectoryResourceId, the
//   management.core.* form). ARM's accepted-audience list and its order are quoted verbatim in ARM's
//   InvalidAuthenticationTokenAudience message for the public cloud (JetBrains/azure-tools-for-intellij#16,
//   hashicorp/go-azure-helpers#51); the sovereign lists follow the same pattern (ours).

export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';
export const CLOUD_NAMES: readonly CloudName[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

export interface Cloud {
  name: CloudName;
  /** The real Entra authority host of the cloud (what the vault's challenge names; the emulator's own token endpoint is elsewhere). */
  authorityHost: string;
  /** The real ARM endpoint of the cloud. */
  armEndpoint: string;
  /** Audiences ARM accepts, in the order ARM lists them in InvalidAuthenticationTokenAudience. */
  armAudiences: readonly string[];
  /** Key Vault's resource: the challenge `resource` and the only audience a vault accepts (with or without '/'). */
  vaultResource: string;
  /** Vault DNS suffix in that cloud (reported for reference; emulated vaults live on localhost ports). */
  vaultDnsSuffix: string;
}

const armAudiences = (core: string, arm: string) => [`${core}/`, core, `${arm}/`, arm];

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    armAudiences: armAudiences('https://management.core.windows.net', 'https://management.azure.com'),
    vaultResource: 'https://vault.azure.net',
    vaultDnsSuffix: 'vault.azure.net',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armAudiences: armAudiences('https://management.core.usgovcloudapi.net', 'https://management.usgovcloudapi.net'),
    vaultResource: 'https://vault.usgovcloudapi.net',
    vaultDnsSuffix: 'vault.usgovcloudapi.net',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armAudiences: armAudiences('https://management.core.chinacloudapi.cn', 'https://management.chinacloudapi.cn'),
    vaultResource: 'https://vault.azure.cn',
    vaultDnsSuffix: 'vault.azure.cn',
  },
};

export const DEFAULT_CLOUD: CloudName = 'AzureCloud';

export function parseCloud(v: unknown): CloudName {
  const match = CLOUD_NAMES.find((c) => typeof v === 'string' && c.toLowerCase() === v.toLowerCase());
  if (!match) throw new Error(`invalid cloud "${String(v)}": expected ${CLOUD_NAMES.join(', ')}`);
  return match;
}
