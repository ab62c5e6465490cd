// The `readers` input, `grant-readers`, `readers-missing` and `stale-references`, read and checked before any request:
// each line is `compute:NAME`, `endpoint:NAME`, `workspace`, `serverless`, `identity:RESOURCE_ID` or
// `principal:OBJECT_ID`. All but the last two need a workspace to look in, so a vault target (vault-url, vault-name, a
// `targets` line that is a vault) refuses them.
import { displayName } from '../azure/names.js';
import { GUID_RULE, isGuid } from '../azure/azure-ids.js';
import type { Reader } from './input-reader.js';
import type { TargetSpec } from '../common/types.js';
import type { ReaderLine, ReadersRequest } from './readers-request.js';

/** Azure ML compute names (learn.microsoft.com azure-resource-manager/management/resource-name-rules): 2–24 letters,
 *  digits and '-', starting with a letter, not ending with '-'. */
const COMPUTE_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,22}[a-zA-Z0-9]$/;
export const COMPUTE_RULE =
  "2–24 characters of letters, digits and '-', starting with a letter and not ending with '-'";

/** /subscriptions/GUID/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME */
export const USER_ASSIGNED_IDENTITY_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[a-zA-Z0-9][-\w]{2,127}$/i;
const IDENTITY_RULE =
  'the resource id of a user-assigned managed identity, /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME';

/** Online endpoint names (learn.microsoft.com azure/machine-learning/how-to-manage-quotas#azure-machine-learning-online-endpoints-and-batch-endpoints):
 *  3–32 characters, letters, digits and '-', starting with a letter. */
const ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{2,31}$/;
export const ENDPOINT_RULE = "3–32 characters of letters, digits and '-', starting with a letter";

const FORMS = 'write compute:NAME, endpoint:NAME, workspace, serverless, identity:RESOURCE_ID or principal:OBJECT_ID';
/** The readers that are looked up in the target's workspace. */
const IN_WORKSPACE = new Set<ReaderLine['kind']>(['compute', 'endpoint', 'workspace', 'serverless']);

/** The readers check the inputs ask for; undefined without `readers` (problems are reported on `r`). */
export function readReaders(
  r: Reader,
  targets: readonly TargetSpec[] | undefined,
  mode: 'push' | 'list' = 'push',
): ReadersRequest | undefined {
  if (mode === 'list') {
    if (r.text('readers') !== undefined)
      r.problem('readers', 'is checked after a push; a listing does not check readers');
    return undefined;
  }
  const grant = r.boolean('grant-readers');
  const missing = r.choice('readers-missing', ['fail', 'warn'] as const, 'fail');
  const stale = r.choice('stale-references', ['warn', 'fail', 'ignore'] as const, 'warn');
  const entries = r.lines('readers');
  if (entries.length === 0) {
    if (r.text('readers') !== undefined) r.problem('readers', 'has no reader lines (only blank lines or # comments)');
    else if (grant) r.problem('grant-readers', `is used only with ${r.label('readers')}`);
    return undefined;
  }
  const vaultTarget = targets?.find((t) => t.target.kind === 'vault');
  const seen = new Map<string, number>();
  const lines: ReaderLine[] = [];
  for (const { line, text } of entries) {
    const report = (message: string) => r.problems.push(`${r.label('readers')} line ${line}: ${message}`);
    const parsed = readLine(text, report);
    if (parsed === undefined) continue;
    if (IN_WORKSPACE.has(parsed.kind) && vaultTarget !== undefined) {
      report(
        `${displayName(text)} needs a workspace to look in, and the target ${vaultTarget.display} is a vault: ` +
          'name the identity with identity:RESOURCE_ID or principal:OBJECT_ID, or target the workspace',
      );
      continue;
    }
    const key = keyOf(parsed);
    const first = seen.get(key);
    if (first !== undefined) {
      report(`the same reader as line ${first}; give each reader once`);
      continue;
    }
    seen.set(key, line);
    lines.push(parsed);
  }
  return { lines, grant, missing, stale };
}

function readLine(text: string, report: (message: string) => void): ReaderLine | undefined {
  if (/^workspace$/i.test(text)) return { kind: 'workspace', line: text };
  if (/^serverless$/i.test(text)) return { kind: 'serverless', line: text };
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon).trim().toLowerCase();
  const rest = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!['compute', 'endpoint', 'identity', 'principal'].includes(prefix)) {
    report(`${displayName(text)} is not a reader: ${FORMS}`);
    return undefined;
  }
  if (rest === '') {
    report(`${prefix}: names nothing; ${FORMS}`);
    return undefined;
  }
  switch (prefix) {
    case 'compute':
      if (COMPUTE_NAME.test(rest)) return { kind: 'compute', name: rest, line: text };
      report(`${displayName(rest)} is not an Azure ML compute name (${COMPUTE_RULE})`);
      return undefined;
    case 'endpoint':
      if (ENDPOINT_NAME.test(rest)) return { kind: 'endpoint', name: rest, line: text };
      report(`${displayName(rest)} is not an online endpoint name (${ENDPOINT_RULE})`);
      return undefined;
    case 'identity':
      if (USER_ASSIGNED_IDENTITY_ID.test(rest)) return { kind: 'identity', resourceId: rest, line: text };
      report(`${displayName(rest)} is not ${IDENTITY_RULE}`);
      return undefined;
    default:
      if (isGuid(rest)) return { kind: 'principal', objectId: rest.toLowerCase(), line: text };
      report(`${displayName(rest)} is not an object id (${GUID_RULE})`);
      return undefined;
  }
}

/** Two lines naming the same reader compare equal: names, ids and GUIDs are case-insensitive. */
function keyOf(l: ReaderLine): string {
  switch (l.kind) {
    case 'compute':
      return `compute:${l.name.toLowerCase()}`;
    case 'endpoint':
      return `endpoint:${l.name.toLowerCase()}`;
    case 'workspace':
    case 'serverless':
      return l.kind;
    case 'identity':
      return `identity:${l.resourceId.toLowerCase()}`;
    case 'principal':
      return `principal:${l.objectId}`;
  }
}
