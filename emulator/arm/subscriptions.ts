// Microsoft.Resources subscriptions on the emulator's Resource Manager (Subscriptions_List and Subscriptions_Get,
// azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json,
// example GetSubscriptions.json):
//   GET /subscriptions?api-version=…        → { value: [subscription] }: those the caller holds a role in
//   GET /subscriptions/{id}?api-version=…   → the subscription, or 404 SubscriptionNotFound
// The emulator hosts the subscriptions its workspaces, vaults and identities are in. A caller holds a role in one when
// a role assignment of its own or of one of its groups is at, above or below the subscription.
import { within } from '../access/access-state.js';
import type { ArmDeps } from './context.js';
import { checkApiVersion, same } from './context.js';
import * as armErrors from './errors.js';
import { TENANT_ID } from '../entra/identities.js';

/** Stable api-versions of the subscriptions operations in azure-rest-api-specs (Microsoft.Resources stable/…). */
const SUBSCRIPTIONS_API_VERSIONS: readonly string[] = ['2016-06-01', '2020-01-01', '2021-01-01', '2022-12-01'];

/** undefined: not a subscriptions route. */
export function handleSubscriptions(
  deps: ArmDeps,
  objectId: string,
  method: string,
  segments: string[],
  query: URLSearchParams,
): unknown {
  const s = segments.filter((x) => x !== '');
  if (s.length < 1 || s.length > 2 || !same(s[0]!, 'subscriptions')) return undefined;
  if (method !== 'GET') throw armErrors.methodNotAllowed(method);
  checkApiVersion(query, SUBSCRIPTIONS_API_VERSIONS, 'subscriptions');
  const visible = visibleSubscriptions(deps, objectId);
  if (s.length === 1) return { value: visible.map(subscriptionBody) };
  const found = visible.find((id) => same(id, s[1]!));
  if (!found) throw armErrors.subscriptionNotFound(s[1]!);
  return subscriptionBody(found);
}

function visibleSubscriptions(deps: ArmDeps, objectId: string): string[] {
  const who = deps.access.identitiesOf(objectId);
  const mine = deps.access.assignments().filter((a) => who.has(a.principalId.toLowerCase()));
  return deps.access
    .subscriptions()
    .filter((sub) =>
      mine.some((a) => within(`/subscriptions/${sub}`, a.scope) || within(a.scope, `/subscriptions/${sub}`)),
    )
    .sort();
}

function subscriptionBody(subscriptionId: string): unknown {
  return {
    id: `/subscriptions/${subscriptionId}`,
    subscriptionId,
    tenantId: TENANT_ID,
    displayName: `Emulated subscription ${subscriptionId.slice(0, 8)}`,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    tags: {},
  };
}
