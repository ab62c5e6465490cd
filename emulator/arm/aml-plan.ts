// From the start flags to the Azure ML resources Resource Manager serves: workspaces (with their
// vaults, created or reused), hubs and projects, computes, and every managed identity among them.
import { stableGuid } from '../common/guids.js';
import { parseGroupSpecs } from '../entra/groups.js';
import type { Group } from '../entra/groups.js';
import {
  IdentityRegistry,
  parseComputeSpec,
  parseHubSpec,
  parseIdentitySpec,
  parseProjectSpec,
  parseWorkspaceIdentitySpec,
} from './aml-resources.js';
import type { ArmCompute, HubOrProjectSpec, ResourceIdentity, WorkspaceKind } from './aml-resources.js';
import { describeIdentity } from './aml-resources.js';
import { vaultResourceId } from '../entra/identities.js';
import type { SettingsPatch } from '../keyvault/vault-config.js';
import { Vault } from '../keyvault/vault.js';
import { parseWorkspaceSpec, workspaceKey } from './workspaces.js';
import type { WorkspaceSpec } from './workspaces.js';
import { onlineEndpointKey, onlineEndpointResourceId, planOnlineEndpoints } from './online-endpoints.js';
import type { ArmOnlineEndpoint } from './online-endpoints.js';

export interface ArmWorkspace extends WorkspaceSpec {
  /** The vault's resource id as the workspace reports it (also for a deleted vault); "" when it has none. */
  keyVaultId: string;
  /** The live vault, absent when it was deleted (`=-`), Microsoft-managed, or the workspace is a project. */
  vault?: Vault;
  kind: WorkspaceKind;
  identity: ResourceIdentity;
  /** A hub whose vault is Microsoft-managed (`keyVault: null`). */
  managedVault?: boolean;
  /** A project's hub. */
  hub?: ArmWorkspace;
}

export interface AmlPlanInput {
  /** `--workspace` specs: SUB/RG/NAME[=VAULT|=-] or NAME[=…] (workspaces.ts). */
  workspaces?: string[];
  /** `--hub`, `--project`, `--compute`, `--workspace-identity` specs (aml-resources.ts). */
  hubs?: string[];
  projects?: string[];
  computes?: string[];
  workspaceIdentities?: string[];
  /** `--group NAME=MEMBER[,MEMBER…]` specs: security groups of the directory. */
  groups?: string[];
  /** `--identity SUB/RG/NAME`: user-assigned identities attached to nothing. */
  userIdentities?: string[];
  /** `--online-endpoint SUB/RG/WS/NAME[=…]` specs (online-endpoints.ts). */
  onlineEndpoints?: string[];
}

export interface AmlPlan {
  workspaces: ArmWorkspace[];
  computes: ArmCompute[];
  onlineEndpoints: ArmOnlineEndpoint[];
  identities: IdentityRegistry;
  groups: Group[];
}

export const workspaceResourceId = (w: Pick<WorkspaceSpec, 'subscriptionId' | 'resourceGroup' | 'name'>) =>
  `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${w.name}`;

export const computeResourceId = (c: ArmCompute) =>
  `${workspaceResourceId({ subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup, name: c.workspace })}/computes/${c.name}`;

/**
 * Each workspace's vault: reused when a vault of that name exists (vault names are global in Azure),
 * else created in the workspace's subscription and resource group. A deleted vault (`=-`) is only named.
 */
