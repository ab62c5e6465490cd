// Microsoft Entra ID (token endpoint and discovery) errors: status, OAuth error, AADSTS code and
// wording, each with its public source. "ours" marks wording the emulator had to choose.
// Envelope (every capture below): {"error","error_description":"AADSTSnnn: … Trace ID: … Correlation ID: …
// Timestamp: yyyy-mm-dd hh:mm:ssZ","error_codes":[nnn],"timestamp","trace_id","correlation_id","error_uri"}.
// Newer captures (2025, e.g. james-gould/azure-keyvault-emulator#324) put Trace ID/Correlation ID/Timestamp
// on the same line; older ones separate them with \r\n. The correlation id echoes the client's
// `client-request-id` header (MSAL sends one), as Entra does.
import { randomUUID } from 'node:crypto';

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    /** The text after "AADSTSnnn: ". */
    readonly text: string,
  ) {
    super(`AADSTS${code}: ${text}`);
    this.name = 'EntraError';
  }

  toBody(correlationId: string = randomUUID(), now = new Date()): Record<string, unknown> {
    const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
    const traceId = randomUUID();
    return {
      error: this.error,
      error_description: `${this.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}

/** OfficeDev/microsoft-365-agents-toolkit#8621 (full JSON, HTTP 401). */
export const invalidClientSecret = (clientId: string) =>
  new EntraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );

/** microsoft/AzureMonitorAddonForSplunk#114 (full JSON: unauthorized_client); HTTP 400 (ours: status not in the capture). */
export const applicationNotFound = (clientId: string, tenant: string) =>
  new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );

/** Azure/azure-cli#22145, #24376 and james-gould/azure-keyvault-emulator#324 (full JSON, invalid_tenant, HTTP 400). */
export const tenantNotFound = (tenant: string) =>
  new EntraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );

/** Azure/azure-workload-identity#616 (full JSON: invalid_request, "reply status code was 400"). */
export const noMatchingFederatedIdentity = (issuer: string, subject: string, audience: string) =>
  new EntraError(
    400,
    'invalid_request',
    70021,
    `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation`,
  );

/**
 * AzureAD/microsoft-authentication-library-for-java#984 and -dotnet#4951 (wording; nbf absent → 1970-01-01),
 * obikuro/Sato#1 (invalid_client). HTTP 401 as for the other invalid_client errors (ours).
 */
export function assertionNotInValidTimeRange(
  nowSeconds: number,
  nbf: number | undefined,
  exp: number | undefined,
): EntraError {
  const t = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 19)}.0000000Z`;
  return new EntraError(
    401,
    'invalid_client',
    700024,
    `Client assertion is not within its valid time range. Current time: ${t(nowSeconds)}, assertion valid from ${t(nbf ?? 0)}, expiry time of assertion ${t(exp ?? 0)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  );
}

const GRAPH_HINT = (clientId: string) =>
  `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${clientId}'`;

/** Captured (invalid_client) in a public repo's code comment and Azure/azure-sdk-for-net#11194 ("The key was not found., Thumbprint of key used by client: '…'"). */
export const assertionKeyNotFound = (clientId: string, thumbprintHex?: string) =>
  new EntraError(
    401,
    'invalid_client',
    700027,
    `Client assertion contains an invalid signature. [Reason - The key was not found.,${thumbprintHex ? ` Thumbprint of key used by client: '${thumbprintHex}',` : ''} ${GRAPH_HINT(clientId)}].`,
  );

/** The "Key was found, but use of the key to verify the signature failed." reason is captured in microsoftgraph/msgraph-sdk-php#1585 (there under AADSTS50013). */
export const assertionSignatureInvalid = (clientId: string, thumbprintHex: string, validFrom: Date, validTo: Date) => {
  const d = (x: Date) => {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(x.getUTCMonth() + 1)}/${p(x.getUTCDate())}/${x.getUTCFullYear()} ${p(x.getUTCHours())}:${p(x.getUTCMinutes())}:${p(x.getUTCSeconds())}`;
  };
  return new EntraError(
    401,
    'invalid_client',
    700027,
    `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprintHex}', Found key 'Start=${d(validFrom)}, End=${d(validTo)}', ${GRAPH_HINT(clientId)}].`,
  );
};

/** microsoft/windows-dev-center-vsts-extension#87 ("Status 401", invalid_client). */
export const credentialRequired = () =>
  new EntraError(
    401,
    'invalid_client',
    7000216,
    "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
  );

/** Ours: the AADSTS900144 code and its "must contain the following parameter" wording are Entra's; not re-captured here. */
export const missingParameter = (name: string) =>
  new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);

/** Ours (AADSTS70003 is Entra's code for an unsupported grant type). */
export const unsupportedGrantType = (grantType: string) =>
  new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);

/** Ours (AADSTS1002012 is Entra's code; the text paraphrases the public reports). */
export const invalidScope = (scope: string) =>
  new EntraError(
    400,
    'invalid_scope',
    1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  );

/** Ours: an assertion that is not a JWT, or not for this token endpoint (AADSTS50027 is Entra's "invalid JWT" code). */
export const invalidAssertion = (detail: string) =>
  new EntraError(400, 'invalid_request', 50027, `JWT token is invalid or malformed. ${detail}`);

/** Instance discovery for a host Entra does not know: error `invalid_instance` (MSAL INVALID_INSTANCE), AADSTS50049. Text ours. */
export const unknownInstance = () => new EntraError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.');
