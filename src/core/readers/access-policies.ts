// Pure: does an access-policy vault let an object id get secrets? An entry for the object id without applicationId
// (a compound identity, which is a different principal) whose secrets permissions hold `get` or `all`.

export interface AccessPolicyEntry {
  objectId?: unknown;
  applicationId?: unknown;
  permissions?: { secrets?: unknown };
}

export function policyReads(policies: unknown, objectId: string): boolean {
  if (!Array.isArray(policies)) return false;
  return policies.some((entry: AccessPolicyEntry) => {
    if (typeof entry?.objectId !== 'string' || entry.objectId.toLowerCase() !== objectId.toLowerCase()) return false;
    if (entry.applicationId !== undefined && entry.applicationId !== null && entry.applicationId !== '') return false;
    const secrets = entry.permissions?.secrets;
    return Array.isArray(secrets) && secrets.some((p) => typeof p === 'string' && /^(get|all)$/i.test(p));
  });
}
