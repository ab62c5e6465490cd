// The Azure ML resources the emulator's Resource Manager serves beyond plain workspaces, and their
// managed identities:
//   --compute SUB/RG/WS/NAME[=system|=user:IDENTITY[,IDENTITY…]|=none]   (WS/NAME: default SUB/RG)
//   --hub SUB/RG/NAME[=managed]              a hub workspace; =managed: a Microsoft-managed vault (no keyVault)
//   --project SUB/RG/NAME=HUB_SUB/HUB_RG/HUB_NAME   a project workspace that uses its hub's vault
//   --workspace-identity SUB/RG/NAME=IDENTITY[,IDENTITY…]   user-assigned identities of a workspace (hub, project)
// IDENTITY is a user-assigned identity's name (in the compute's or workspace's SUB/RG) or its resource id.
// Every identity is a principal of the emulator's directory with fixed ids derived from its resource
// path, so a restart gives the same ids; the managed-identity endpoint issues tokens for it by
// client_id, principal_id or mi_res_id, and it holds no role on any vault until one is assigned.
// Name rules (MS Learn "Naming rules and restrictions for Azure resources"): compute names 2–24
// letters, digits and '-', starting with a letter and not ending with '-'; user-assigned identities
// 3–128 letters, digits, '-' and '_', starting with a letter or digit.
import type { Principal } from '../entra/identities.js';
import { RESOURCE_GROUP, SUBSCRIPTION_ID, TENANT_ID } from '../entra/identities.js';
import { GUID_PATTERN, stableGuid } from '../common/guids.js';
import { parseWorkspaceSpec, workspaceKey } from './workspaces.js';
import type { WorkspaceSpec } from './workspaces.js';

const COMPUTE_PATTERN = /^[a-zA-Z](?:[a-zA-Z0-9-]{0,22}[a-zA-Z0-9])?$/;
const UAI_NAME_PATTERN = /^[a-zA-Z0-9][-\w]{2,127}$/;
const UAI_ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.managedidentity\/userassignedidentities\/([^/]+)$/i;

export interface UserAssignedIdentity {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** /subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME */
  resourceId: string;
  principal: Principal;
}

export type ComputeIdentityMode = 'system' | 'user' | 'none';

export interface ComputeSpec {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  name: string;
  mode: ComputeIdentityMode;
  /** `user:` identities as given (names or resource ids). */
  userIdentities: string[];
}

/** The identities of a workspace or a compute: system-assigned and/or user-assigned ones. */
export interface ResourceIdentity {
  system?: Principal;
  user: UserAssignedIdentity[];
}

export interface ArmCompute extends ComputeSpec {
  identity: ResourceIdentity;
}

export type WorkspaceKind = 'Default' | 'Hub' | 'Project';

export interface HubOrProjectSpec extends WorkspaceSpec {
  kind: 'Hub' | 'Project';
  /** A hub with a Microsoft-managed vault: its GET has `keyVault: null`. */
  managedVault?: boolean;
  /** A project's hub (SUB/RG/NAME). */
  hubRef?: { subscriptionId: string; resourceGroup: string; name: string };
}

export function splitPath(spec: string, flag: string, parts: number): string[] {
  const segs = spec.split('/');
  if (segs.length === parts) return segs;
  if (segs.length === parts - 2) return [SUBSCRIPTION_ID, RESOURCE_GROUP, ...segs];
  throw new Error(`invalid ${flag} "${spec}": expected ${parts === 4 ? 'SUB/RG/WS/NAME or WS/NAME' : 'SUB/RG/NAME'}`);
}