export function planAml(input: AmlPlanInput, vaults: Map<string, Vault>, settings: SettingsPatch): AmlPlan {
  const identities = new IdentityRegistry();
  const specs: (WorkspaceSpec | HubOrProjectSpec)[] = [
    ...(input.workspaces ?? []).map((w) => parseWorkspaceSpec(w)),
    ...(input.hubs ?? []).map(parseHubSpec),
    ...(input.projects ?? []).map(parseProjectSpec),
  ];
  const seen = new Set<string>();
  const byName = (name: string) => [...vaults.values()].find((v) => v.name.toLowerCase() === name.toLowerCase());
  const planned: ArmWorkspace[] = [];
  for (const spec of specs) {
    const key = workspaceKey(spec).toLowerCase();
    if (seen.has(key)) {
      const flag = 'kind' in spec ? (spec.kind === 'Hub' ? '--hub' : '--project') : '--workspace';
      throw new Error(`duplicate ${flag} "${workspaceKey(spec)}" (workspaces, hubs and projects share names)`);
    }
    seen.add(key);
    const kind: WorkspaceKind = 'kind' in spec ? spec.kind : 'Default';
    const id = workspaceResourceId(spec);
    const identity: ResourceIdentity = {
      system: identities.systemAssigned(`ws/${key}`, spec.name, id, stableGuid(`ws-identity/${spec.name}`)),
      user: [],
    };
    const { hubRef: _hubRef, managedVault: _managed, ...plain } = spec as HubOrProjectSpec;
    const base = { ...plain, kind, identity };
    if ('managedVault' in spec && spec.managedVault) {
      planned.push({ ...base, keyVaultId: '', managedVault: true });
      continue;
    }
    if (kind === 'Project') {
      planned.push({ ...base, keyVaultId: '' });
      continue;
    }
    if (!spec.vaultExists) {
      planned.push({ ...base, keyVaultId: vaultResourceId(spec.vaultName, spec.subscriptionId, spec.resourceGroup) });
      continue;
    }
    let vault = byName(spec.vaultName);
    if (!vault) {
      vault = new Vault(spec.vaultName, settings, spec.subscriptionId, spec.resourceGroup);
      vaults.set(spec.vaultName, vault);
    }
    planned.push({ ...base, keyVaultId: vault.resourceId, vault });
  }
  for (const w of planned.filter((p) => !p.vault && p.kind !== 'Project' && !p.managedVault)) {
    if (byName(w.vaultName))
      throw new Error(
        `--workspace ${workspaceKey(w)}=-: a vault named "${w.vaultName}" exists; a deleted vault needs a name no live vault uses`,
      );
  }
  const find = (sub: string, rg: string, name: string) =>
    planned.find((w) => workspaceKey(w).toLowerCase() === `${sub}/${rg}/${name}`.toLowerCase());
  for (const p of planned.filter((w) => w.kind === 'Project')) {
    const h = (specs.find((s) => workspaceKey(s) === workspaceKey(p)) as HubOrProjectSpec).hubRef!;
    const hub = find(h.subscriptionId, h.resourceGroup, h.name);
    if (!hub || hub.kind !== 'Hub')
      throw new Error(
        `--project ${workspaceKey(p)}: its hub ${h.subscriptionId}/${h.resourceGroup}/${h.name} is not a --hub`,
      );
    p.hub = hub;
  }
  for (const spec of input.workspaceIdentities ?? []) {
    const { key, identities: refs } = parseWorkspaceIdentitySpec(spec);
    const w = planned.find((p) => workspaceKey(p).toLowerCase() === key);
    if (!w) throw new Error(`--workspace-identity ${spec}: no --workspace, --hub or --project ${key}`);
    for (const ref of refs) w.identity.user.push(identities.userAssigned(ref, w.subscriptionId, w.resourceGroup));
  }

  for (const spec of input.userIdentities ?? []) {
    const [sub, rg, name] = parseIdentitySpec(spec);
    identities.userAssigned(name, sub, rg);
  }

  const computes: ArmCompute[] = [];
  const computeKeys = new Set<string>();
  for (const spec of (input.computes ?? []).map(parseComputeSpec)) {
    const ws = find(spec.subscriptionId, spec.resourceGroup, spec.workspace);
    if (!ws)
      throw new Error(
        `--compute ${spec.subscriptionId}/${spec.resourceGroup}/${spec.workspace}/${spec.name}: no such --workspace`,
      );
    const key = `${workspaceKey(ws)}/${spec.name}`.toLowerCase();
    if (computeKeys.has(key)) throw new Error(`duplicate --compute "${key}"`);
    computeKeys.add(key);
    const c: ArmCompute = { ...spec, resourceGroup: ws.resourceGroup, workspace: ws.name, identity: { user: [] } };
    if (spec.mode === 'system')
      c.identity.system = identities.systemAssigned(
        `compute/${key}`,
        `/${ws.name}/computes/${spec.name}`,
        computeResourceId(c),
      );
    for (const ref of spec.userIdentities)
      c.identity.user.push(identities.userAssigned(ref, ws.subscriptionId, ws.resourceGroup));
    computes.push(c);
  }
  const onlineEndpoints = planOnlineEndpoints(input.onlineEndpoints ?? [], planned, identities);
  const resolve = (member: string): string[] | undefined => {
    const [kind, ref] = [member.slice(0, member.indexOf(':')), member.slice(member.indexOf(':') + 1)];
    const ids = (i: ResourceIdentity) =>
      [...(i.system ? [i.system] : []), ...i.user.map((u) => u.principal)].map((p) => p.objectId);
    if (kind === 'compute') {
      const c = computes.find((x) => computeKey(x).toLowerCase() === ref.toLowerCase());
      return c ? ids(c.identity) : undefined;
    }
    if (kind === 'endpoint') {
      const e = onlineEndpoints.find((x) => onlineEndpointKey(x).toLowerCase() === ref.toLowerCase());
      return e ? ids(e.identity) : undefined;
    }
    if (kind === 'workspace') {
      const w = planned.find((x) => workspaceKey(x).toLowerCase() === ref.toLowerCase());
      return w ? ids(w.identity) : undefined;
    }
    const uai = identities.allUserAssigned().find((u) => same(u.resourceId, ref) || same(u.name, ref));
    return uai ? [uai.principal.objectId] : undefined;
  };
  const groups = parseGroupSpecs(input.groups ?? [], resolve);
  return { workspaces: planned, computes, onlineEndpoints, identities, groups };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The JSON line's key for a compute: SUB/RG/WS/NAME. */
export const computeKey = (c: ArmCompute) => `${c.subscriptionId}/${c.resourceGroup}/${c.workspace}/${c.name}`;

export type IdentityInfo = ReturnType<typeof describeIdentity>;

export interface WorkspaceInfo {
  vaultUrl: string;
  keyVaultId: string;
  id: string;
  kind: WorkspaceKind;
  identity: IdentityInfo;
  hubResourceId?: string;
  managedVault?: boolean;
}

/** The start line's view of the plan. */
export interface AmlStartInfo {
  /**
   * Keyed SUB/RG/NAME (hubs and projects too); vaultUrl "" when the workspace's vault was deleted (`=-`)
   * or is Microsoft-managed; a project shows its hub's vault.
   */
  workspaces: Record<string, WorkspaceInfo>;
  /** Keyed SUB/RG/WS/NAME. */
  computes: Record<string, { id: string; identity: IdentityInfo }>;
  /** `--online-endpoint`s, keyed SUB/RG/WS/NAME, with their identities as computes list theirs. */
  onlineEndpoints: Record<string, { id: string; identity: IdentityInfo }>;
  /** `--group`s by name: their object ids and members' object ids. */
  groups: Record<string, { objectId: string; members: string[] }>;
  /** Every user-assigned identity (of computes, workspaces and `--identity`), by resource id. */
  userAssignedIdentities: Record<string, { principalId: string; clientId: string }>;
}

export function describeAml(plan: AmlPlan): AmlStartInfo {
  const workspace = (w: ArmWorkspace): WorkspaceInfo => {
    const vault = w.kind === 'Project' ? w.hub?.vault : w.vault;
    return {
      vaultUrl: vault?.url ?? '',
      keyVaultId: w.kind === 'Project' ? (w.hub?.keyVaultId ?? '') : w.keyVaultId,
      id: workspaceResourceId(w),
      kind: w.kind,
      identity: describeIdentity(w.identity),
      ...(w.hub ? { hubResourceId: workspaceResourceId(w.hub) } : {}),
      ...(w.managedVault ? { managedVault: true } : {}),
    };
  };
  return {
    workspaces: Object.fromEntries(plan.workspaces.map((w) => [workspaceKey(w), workspace(w)])),
    computes: Object.fromEntries(
      plan.computes.map((c) => [computeKey(c), { id: computeResourceId(c), identity: describeIdentity(c.identity) }]),
    ),
    onlineEndpoints: Object.fromEntries(
      plan.onlineEndpoints.map((e) => [
        onlineEndpointKey(e),
        { id: onlineEndpointResourceId(e), identity: describeIdentity(e.identity) },
      ]),
    ),
    groups: Object.fromEntries(plan.groups.map((g) => [g.name, { objectId: g.objectId, members: g.members }])),
    userAssignedIdentities: Object.fromEntries(
      plan.identities
        .allUserAssigned()
        .map((u) => [u.resourceId, { principalId: u.principal.objectId, clientId: u.principal.appId }]),
    ),
  };
}
