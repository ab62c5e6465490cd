// Finds an Azure ML workspace's default Key Vault over Resource Manager: GET the workspace for
// properties.keyVault (a resource id; a project's is its hub's, one more GET), then GET that vault for
// properties.vaultUri. The calls go through the Azure SDK pipeline (retries, bearer policy), and so do the
// readers check's (createArmClient). The ARM token goes only to the cloud's Resource Manager endpoint. Shapes: azure-rest-api-specs Microsoft.MachineLearningServices
// stable/2025-06-01 Workspace get.json, Microsoft.KeyVault stable/2024-11-01 getVault.json.
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../azure/clouds.js';
import type { Logger } from '../common/ports.js';
import type { Target } from '../common/types.js';
import type { Label } from '../inputs/inputs.js';
import { vaultHostProblem } from '../azure/vault-host.js';
import { checkHttpsUrl } from '../azure/azure-ids.js';
import { errorFacts } from '../errors/error-facts.js';
import { checkWhere, type Part } from './target-naming.js';
import { proxyCause, proxyInPlay, variablesInPlay } from '../errors/network-causes.js';

export const WORKSPACE_API_VERSION = '2025-06-01';
export const VAULT_API_VERSION = '2024-11-01';

/** A lookup failure with a cause a person can act on (no request or token in it). */
export class WorkspaceLookupError extends Error {
  override readonly name = 'WorkspaceLookupError';
}

type WorkspaceTarget = Extract<Target, { kind: 'workspace' }>;

export interface LookupDeps {
  credential: TokenCredential;
  cloud: Cloud;
  logger: Logger;
  /** Who is signed in, for messages (e.g. "client id … via GitHub OIDC"). */
  identity?: string;
  /** Names inputs in messages the way the platform spells them. */
  label: Label;
  /** Prefixed to the SDK's User-Agent (src/core/common/user-agent.ts). */
  userAgent?: string;
}

export async function resolveWorkspaceVault(target: WorkspaceTarget, deps: LookupDeps): Promise<string> {
  return (await resolveWorkspace(target, deps)).vaultUrl;
}

/** What the lookup found: the vault, and the resources read on the way (the readers check reuses them). */
export interface WorkspaceResolution {
  vaultUrl: string;
  /** The vault's resource id (properties.keyVault of the workspace, or of its hub). */
  vaultId: string;
  /** The vault's resource, when the identity may read it. */
  vault?: Record<string, unknown>;
  workspaceId: string;
  workspace: Record<string, unknown>;
}

/** One Resource Manager client: the SDK pipeline (retries, bearer policy), tokens only to Resource Manager. */
export interface ArmClient {
  get(id: string, apiVersion: string, query?: Record<string, string>): Promise<ArmResponse>;
  put(id: string, apiVersion: string, body: unknown): Promise<ArmResponse>;
  /** A nextLink of a list: followed only on Resource Manager's own origin. */
  next(link: string): Promise<ArmResponse>;
}

export function createArmClient(deps: Pick<LookupDeps, 'credential' | 'cloud' | 'userAgent'>): ArmClient {
  const { cloud } = deps;
  const pipeline = createPipelineFromOptions({
    retryOptions: { maxRetries: 3 },
    userAgentOptions: { userAgentPrefix: deps.userAgent ?? 'aml-vault-push' },
  });
  pipeline.addPolicy(
    bearerTokenAuthenticationPolicy({
      credential: deps.credential,
      scopes: `${cloud.resourceManagerAudience}/.default`,
    }),
  );
  const client = createDefaultHttpClient();
  const url = (id: string, apiVersion: string, query: Record<string, string> = {}) =>
    `${cloud.resourceManager}${id}?${new URLSearchParams({ 'api-version': apiVersion, ...query }).toString().replace(/%24/g, '$')}`;
  return {
    get: (id, apiVersion, query) => armSend(pipeline, client, cloud, url(id, apiVersion, query), 'GET'),
    put: (id, apiVersion, body) => armSend(pipeline, client, cloud, url(id, apiVersion), 'PUT', body),
    next: (link) => armSend(pipeline, client, cloud, link, 'GET'),
  };
}

