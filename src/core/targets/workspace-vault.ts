// Finds an Azure ML workspace's default Key Vault over Resource Manager: GET the workspace for
// properties.keyVault (a resource id), then GET that vault for properties.vaultUri. Both calls go
// through the Azure SDK pipeline (retries, bearer policy). The ARM token goes only to the cloud's
// Resource Manager endpoint. Shapes: azure-rest-api-specs Microsoft.MachineLearningServices
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
import type { Logger } from '../shared/ports.js';
import type { Target } from '../shared/types.js';
import type { Label } from '../inputs/inputs.js';
import { vaultHostProblem } from '../azure/vault-host.js';
import { checkHttpsUrl } from '../azure/azure-ids.js';

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
  /** Prefixed to the SDK's User-Agent (src/core/shared/user-agent.ts). */
  userAgent?: string;
}

export async function resolveWorkspaceVault(target: WorkspaceTarget, deps: LookupDeps): Promise<string> {
  const { cloud, logger } = deps;
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
  const where = `workspace '${target.workspaceName}' (resource group '${target.resourceGroup}', subscription ${target.subscriptionId})`;
  const who = deps.identity ? ` for ${deps.identity}` : '';

  const workspaceId =
    `/subscriptions/${target.subscriptionId}/resourceGroups/${encodeURIComponent(target.resourceGroup)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(target.workspaceName)}`;
  logger.info(`Looking up the Key Vault of ${where} in ${cloud.name} (${cloud.resourceManager})`);
  const ws = await armGet(pipeline, client, cloud, workspaceId, WORKSPACE_API_VERSION);
  if (ws.status === 403) {
    throw new WorkspaceLookupError(
      `cannot read ${where}${who} (403 ${ws.code ?? 'AuthorizationFailed'}): grant the identity the Reader role on the workspace ` +
        `(Reader on the workspace is enough to find its vault)${serviceSaid(ws)}`,
    );
  }
  if (ws.status === 404) throw new WorkspaceLookupError(notFound(ws, where, target, deps.label));
  if (ws.status !== 200) throw unexpected(ws, `reading ${where}`, who, deps.label);

  const keyVaultId = (ws.body?.properties as Record<string, unknown> | undefined)?.keyVault;
  // A resource id, nothing else: it becomes the path of the next Resource Manager request, so a value like
  // "@evil.example/…" must never get there (the token would follow it).
  const vaultName = typeof keyVaultId === 'string' ? KEY_VAULT_ID.exec(keyVaultId)?.[1] : undefined;
  if (typeof keyVaultId !== 'string' || vaultName === undefined) {
    throw new WorkspaceLookupError(
      `${where} has no Key Vault in its properties (properties.keyVault is missing or not a vault id)`,
    );
  }

  const vault = await armGet(pipeline, client, cloud, keyVaultId, VAULT_API_VERSION);
  if (vault.status === 200) {
    const uri = (vault.body?.properties as Record<string, unknown> | undefined)?.vaultUri;
    if (typeof uri !== 'string') throw new WorkspaceLookupError(`the vault ${keyVaultId} has no properties.vaultUri`);
    return checkedVaultUrl(uri, keyVaultId, cloud);
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
    return url;
  }
  throw unexpected(vault, `reading the vault ${keyVaultId}`, who, deps.label);
}

interface ArmResponse {
  status: number;
  body?: Record<string, unknown>;
  code?: string;
  message?: string;
  requestId?: string;
}

async function armGet(
  pipeline: Pipeline,
  client: HttpClient,
  cloud: Cloud,
  id: string,
  apiVersion: string,
): Promise<ArmResponse> {
  const url = `${cloud.resourceManager}${id}?api-version=${apiVersion}`;
  // Resource Manager tokens go to the cloud's Resource Manager (or the endpoint given) and nowhere else.
  if (new URL(url).origin !== new URL(cloud.resourceManager).origin) {
    throw new WorkspaceLookupError(`refusing to send a Resource Manager token outside ${cloud.resourceManager}`);
  }
  const request = createPipelineRequest({ url, method: 'GET' });
  const response = await pipeline.sendRequest(client, request);
  let body: Record<string, unknown> | undefined;
  try {
    body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const error = body?.error as { code?: unknown; message?: unknown } | undefined;
  return {
    status: response.status,
    ...(body && { body }),
    ...(typeof error?.code === 'string' && { code: error.code }),
    ...(typeof error?.message === 'string' && { message: error.message }),
    ...(response.headers.get('x-ms-request-id') && { requestId: response.headers.get('x-ms-request-id')! }),
  };
}

function notFound(r: ArmResponse, where: string, t: WorkspaceTarget, label: Label): string {
  switch (r.code) {
    case 'ResourceGroupNotFound':
      return `resource group '${t.resourceGroup}' was not found in subscription ${t.subscriptionId}: check ${label('resource-group')} and ${label('subscription-id')}${serviceSaid(r)}`;
    case 'SubscriptionNotFound':
      return `subscription ${t.subscriptionId} was not found: check ${label('subscription-id')} (and that the identity can see it)${serviceSaid(r)}`;
    default:
      return `${where} was not found: check ${label('workspace-name')}, ${label('resource-group')} and ${label('subscription-id')}${serviceSaid(r)}`;
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
