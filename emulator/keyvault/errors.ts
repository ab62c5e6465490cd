// Key Vault error codes and messages. Each one names its source; "ours" marks wording the emulator had to
// choose because no real response was captured (docs/keyvault.md §8 lists those open points).
// Shape (REST spec 7.4 common.json KeyVaultError; docs/keyvault.md §2): {"error":{"code","message","innererror"?:{"code"}}}.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/http-io.js';

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  toBody(): { error: { code: string; message: string; innererror?: { code: string } } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}),
      },
    };
  }
}

/** Writes the error as the service does: its status, its envelope, and its own headers over `headers`. */
export function sendServiceError(res: ServerResponse, err: ServiceError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, err.toBody(), { ...headers, ...err.headers });
}

const HELP_NOT_FOUND = 'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182';

// --- 401 -------------------------------------------------------------------------------------------
/** The JS SDK's real-service recordings, 2021–2022 (docs/keyvault.md §2). */
export const missingToken = () =>
  new ServiceError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.');
/** Captured in MicrosoftDocs/azure-docs#109562 and azure-sdk-for-js issues. */
export const invalidAudience = (expected: string, found: string) =>
  new ServiceError(401, 'Unauthorized', `AKV10022: Invalid audience. Expected ${expected}, found: ${found}.`);
/** Captured in azure-sdk-for-js#12539 / MicrosoftDocs/azure-docs#75410. */
export const invalidIssuer = (expected: string, found: string) =>
  new ServiceError(401, 'Unauthorized', `AKV10032: Invalid issuer. Expected one of ${expected}, found ${found}.`);
/** Captured in hashicorp/terraform-provider-azurerm#30912 (a token signed by a key the vault does not know). */
export const unknownSigningKey = (encodedHeader: string) =>
  new ServiceError(
    401,
    'Unauthorized',
    `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${encodedHeader}'.`,
  );
/** Ours: expired / not-yet-valid / unparsable tokens (no capture of the exact service text). */
export const tokenExpired = () =>
  new ServiceError(401, 'Unauthorized', 'AKV10000: Token validation failed: the token is expired.');
export const tokenNotYetValid = () =>
  new ServiceError(401, 'Unauthorized', 'AKV10000: Token validation failed: the token is not yet valid.');
export const malformedToken = () =>
  new ServiceError(401, 'Unauthorized', 'AKV10000: Token validation failed: the token is malformed.');

// --- 403 -------------------------------------------------------------------------------------------
/** The JS SDK's recording `…canupdateadisabledsecret…` (403 body) and its live test "can't get a disabled secret". */
export const secretDisabled = () =>
  new ServiceError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');

export interface DenialContext {
  caller: string;
  vault: string;
  location: string;
}

/** Wording from a real ForbiddenByRbac response (piyushsachdeva/Terraform_AKS#2), fields filled in. */
export function forbiddenByRbac(ctx: DenialContext & { action: string; resource: string }): ServiceError {
  const message =
    'Caller is not authorized to perform action on resource.\r\n' +
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
    `Caller: ${ctx.caller}\r\n` +
    `Action: '${ctx.action}'\r\n` +
    `Resource: '${ctx.resource}'\r\n` +
    'Assignment: (not found)\r\n' +
    'DenyAssignmentId: null\r\n' +
    "DecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
    `Vault: ${ctx.vault};location=${ctx.location}\r\n`;
  return new ServiceError(403, 'Forbidden', message, 'ForbiddenByRbac');
}

/** Wording from hashicorp/terraform-provider-azurerm#20742 and learn.microsoft.com/azure/key-vault/general/rest-error-codes. */
export function forbiddenByFirewall(ctx: DenialContext & { clientAddress: string }): ServiceError {
  const message =
    'Client address is not authorized and caller is not a trusted service.\r\n' +
    `Client address: ${ctx.clientAddress}\r\n` +
    `Caller: ${ctx.caller}\r\n` +
    `Vault: ${ctx.vault};location=${ctx.location}`;
  return new ServiceError(403, 'Forbidden', message, 'ForbiddenByFirewall');
}

/**
 * An access-policy vault without a policy for the caller: wording from ansible-collections/azure#635
 * ("does not have secrets set permission on key vault"); the inner code AccessDenied is ours (not re-captured).
 */