/** `--compute SUB/RG/WS/NAME[=system|=user:ID[,ID…]|=none]`. Throws Error with a message for the user. */
export function parseComputeSpec(spec: string): ComputeSpec {
  const eq = spec.indexOf('=');
  const path = eq >= 0 ? spec.slice(0, eq) : spec;
  const value = eq >= 0 ? spec.slice(eq + 1) : 'system';
  const [sub, rg, ws, name] = splitPath(path, '--compute', 4) as [string, string, string, string];
  // The workspace part is checked with the workspace rules.
  parseWorkspaceSpec(`${sub}/${rg}/${ws}`, `--compute "${spec}": workspace`);
  if (!COMPUTE_PATTERN.test(name))
    throw new Error(
      `invalid --compute "${spec}": "${name}" is not a valid compute name (2-24 letters, digits or '-', starting with a letter)`,
    );
  let mode: ComputeIdentityMode;
  let userIdentities: string[] = [];
  if (value === 'system' || value === 'none') mode = value;
  else if (value.startsWith('user:')) {
    mode = 'user';
    userIdentities = value.slice(5).split(',');
    for (const id of userIdentities) checkIdentityRef(id, `--compute "${spec}"`);
  } else throw new Error(`invalid --compute "${spec}": after '=' expected system, none or user:IDENTITY[,IDENTITY…]`);
  return { subscriptionId: sub.toLowerCase(), resourceGroup: rg, workspace: ws, name, mode, userIdentities };
}

export function checkIdentityRef(ref: string, where: string): void {
  if (ref.startsWith('/')) {
    const m = UAI_ID_PATTERN.exec(ref);
    if (!m || !GUID_PATTERN.test(m[1]!) || !UAI_NAME_PATTERN.test(m[3]!))
      throw new Error(`invalid ${where}: "${ref}" is not a user-assigned identity's resource id`);
  } else if (!UAI_NAME_PATTERN.test(ref))
    throw new Error(
      `invalid ${where}: "${ref}" is not a valid user-assigned identity name (3-128 letters, digits, '-', '_')`,
    );
}

/** `--identity SUB/RG/NAME`: a user-assigned identity on its own (for `identity:` readers). */
export function parseIdentitySpec(spec: string): [string, string, string] {
  const parts = spec.split('/');
  if (parts.length !== 3) throw new Error(`invalid --identity "${spec}": expected SUB/RG/NAME`);
  const [sub, rg, name] = parts as [string, string, string];
  parseWorkspaceSpec(`${sub}/${rg}/placeholder`, `--identity "${spec}": subscription or resource group`);
  checkIdentityRef(name, `--identity "${spec}"`);
  return [sub.toLowerCase(), rg, name];
}

/** `--hub SUB/RG/NAME[=managed]` (or `=VAULT`, as for --workspace). */
export function parseHubSpec(spec: string): HubOrProjectSpec {
  const managed = spec.endsWith('=managed');
  const ws = parseWorkspaceSpec(managed ? spec.slice(0, -'=managed'.length) : spec, '--hub');
  return managed ? { ...ws, kind: 'Hub', managedVault: true, vaultExists: false } : { ...ws, kind: 'Hub' };
}

/** `--project SUB/RG/NAME=HUB_SUB/HUB_RG/HUB_NAME`. */
export function parseProjectSpec(spec: string): HubOrProjectSpec {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`invalid --project "${spec}": expected SUB/RG/NAME=HUB_SUB/HUB_RG/HUB_NAME`);
  const ws = parseWorkspaceSpec(spec.slice(0, eq), '--project');
  const hub = parseWorkspaceSpec(spec.slice(eq + 1), '--project (hub)');
  return {
    ...ws,
    kind: 'Project',
    vaultExists: false,
    hubRef: { subscriptionId: hub.subscriptionId, resourceGroup: hub.resourceGroup, name: hub.name },
  };
}

/** `--workspace-identity SUB/RG/NAME=IDENTITY[,IDENTITY…]`. */
export function parseWorkspaceIdentitySpec(spec: string): { key: string; identities: string[] } {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`invalid --workspace-identity "${spec}": expected SUB/RG/NAME=IDENTITY[,IDENTITY…]`);
  const ws = parseWorkspaceSpec(spec.slice(0, eq), '--workspace-identity');
  const identities = spec.slice(eq + 1).split(',');
  for (const id of identities) checkIdentityRef(id, `--workspace-identity "${spec}"`);
  return { key: workspaceKey(ws).toLowerCase(), identities };
}