export async function resolveWorkspace(target: WorkspaceTarget, deps: LookupDeps): Promise<WorkspaceResolution> {
  const { cloud, logger } = deps;
  const arm = createArmClient(deps);
  const where = `workspace '${target.workspaceName}' (resource group '${target.resourceGroup}', subscription ${target.subscriptionId})`;
  const who = deps.identity ? ` for ${deps.identity}` : '';

  const workspaceId =
    `/subscriptions/${target.subscriptionId}/resourceGroups/${encodeURIComponent(target.resourceGroup)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(target.workspaceName)}`;
  logger.info(`Looking up the Key Vault of ${where} in ${cloud.name} (${cloud.resourceManager})`);
  const ws = await arm.get(workspaceId, WORKSPACE_API_VERSION);
  if (ws.status === 403) {
    throw new WorkspaceLookupError(
      `cannot read ${where}${who} (403 ${ws.code ?? 'AuthorizationFailed'}): grant the identity the Reader role on the workspace ` +
        `(Reader on the workspace is enough to find its vault)${serviceSaid(ws)}`,
    );
  }
  if (ws.status === 404) throw new WorkspaceLookupError(notFound(ws, where, target, deps.label));
  if (ws.status !== 200) throw unexpected(ws, `reading ${where}`, who, deps.label);
  const workspace = ws.body ?? {};

  const { keyVaultId, vaultName } = await keyVaultOf(workspace, where, arm, who, deps.label);

  const vault = await arm.get(keyVaultId, VAULT_API_VERSION);
  const found = { vaultId: keyVaultId, workspaceId, workspace };
  if (vault.status === 200) {
    const uri = (vault.body?.properties as Record<string, unknown> | undefined)?.vaultUri;
    if (typeof uri !== 'string') throw new WorkspaceLookupError(`the vault ${keyVaultId} has no properties.vaultUri`);
    return { ...found, vaultUrl: checkedVaultUrl(uri, keyVaultId, cloud), vault: vault.body! };
  }
  if (vault.status === 404) {
    throw new WorkspaceLookupError(
      `the Key Vault of ${where} no longer exists (${keyVaultId}): it was deleted. Recover it ` +
        `(az keyvault recover --name ${vaultName}) or attach a new vault to the workspace${serviceSaid(vault)}`,
    );
  }
  if (vault.status === 403) {
    // Reader on the workspace does not cover the vault's ARM resource: the name is enough to build its URL.
    const url = `https://${vaultName.toLowerCase()}.${cloud.vaultDnsSuffix}`;
    logger.debug(`no read access to ${keyVaultId} over Resource Manager; using ${url}`);
    return { ...found, vaultUrl: url };
  }
  throw unexpected(vault, `reading the vault ${keyVaultId}`, who, deps.label);
}

/**
 * The workspace's properties.keyVault; a project (kind Project) has none of its own and uses its hub's
 * (properties.hubResourceId). A workspace or hub without one has a Microsoft-managed vault, which cannot be pushed to.
 */
async function keyVaultOf(
  workspace: Record<string, unknown>,
  where: string,
  arm: ArmClient,
  who: string,
  label: Label,
): Promise<{ keyVaultId: string; vaultName: string }> {
  let props = workspace.properties as Record<string, unknown> | undefined;
  let holder = where;
  const hubId = props?.hubResourceId;
  if (props?.keyVault == null && typeof workspace.kind === 'string' && /^project$/i.test(workspace.kind)) {
    // A resource id, nothing else: it becomes the path of the next request (the token follows it).
    if (typeof hubId !== 'string' || !WORKSPACE_ID.test(hubId)) {
      throw new WorkspaceLookupError(
        `${where} is a project without a hub (properties.hubResourceId is missing or not a workspace id)`,
      );
    }
    const hub = await arm.get(hubId, WORKSPACE_API_VERSION);
    holder = `its hub ${hubId}`;
    if (hub.status !== 200) throw unexpected(hub, `reading the hub ${hubId} of ${where}`, who, label);
    props = hub.body?.properties as Record<string, unknown> | undefined;
  }
  const keyVaultId = props?.keyVault;
  if (keyVaultId == null || keyVaultId === '') {
    throw new WorkspaceLookupError(
      `${where === holder ? where : `${where}: ${holder}`} has no Key Vault of its own (no properties.keyVault): its vault is Microsoft-managed, ` +
        'outside your subscription, and secrets cannot be pushed there. Attach a customer-managed Key Vault to the ' +
        (where === holder ? 'workspace' : 'hub') +
        ' (its properties.keyVault) and push to it',
    );
  }
  // A resource id, nothing else: it becomes the path of the next Resource Manager request, so a value like
  // "@evil.example/…" must never get there (the token would follow it).
  const vaultName = typeof keyVaultId === 'string' ? KEY_VAULT_ID.exec(keyVaultId)?.[1] : undefined;
  if (typeof keyVaultId !== 'string' || vaultName === undefined) {
    throw new WorkspaceLookupError(
      `${where === holder ? where : `${where}: ${holder}`} has no Key Vault in its properties (properties.keyVault is not a vault id)`,
    );
  }
  return { keyVaultId, vaultName };
}

export interface ArmResponse {
  status: number;
  body?: Record<string, unknown>;
  code?: string;
  message?: string;
  requestId?: string;
}

