// Resource Manager response bodies: workspaces (with hubs and projects), vaults, computes and
// user-assigned identities, shaped like the azure-rest-api-specs definitions and examples of the api-versions the
// product calls (Microsoft.MachineLearningServices stable/2025-06-01 Workspace/get.json and
// Compute/get/AmlCompute.json; Microsoft.KeyVault stable/2024-11-01 getVault.json; Microsoft.ManagedIdentity
// 2023-01-31); test/emulator/arm/arm-spec.test.ts holds them to those schemas (test/specs/). `identity` sits at the
// top level, next to `properties`; no field the schemas lack (a workspace has no creationTime).
import { vaultArmId } from '../access/access-state.js';
import type { AccessState } from '../access/access-state.js';
import { computeResourceId, workspaceResourceId } from './aml-plan.js';
import type { ArmWorkspace } from './aml-plan.js';
import { stableGuid } from '../common/guids.js';
import { armIdentityBody } from './aml-resources.js';
import type { ArmCompute, UserAssignedIdentity } from './aml-resources.js';
import { LOCATION, TENANT_ID } from '../entra/identities.js';
import type { Vault } from '../keyvault/vault.js';

export function workspaceBody(w: ArmWorkspace, startedAt: Date, spacedIdentityType = false): unknown {
  const rgLower = `/subscriptions/${w.subscriptionId}/resourcegroups/${w.resourceGroup.toLowerCase()}`;
  const short = w.name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12);
  const suffix = stableGuid(`${w.subscriptionId}/${w.resourceGroup}/${w.name}`).replace(/-/g, '').slice(0, 8);
  const identity = armIdentityBody(w.identity, spacedIdentityType);
  const primary = w.identity.user[0];
  // A project names no vault of its own (it uses its hub's); a hub with a Microsoft-managed vault has `keyVault: null`.
  const keyVault = w.kind === 'Project' ? {} : { keyVault: w.managedVault ? null : w.keyVaultId };
  return {
    id: workspaceResourceId(w),
    name: w.name,
    type: 'Microsoft.MachineLearningServices/workspaces',
    location: LOCATION,
    tags: {},
    kind: w.kind,
    sku: { name: 'Basic', tier: 'Basic' },
    systemData: systemData(startedAt),
    ...(identity ? { identity } : {}),
    properties: {
      friendlyName: w.name,
      description: '',
      workspaceId: stableGuid(`ws/${w.subscriptionId}/${w.resourceGroup}/${w.name}`),
      ...keyVault,
      ...(w.hub ? { hubResourceId: workspaceResourceId(w.hub) } : {}),
      ...(primary ? { primaryUserAssignedIdentity: primary.resourceId } : {}),
      ...(w.kind === 'Default'
        ? {
            storageAccount: `${rgLower}/providers/microsoft.storage/storageaccounts/${short}${suffix}`,
            applicationInsights: `${rgLower}/providers/microsoft.insights/components/${short}${suffix}`,
          }
        : {}),
      containerRegistry: null,
      discoveryUrl: `https://${LOCATION}.api.azureml.ms/discovery`,
      hbiWorkspace: false,
      privateLinkCount: 0,
      ...(w.kind !== 'Default' ? { enableDataIsolation: true } : {}),
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
      v1LegacyMode: false,
      tenantId: TENANT_ID,
    },
  };
}

/**
 * Who made a resource and when (common-types SystemData): the emulator made those of the flags when it
 * started; a resource made by a PUT (an online deployment) was last modified at `modified`.
 */
export function systemData(at: Date, modified = at) {
  return {
    createdBy: 'emulator@contoso.example',
    createdByType: 'User',
    createdAt: at.toISOString(),
    lastModifiedBy: 'emulator@contoso.example',
    lastModifiedByType: 'User',
    lastModifiedAt: modified.toISOString(),
  };
}

export function vaultBody(v: Vault, access: AccessState, startedAt: Date): unknown {
  const s = v.behaviour.settings;
  return {
    id: vaultArmId(v),
    name: v.name,
    type: 'Microsoft.KeyVault/vaults',
    location: LOCATION,
    tags: {},
    systemData: systemData(startedAt),
    properties: {
      sku: { family: 'A', name: 'standard' },
      tenantId: TENANT_ID,
      accessPolicies: access.accessPolicies(v),
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: s.vaultPermissions === 'rbac',
      ...(s.purgeProtection ? { enablePurgeProtection: true } : {}),
      vaultUri: s.reportedVaultUri ?? `${v.url}/`,
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: s.firewall === 'deny' ? 'Deny' : 'Allow',
        ipRules: [],
        virtualNetworkRules: [],
      },
      provisioningState: 'Succeeded',
      publicNetworkAccess: s.publicNetworkAccess,
    },
  };
}

/** A compute (Compute/get/AmlCompute.json); no `identity` property when it has none. */
export function computeBody(c: ArmCompute, startedAt: Date): unknown {
  const identity = armIdentityBody(c.identity);
  return {
    id: computeResourceId(c),
    name: c.name,
    type: 'Microsoft.MachineLearningServices/workspaces/computes',
    location: LOCATION,
    tags: {},
    ...(identity ? { identity } : {}),
    properties: {
      computeType: 'AmlCompute',
      computeLocation: LOCATION,
      description: null,
      createdOn: startedAt.toISOString(),
      modifiedOn: startedAt.toISOString(),
      resourceId: null,
      provisioningErrors: null,
      provisioningState: 'Succeeded',
      isAttachedCompute: false,
      disableLocalAuth: true,
      properties: {
        vmSize: 'STANDARD_DS3_V2',
        vmPriority: 'Dedicated',
        osType: 'Linux',
        scaleSettings: { maxNodeCount: 4, minNodeCount: 0, nodeIdleTimeBeforeScaleDown: 'PT120S' },
        remoteLoginPortPublicAccess: 'NotSpecified',
        allocationState: 'Steady',
        allocationStateTransitionTime: startedAt.toISOString(),
        currentNodeCount: 0,
        targetNodeCount: 0,
        nodeStateCounts: {
          idleNodeCount: 0,
          runningNodeCount: 0,
          preparingNodeCount: 0,
          unusableNodeCount: 0,
          leavingNodeCount: 0,
          preemptedNodeCount: 0,
        },
      },
    },
  };
}

export function userAssignedIdentityBody(u: UserAssignedIdentity): unknown {
  return {
    id: u.resourceId,
    name: u.name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    location: LOCATION,
    tags: {},
    properties: { tenantId: TENANT_ID, principalId: u.principal.objectId, clientId: u.principal.appId },
  };
}
