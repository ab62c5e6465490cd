// The readers check of one target, after its secrets are written: for each identity of each reader line, can it get
// every pushed secret? The vault's resource says the model (properties.enableRbacAuthorization: true is RBAC; false
// or missing, access policies). RBAC: the role assignments that apply (assignedTo, which includes groups) and their
// roles; access policies: the vault's entries. What is missing is granted when asked (grant.ts), or named with the fix.
import type { ArmClient } from '../targets/workspace-vault.js';
import type { Logger } from '../common/ports.js';
import { AUTHORIZATION_API_VERSION } from './facts.js';
import { evaluateRbac, scopeReach, type RoleAssignment, type RoleDefinition } from './rbac-evaluation.js';
import { policyReads } from './access-policies.js';
import { fixCommand } from './fixes.js';
import { injectionNeedsRbac } from './injection-fix.js';
import { readDeploymentPins } from './deployment-pins.js';
import { grantRead } from './grant.js';
import { resolveReader } from './resolve-identities.js';
import type { ResolvedIdentity, WorkspaceContext } from './identity-blocks.js';
import { findVaultResource, networkNotes } from './vault-resource.js';
import type { RoleDefinitions } from './role-definitions.js';
import type { IdentityVerdict, ReaderVerdict, ReadersReport, ReadStatus } from './types.js';
import type { ReadersRequest } from '../inputs/readers-request.js';

export interface CheckTarget {
  display: string;
  vaultUrl: string;
  /** From the workspace lookup: the vault's id, and its resource when it could be read. */
  vaultId?: string;
  vault?: Record<string, unknown>;
  workspace?: WorkspaceContext;
  /** This run's secrets by lower-case name, with the version the vault holds now (for the deployments' pins). */
  run?: ReadonlyMap<string, { name: string; version?: string }>;
  /** The vault's live secret names (a listing, no values): asked only when a deployment references another secret. */
  listNames?: () => Promise<string[]>;
}

export interface CheckDeps {
  arm: ArmClient;
  roles: RoleDefinitions;
  logger: Logger;
  dryRun: boolean;
}

const MAX_PAGES = 10;

export async function checkReaders(
  request: ReadersRequest,
  target: CheckTarget,
  secrets: readonly string[],
  deps: CheckDeps,
): Promise<ReadersReport> {
  const base = { missing: request.missing, stale: request.stale, dryRun: deps.dryRun };
  let vaultId = target.vaultId;
  let vault = target.vault;
  let cannot: string | undefined;
  if (vault === undefined && vaultId === undefined) {
    const found = await findVaultResource(target.vaultUrl, deps.arm);
    if ('unknown' in found) cannot = found.unknown;
    else ({ vaultId, vault } = found);
  } else if (vault === undefined) {
    cannot = `no right to read the vault's resource ${vaultId} (it needs Reader on the vault)`;
  }
  const verdicts: Record<string, ReaderVerdict> = {};
  if (cannot !== undefined || vault === undefined || vaultId === undefined) {
    for (const line of request.lines)
      verdicts[line.line] = { status: 'unknown', identities: [], reason: cannot ?? 'the vault was not found' };
    return { ...base, verdicts, notes: [] };
  }
  const props = (vault.properties ?? {}) as Record<string, unknown>;
  const model = props.enableRbacAuthorization === true ? 'rbac' : 'policies';
  const tenantId = typeof props.tenantId === 'string' ? props.tenantId : undefined;
  const v = { vaultId, model, tenantId, policies: props.accessPolicies } as const;

  for (const line of request.lines) {
    const resolved = await resolveReader(line, deps.arm, target.workspace);
    // A reader that does not exist cannot read: missing, and no grant can change that.
    if ('absent' in resolved) {
      verdicts[line.line] = { status: 'missing', identities: [], reason: resolved.absent };
      continue;
    }
    let verdict: ReaderVerdict;
    if ('unknown' in resolved) verdict = { status: 'unknown', identities: [], reason: resolved.unknown };
    else {
      const identities: IdentityVerdict[] = [];
      for (const identity of resolved.identities) {
        // Secret injection reads RBAC vaults only: an access policy is no use to an endpoint, so none is granted.
        identities.push(
          line.kind === 'endpoint' && v.model === 'policies'
            ? injectionNeedsRbac(identity, v.vaultId, v.policies)
            : await checkIdentity(identity, v, secrets, request.grant, deps),
        );
      }
      verdict = combine(identities);
    }
    if (line.kind === 'endpoint' && request.stale !== 'ignore' && target.workspace) {
      verdict.deployments = await readDeploymentPins(
        line.name,
        target.workspace,
        deps.arm,
        { vaultUrl: target.vaultUrl, run: target.run ?? new Map() },
        target.listNames ?? (() => Promise.reject(new Error('no listing of the vault was given'))),
      );
    }
    verdicts[line.line] = verdict;
  }
  return { ...base, verdicts, notes: networkNotes(vault) };
}

