// Azure ML workspaces for the emulator's ARM endpoint (`--workspace SUB/RG/NAME[=VAULT]`, repeatable):
// each names its default Key Vault by resource id (`properties.keyVault`), as a real workspace does.
//   SUB/RG/NAME        the vault is kv-NAME, created in SUB/RG (or reused if a vault of that name exists)
//   SUB/RG/NAME=VAULT  the vault is VAULT (created in SUB/RG or reused)
//   SUB/RG/NAME=-      the workspace names kv-NAME in SUB/RG, but that vault does not exist (deleted)
//   NAME[=…]           SUB/RG are the emulator's default subscription and resource group
// Name rules: subscription ids are GUIDs; resource groups 1–90 characters of letters, digits, '_', '-',
// '.', '(' and ')', not ending in '.'; workspaces 3–33 characters of letters, digits, '_' and '-',
// starting with a letter or digit (MS Learn "Naming rules and restrictions for Azure resources").
import { RESOURCE_GROUP, SUBSCRIPTION_ID } from '../entra/identities.js';
import { GUID_PATTERN } from '../common/guids.js';
import { VAULT_NAME_PATTERN } from '../common/limits.js';

const RESOURCE_GROUP_PATTERN = /^[-\w.()]{0,89}[-\w()]$/;
const WORKSPACE_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;

export interface WorkspaceSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** The vault the workspace names. */
  vaultName: string;
  /** false: the vault was deleted (`=-`). */
  vaultExists: boolean;
}

/** Throws Error with a message for the user. */
/** `flag` names the flag in messages (--hub, --project and --compute reuse these rules). */
export function parseWorkspaceSpec(spec: string, flag = '--workspace'): WorkspaceSpec {
  const eq = spec.indexOf('=');
  const path = eq >= 0 ? spec.slice(0, eq) : spec;
  const vaultPart = eq >= 0 ? spec.slice(eq + 1) : undefined;
  const parts = path.split('/');
  if (parts.length !== 1 && parts.length !== 3)
    throw new Error(`invalid ${flag} "${spec}": expected SUB/RG/NAME[=VAULT] or NAME[=VAULT]`);
  const [subscriptionId, resourceGroup, name] =
    parts.length === 3 ? (parts as [string, string, string]) : [SUBSCRIPTION_ID, RESOURCE_GROUP, parts[0]!];
  if (!GUID_PATTERN.test(subscriptionId))
    throw new Error(`invalid ${flag} "${spec}": the subscription id "${subscriptionId}" is not a GUID`);
  if (!RESOURCE_GROUP_PATTERN.test(resourceGroup))
    throw new Error(`invalid ${flag} "${spec}": "${resourceGroup}" is not a valid resource group name`);
  if (!WORKSPACE_PATTERN.test(name))
    throw new Error(
      `invalid ${flag} "${spec}": "${name}" is not a valid workspace name (3-33 letters, digits, '_' or '-')`,
    );
  const deleted = vaultPart === '-';
  const vaultName = vaultPart === undefined || deleted ? `kv-${name}` : vaultPart;
  if (!VAULT_NAME_PATTERN.test(vaultName))
    throw new Error(
      `invalid ${flag} "${spec}": "${vaultName}" is not a valid vault name (3-24 letters, digits and '-', starting with a letter); name the vault with =VAULT`,
    );
  return { subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name, vaultName, vaultExists: !deleted };
}

/** The JSON line's key for a workspace. */
export const workspaceKey = (w: Pick<WorkspaceSpec, 'subscriptionId' | 'resourceGroup' | 'name'>) =>
  `${w.subscriptionId}/${w.resourceGroup}/${w.name}`;