/** The directory's extra principals: every emulated managed identity, found by its ids. */
export class IdentityRegistry {
  private readonly uais = new Map<string, UserAssignedIdentity>();
  private readonly principals: Principal[] = [];

  /** A user-assigned identity by name (in SUB/RG) or resource id; the same one each time. */
  userAssigned(ref: string, subscriptionId: string, resourceGroup: string): UserAssignedIdentity {
    const m = UAI_ID_PATTERN.exec(ref);
    const [sub, rg, name] = m ? [m[1]!.toLowerCase(), m[2]!, m[3]!] : [subscriptionId, resourceGroup, ref];
    const resourceId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
    const key = resourceId.toLowerCase();
    let uai = this.uais.get(key);
    if (!uai) {
      const principal: Principal = {
        kind: 'managedIdentity',
        displayName: name,
        objectId: stableGuid(`uai/${key}`),
        appId: stableGuid(`uai-client/${key}`),
        tenantId: TENANT_ID,
        resourceId,
      };
      uai = { subscriptionId: sub, resourceGroup: rg, name, resourceId, principal };
      this.uais.set(key, uai);
      this.principals.push(principal);
    }
    return uai;
  }

  /** A system-assigned identity (of a workspace or a compute), named as Entra shows it. */
  systemAssigned(label: string, displayName: string, resourceId: string, objectId = stableGuid(label)): Principal {
    const principal: Principal = {
      kind: 'managedIdentity',
      displayName,
      objectId,
      appId: stableGuid(`client/${label}`),
      tenantId: TENANT_ID,
      resourceId,
    };
    this.principals.push(principal);
    return principal;
  }

  findUserAssigned(resourceId: string): UserAssignedIdentity | undefined {
    return this.uais.get(resourceId.toLowerCase());
  }

  allUserAssigned(): UserAssignedIdentity[] {
    return [...this.uais.values()];
  }

  all(): readonly Principal[] {
    return this.principals;
  }

  find(objectId: string): Principal | undefined {
    return this.principals.find((p) => p.objectId.toLowerCase() === objectId.toLowerCase());
  }
}

/** The JSON line's view of an identity block. */
export function describeIdentity(identity: ResourceIdentity): {
  type: string;
  principalId?: string;
  clientId?: string;
  identities: { principalId: string; clientId: string; resourceId?: string }[];
} {
  const type = armIdentityType(identity);
  return {
    type,
    ...(identity.system ? { principalId: identity.system.objectId, clientId: identity.system.appId } : {}),
    identities: [
      ...(identity.system ? [{ principalId: identity.system.objectId, clientId: identity.system.appId }] : []),
      ...identity.user.map((u) => ({
        principalId: u.principal.objectId,
        clientId: u.principal.appId,
        resourceId: u.resourceId,
      })),
    ],
  };
}

/**
 * `identity.type` as Resource Manager spells it: no space after the comma, as the workspace example
 * (`spaced`: "SystemAssigned, UserAssigned", as some SDKs and docs print it; admin config identityTypeWithSpace).
 */
export function armIdentityType(identity: ResourceIdentity, spaced = false): string {
  if (identity.system && identity.user.length > 0)
    return spaced ? 'SystemAssigned, UserAssigned' : 'SystemAssigned,UserAssigned';
  if (identity.system) return 'SystemAssigned';
  return identity.user.length > 0 ? 'UserAssigned' : 'None';
}

/** The top-level `identity` of a workspace or compute body; undefined for none (the property is absent). */
export function armIdentityBody(identity: ResourceIdentity, spaced = false): Record<string, unknown> | undefined {
  if (!identity.system && identity.user.length === 0) return undefined;
  return {
    type: armIdentityType(identity, spaced),
    ...(identity.system ? { principalId: identity.system.objectId, tenantId: TENANT_ID } : {}),
    ...(identity.user.length > 0
      ? {
          userAssignedIdentities: Object.fromEntries(
            identity.user.map((u) => [
              u.resourceId,
              { principalId: u.principal.objectId, clientId: u.principal.appId },
            ]),
          ),
        }
      : {}),
  };
}