export function forbiddenByPolicy(ctx: DenialContext & { permission: string }): ServiceError {
  const message = `The user, group or application '${ctx.caller}' does not have secrets ${ctx.permission} permission on key vault '${ctx.vault};location=${ctx.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;
  return new ServiceError(403, 'Forbidden', message, 'AccessDenied');
}

/** Ours: a vault with publicNetworkAccess Disabled reached over the public endpoint (learn.microsoft.com/azure/key-vault/general/network-security). */
export function forbiddenByConnection(ctx: DenialContext): ServiceError {
  const message =
    'Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\n' +
    `Caller: ${ctx.caller}\r\n` +
    `Vault: ${ctx.vault};location=${ctx.location}`;
  return new ServiceError(403, 'Forbidden', message, 'ForbiddenByConnection');
}

// --- 404 / 409 -------------------------------------------------------------------------------------
/** The JS SDK's recording `recording_can_recover_a_deleted_secret_nonexisting`; azure-sdk-for-js#25489. `nameOrId` is "name" or "name/version". */
export const secretNotFound = (nameOrId: string) =>
  new ServiceError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. ${HELP_NOT_FOUND}`,
  );
/** The JS SDK's recordings (GET /deletedsecrets/… → 404 in many of them). */
export const deletedSecretNotFound = (name: string) =>
  new ServiceError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
/** azure-sdk-for-net Sample4_ErrorResponse.cs; ironmansoftware/powershell-universal#1990. */
export const deletedButRecoverable = (name: string) =>
  new ServiceError(
    409,
    'Conflict',
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    'ObjectIsDeletedButRecoverable',
  );
/** Recordings of the SDKs (keys) and their test helpers, which retry on this text: a set or purge while a delete (or purge) is in progress. */
export const objectIsBeingDeleted = () =>
  new ServiceError(409, 'Conflict', 'Secret is currently being deleted.', 'ObjectIsBeingDeleted');
/** microsoft/AzureTRE#2824: a set while a recover is in progress. */
export const objectIsBeingRecovered = (name: string) =>
  new ServiceError(
    409,
    'Conflict',
    `Secret ${name} is currently being recovered and cannot be re-created; retry later.`,
    'ObjectIsBeingRecovered',
  );
/** Ours: restoring over an existing secret is a 409 (azure-sdk-for-net#26027, behaviour only; text not captured). */
export const restoreConflict = (name: string) =>
  new ServiceError(
    409,
    'Conflict',
    `Secret ${name} already exists in this key vault; a backup can only be restored under a name that is not in use.`,
  );

// --- 400 -------------------------------------------------------------------------------------------
/** azure-sdk-for-net#15784: {"code":"BadParameter","message":"The request URI contains an invalid name: bad name"}. */
export const invalidName = (name: string) =>
  new ServiceError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
/** Message pattern quoted by third-party code (docs/keyvault.md §0 and §8, "likely"). */
export const unknownApiVersion = (version: string, latest: string) =>
  new ServiceError(
    400,
    'BadParameter',
    `The specified version (${version}) is not recognized. Consider using the latest supported version (${latest}).`,
  );
/** The JS SDK's live test recoverBackupRestore.spec.ts asserts this message for a garbage blob. */
export const corruptBackup = () =>
  new ServiceError(400, 'BadParameter', 'Backup blob contains invalid or corrupt version.');
/**
 * Purge on a purge-protected vault: the wording of a real 403 quoted in a public Terraform issue, for a certificate;
 * secrets are assumed to answer the same.
 */
export const purgeProtected = (operation: string, vault: string, location: string) =>
  new ServiceError(
    403,
    'Forbidden',
    `Operation "${operation}" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed. Vault: ${vault};location=${location}`,
  );
/** Ours: generic validation failures (value/tag/contentType limits, body shape, paging parameters). */
export const badParameter = (message: string) => new ServiceError(400, 'BadParameter', message);
export const missingApiVersion = () => badParameter('The api-version query parameter is required for all requests.');

// --- routing ---------------------------------------------------------------------------------------
/** Ours: an unknown path under the vault. */
export const unknownPath = (path: string) =>
  new ServiceError(404, 'NotFound', `The requested resource '${path}' was not found.`);
/** ASP.NET Web API's standard text for a known path with an unsupported verb. */
export const methodNotAllowed = (method: string, allow: string[]) =>
  new ServiceError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
    undefined,
    { Allow: allow.join(', ') },
  );

// --- 429 / 5xx -------------------------------------------------------------------------------------
/** vcsjones/AzureSignTool#219 (full capture; that 429 carried no Retry-After). */
export const throttled = () =>
  new ServiceError(
    429,
    'Throttled',
    'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  );
/** Ours: injected server faults. */
export const internalError = () =>
  new ServiceError(500, 'InternalServerError', 'The server encountered an internal error. Please retry the request.');
export const serviceUnavailable = () =>
  new ServiceError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.');