async function armSend(
  pipeline: Pipeline,
  client: HttpClient,
  cloud: Cloud,
  url: string,
  method: 'GET' | 'PUT',
  json?: unknown,
): Promise<ArmResponse> {
  // Resource Manager tokens go to the cloud's Resource Manager (or the endpoint given) and nowhere else.
  if (new URL(url).origin !== new URL(cloud.resourceManager).origin) {
    throw new WorkspaceLookupError(`refusing to send a Resource Manager token outside ${cloud.resourceManager}`);
  }
  const request = createPipelineRequest({
    url,
    method,
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });
  if (json !== undefined) request.headers.set('content-type', 'application/json');
  let response: Awaited<ReturnType<Pipeline['sendRequest']>>;
  try {
    response = await pipeline.sendRequest(client, request);
  } catch (error) {
    const cause = proxyCause(error, errorFacts(error));
    if (cause !== undefined) throw new WorkspaceLookupError(`Resource Manager could not be reached: ${cause}`);
    throw error;
  }
  let body: Record<string, unknown> | undefined;
  try {
    body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const error = body?.error as { code?: unknown; message?: unknown } | undefined;
  const requestId = response.headers.get('x-ms-request-id');
  if (response.status >= 400 && requestId === undefined && error === undefined) {
    const refused = proxyRefused(new URL(url).host, response.status);
    if (refused !== undefined) throw new WorkspaceLookupError(refused);
  }
  return {
    status: response.status,
    ...(body && { body }),
    ...(typeof error?.code === 'string' && { code: error.code }),
    ...(typeof error?.message === 'string' && { message: error.message }),
    ...(requestId && { requestId }),
  };
}

/** A proxy that refuses the tunnel answers the CONNECT itself; that answer is not Resource Manager's. */
function proxyRefused(host: string, status: number): string | undefined {
  const p = proxyInPlay({ request: { url: `https://${host}/` } });
  if (!p || status === 401) return undefined;
  return (
    `the HTTPS proxy ${p.url} refused the tunnel to ${host} (${status}; the answer came from the proxy, not from Resource Manager): ` +
    `ask for ${host} to be allowed on the proxy, or list it in NO_PROXY if the runner reaches it directly ${variablesInPlay()}`
  );
}

function notFound(r: ArmResponse, where: string, t: WorkspaceTarget, label: Label): string {
  const check = (...parts: Part[]) => checkWhere(t, label, parts);
  switch (r.code) {
    case 'ResourceGroupNotFound':
      return `resource group '${t.resourceGroup}' was not found in subscription ${t.subscriptionId}: check ${check('resourceGroup', 'subscriptionId')}${serviceSaid(r)}`;
    case 'SubscriptionNotFound':
      return `subscription ${t.subscriptionId} was not found: check ${check('subscriptionId')} (and that the identity can see it)${serviceSaid(r)}`;
    default:
      return `${where} was not found: check ${check('workspaceName', 'resourceGroup', 'subscriptionId')}${serviceSaid(r)}`;
  }
}

function unexpected(r: ArmResponse, doing: string, who: string, label: Label): WorkspaceLookupError {
  if (r.status === 401) {
    return new WorkspaceLookupError(
      `Resource Manager did not accept the sign-in${who} while ${doing} (401 ${r.code ?? ''}): check that the cloud ` +
        `setting (${label('cloud')}) matches the identity's cloud${serviceSaid(r)}`,
    );
  }
  return new WorkspaceLookupError(
    `Resource Manager answered ${r.status} ${r.code ?? ''} while ${doing}${serviceSaid(r)}`,
  );
}

function serviceSaid(r: ArmResponse): string {
  const parts = [
    r.message && `Azure said: ${r.message.replace(/\s+/g, ' ').trim()}`,
    r.requestId && `request id ${r.requestId}`,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The vault URI from ARM, in the origin form the store expects; https only. */
/** /subscriptions/GUID/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/NAME, and nothing that could leave the host. */
const WORKSPACE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[a-zA-Z0-9][\w-]{2,32}$/i;
const KEY_VAULT_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/([a-zA-Z0-9-]{3,24})$/i;

function checkedVaultUrl(uri: string, id: string, cloud: Cloud): string {
  const checked = checkHttpsUrl(uri);
  if (checked.problem !== undefined)
    throw new WorkspaceLookupError(`the vaultUri that ${id} reports ${checked.problem}`);
  const { url } = checked as { url: URL };
  const foreign = vaultHostProblem(url, cloud.vaultSuffixes);
  if (foreign !== undefined)
    throw new WorkspaceLookupError(`the vault ${id} reports the vaultUri ${url.origin}: ${foreign}`);
  return url.origin;
}
