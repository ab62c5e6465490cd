// What the Resource Manager route modules share: their dependencies, a reply with a status, and the
// checks every route makes in ARM's order (api-version → subscription → authorization → resource group).
import type { KeyObject } from 'node:crypto';
import type { AccessState } from '../access/access-state.js';
import type { ArmWorkspace } from './aml-plan.js';
import type { Group } from '../entra/groups.js';
import type { ArmCompute, IdentityRegistry } from './aml-resources.js';
import type { ArmOnlineEndpoint } from './online-endpoints.js';
import * as armErrors from './errors.js';
import type { Cloud } from '../common/clouds.js';
import type { Directory } from '../entra/directory.js';
import { LOCATION } from '../entra/identities.js';
import type { Logger } from '../common/logger.js';
import type { RequestLog } from '../common/request-log.js';
import type { Vault } from '../keyvault/vault.js';

export interface ArmDeps {
  log: RequestLog;
  logger: Logger;
  tokenPublicKey: KeyObject;
  cloud: Cloud;
  directory: Directory;
  workspaces: readonly ArmWorkspace[];
  vaults: ReadonlyMap<string, Vault>;
  /** When the emulator started: when its resources were made (systemData, a compute's createdOn). */
  startedAt: Date;
  access: AccessState;
  computes: readonly ArmCompute[];
  /** `--online-endpoint`s; their deployments change with PUT and DELETE. */
  onlineEndpoints: readonly ArmOnlineEndpoint[];
  identities: IdentityRegistry;
  groups: readonly Group[];
}

/** A response other than 200 with a body (201, 204, …). */
export class ArmReply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The subscription a scope lies in (undefined for '' and other scopes above subscriptions). */
export const subscriptionOf = (scope: string) =>
  same(scope.split('/')[1] ?? '', 'subscriptions') ? scope.split('/')[2] : undefined;

const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

export function checkApiVersion(query: URLSearchParams, versions: readonly string[], type: string): string {
  const apiVersion = query.get('api-version');
  if (!apiVersion) throw armErrors.missingApiVersion();
  if (!versions.includes(apiVersion)) {
    if (!API_VERSION_SHAPE.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion, versions);
    throw armErrors.noRegisteredProvider(LOCATION, apiVersion, type, versions);
  }
  return apiVersion;
}

export function knownSubscription(deps: ArmDeps, subscriptionId: string): boolean {
  return deps.access.subscriptions().some((s) => same(s, subscriptionId));
}

export function resourceGroupExists(deps: ArmDeps, subscriptionId: string, resourceGroup: string): boolean {
  const sub = subscriptionId.toLowerCase();
  return (
    deps.workspaces.some((w) => w.subscriptionId.toLowerCase() === sub && same(w.resourceGroup, resourceGroup)) ||
    [...deps.vaults.values()].some(
      (v) => v.subscriptionId.toLowerCase() === sub && same(v.resourceGroup, resourceGroup),
    ) ||
    deps.identities
      .allUserAssigned()
      .some((u) => u.subscriptionId.toLowerCase() === sub && same(u.resourceGroup, resourceGroup))
  );
}

/**
 * Subscription, then the caller's right (an action at the scope, from the role assignments), then the
 * resource group: ARM's order, so a caller without a role learns nothing about what exists.
 */
export function checkScope(
  deps: ArmDeps,
  objectId: string,
  scope: string,
  action: string,
  denied: (objectId: string, action: string, scope: string) => armErrors.ArmError = armErrors.authorizationFailed,
): void {
  const s = scope.split('/');
  if (!same(s[1] ?? '', 'subscriptions') || !s[2]) throw armErrors.unknownPath(scope);
  if (!knownSubscription(deps, s[2])) throw armErrors.subscriptionNotFound(s[2]);
  if (!deps.access.allowsArm(objectId, action, scope)) throw denied(objectId, action, scope);
  if (s.length > 4 && same(s[3]!, 'resourceGroups') && !resourceGroupExists(deps, s[2], s[4]!))
    throw armErrors.resourceGroupNotFound(s[4]!);
}

export function parseJsonBody(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) throw armErrors.invalidRequestContent('the request body is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw armErrors.invalidRequestContent((err as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw armErrors.invalidRequestContent('the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}