interface VaultModel {
  vaultId: string;
  model: 'rbac' | 'policies';
  tenantId: string | undefined;
  policies: unknown;
}

async function checkIdentity(
  identity: ResolvedIdentity,
  v: VaultModel,
  secrets: readonly string[],
  grant: boolean,
  deps: CheckDeps,
): Promise<IdentityVerdict> {
  const who = { principalId: identity.principalId, ...(identity.clientId && { clientId: identity.clientId }) };
  let status: 'reads' | 'missing' | 'unknown';
  let via: string | undefined;
  let reason: string | undefined;
  if (v.model === 'rbac') {
    const verdict = await rbacVerdict(identity.principalId, v.vaultId, secrets, deps);
    ({ status } = verdict);
    via = verdict.via;
    reason = verdict.reason;
  } else if (policyReads(v.policies, identity.principalId)) {
    status = 'reads';
    via = 'access policy';
  } else {
    status = 'missing';
    reason = 'no access policy with secrets get for it';
  }
  if (status === 'reads') return { ...who, status, ...(via && { via }) };
  if (status === 'unknown') return { ...who, status, ...(reason && { reason }) };
  const fix = fixCommand(v.model, identity.principalId, identity.principalType, v.vaultId);
  if (!grant) return { ...who, status: 'missing', reason: `${reason}; to let it read, run: ${fix}` };
  if (deps.dryRun) {
    const what =
      v.model === 'rbac' ? `Key Vault Secrets User at ${v.vaultId}` : 'an access policy with secrets get, list';
    return { ...who, status: 'missing', reason: `${reason}; dry run: would grant ${what} (nothing granted)` };
  }
  const granted = await grantRead(deps.arm, v.model, v.vaultId, v.tenantId, identity);
  if (granted.status === 'granted') {
    deps.logger.info(`Granted ${identity.what} ${identity.principalId} read access: ${granted.via}`);
    return { ...who, status: 'granted', via: granted.via };
  }
  return { ...who, status: 'missing', reason: `${reason}; ${granted.reason}` };
}

async function rbacVerdict(
  principalId: string,
  vaultId: string,
  secrets: readonly string[],
  deps: CheckDeps,
): Promise<{ status: 'reads' | 'missing' | 'unknown'; via?: string; reason?: string }> {
  const path = `${vaultId}/providers/Microsoft.Authorization/roleAssignments`;
  let r = await deps.arm.get(path, AUTHORIZATION_API_VERSION, { $filter: `assignedTo('${principalId}')` });
  // assignedTo takes users and service principals; for a group's object id, its own assignments.
  if (r.status === 400)
    r = await deps.arm.get(path, AUTHORIZATION_API_VERSION, { $filter: `principalId eq '${principalId}'` });
  const assignments: RoleAssignment[] = [];
  for (let page = 0; ; page++) {
    if (r.status === 403)
      return {
        status: 'unknown',
        reason: `no right to read the vault's role assignments (403 ${r.code ?? 'AuthorizationFailed'}; Reader on the vault has Microsoft.Authorization/roleAssignments/read)`,
      };
    if (r.status !== 200)
      return {
        status: 'unknown',
        reason: `Resource Manager answered ${r.status} ${r.code ?? ''} listing the role assignments`,
      };
    for (const item of Array.isArray(r.body?.value)
      ? (r.body.value as { properties?: Record<string, unknown> }[])
      : []) {
      const p = item?.properties ?? {};
      if (typeof p.roleDefinitionId !== 'string' || typeof p.scope !== 'string') continue;
      if (scopeReach(p.scope, vaultId) === undefined) continue;
      assignments.push({
        roleDefinitionId: p.roleDefinitionId,
        scope: p.scope,
        ...(typeof p.condition === 'string' && p.condition !== '' && { condition: p.condition }),
      });
    }
    const next = r.body?.nextLink;
    if (typeof next !== 'string' || page + 1 >= MAX_PAGES) break;
    r = await deps.arm.next(next);
  }
  const roles = new Map<string, RoleDefinition>();
  for (const a of assignments) {
    const role = await deps.roles.get(a.roleDefinitionId);
    if (role) roles.set(a.roleDefinitionId.split('/').at(-1)!.toLowerCase(), role);
  }
  return evaluateRbac({ vaultId, secrets, assignments, roles });
}

/** A line's verdict from its identities: missing over unknown over granted over reads. */
export function combine(identities: IdentityVerdict[]): ReaderVerdict {
  const rank: ReadStatus[] = ['missing', 'unknown', 'granted', 'reads'];
  const status = rank.find((s) => identities.some((i) => i.status === s)) ?? 'unknown';
  const reasons = identities.filter((i) => i.reason).map((i) => `${i.principalId}: ${i.reason}`);
  return { status, identities, ...(reasons.length > 0 && { reason: reasons.join('; ') }) };
}
