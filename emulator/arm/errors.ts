// Azure Resource Manager facts: error codes and messages, and the api-versions the two resource types
// the emulator serves accept. Each names its source; "ours" marks wording the emulator had to choose.
// Envelope (ErrorResponse in the ARM SDK models; docs/keyvault.md §6): {"error":{"code","message"}}.

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

// --- api-versions --------------------------------------------------------------------------------
// Stable versions in Azure/azure-rest-api-specs (…/Microsoft.MachineLearningServices/stable/<v>/ and
// the KeyVault readme's package tags). ARM also accepts preview versions and older ones; the emulator
// accepts the stable ones only (a preview version is reported like any unknown one).
export const MLS_API_VERSIONS: readonly string[] = [
  '2018-11-19',
  '2019-05-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2020-03-01',
  '2020-04-01',
  '2020-06-01',
  '2020-08-01',
  '2021-01-01',
  '2021-04-01',
  '2021-07-01',
  '2022-05-01',
  '2022-10-01',
  '2023-04-01',
  '2023-10-01',
  '2024-04-01',
  '2024-10-01',
  '2025-04-01',
  '2025-06-01',
  '2025-09-01',
  '2025-12-01',
  '2026-03-01',
];
export const KEYVAULT_API_VERSIONS: readonly string[] = [
  '2015-06-01',
  '2016-10-01',
  '2018-02-14',
  '2019-09-01',
  '2021-10-01',
  '2022-07-01',
  '2022-11-01',
  '2023-02-01',
  '2023-07-01',
  '2024-11-01',
  '2025-05-01',
  '2026-02-01',
];

/** Locations ARM lists in NoRegisteredProviderFound; the emulator's resources are all in LOCATION. */
const listed = (versions: readonly string[]) => [...versions].reverse().join(', ');

// --- 400 -----------------------------------------------------------------------------------------
/** Ours: ARM's code for a request without api-version; wording as commonly quoted, not re-captured. */
export const missingApiVersion = () =>
  new ArmError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );

/**
 * A well-formed api-version the resource type does not have: Azure/azure-sdk-for-js#4097 and
 * Azure/azure-rest-api-specs#18857 (type 'workspaces'), gbrueckl/Databricks.API.PowerShell#93.
 */
export const noRegisteredProvider = (location: string, version: string, type: string, versions: readonly string[]) =>
  new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${version}' for type '${type}'. The supported api-versions are '${listed(versions)}'. The supported locations are '${location}'.`,
  );

/** An api-version that is not a date ([-preview]): ansible-collections/azure#1739, hashicorp/vault-plugin-secrets-azure#13. */
export const invalidApiVersion = (version: string, versions: readonly string[]) =>
  new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${version}' is invalid. The supported versions are '${[...versions].reverse().join(',')}'.`,
  );

// --- 401 -----------------------------------------------------------------------------------------
// ARM's 401s carry a Bearer challenge naming the authority (ours: shape as commonly captured).
const challenge = (description: string) => ({
  'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`,
});

/** janeczku/rancher-letsencrypt#89 ("Status=401 Code=\"AuthenticationFailed\" Message=…"). */
export const missingAuthorization = () =>
  new ArmError(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is missing.",
    challenge("The authentication failed because of missing 'Authorization' header."),
  );

/** Ours (same code, ARM's wording for a header that is not "Bearer <token>" is not captured here). */
export const malformedAuthorization = () =>
  new ArmError(
    401,
    'AuthenticationFailed',
    "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    challenge('The access token is invalid.'),
  );

/** Ours: ARM's code for a token it cannot validate (bad signature, unparsable); wording not re-captured. */
export const invalidToken = () =>
  new ArmError(
    401,
    'InvalidAuthenticationToken',
    'The access token is invalid.',
    challenge('The access token is invalid.'),
  );

/** JetBrains/azure-tools-for-intellij#16, hashicorp/go-azure-helpers#51 (verbatim, public cloud list). */
export const wrongAudience = (found: string, allowed: readonly string[]) =>
  new ArmError(
    401,
    'InvalidAuthenticationTokenAudience',
    `The access token has been obtained for wrong audience or resource '${found}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
    challenge('The access token is invalid.'),
  );

/** microsoft/foundry-dev-tools#461, microsoft/vscode-azureappservice#2483 (US date format, UTC). */
export const expiredToken = (expSeconds: number, nowSeconds: number) => {
  const us = (s: number) => {
    const d = new Date(s * 1000);
    const h = d.getUTCHours() % 12 || 12;
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
  };
  return new ArmError(
    401,
    'ExpiredAuthenticationToken',
    `The access token expiry UTC time '${us(expSeconds)}' is earlier than current UTC time '${us(nowSeconds)}'.`,
    challenge('The access token expiry UTC time is earlier than current UTC time.'),
  );
};

/** Ours: wording of ARM's InvalidAuthenticationTokenTenant shortened (the code is ARM's). */
export const wrongIssuer = (found: string, expected: string) =>
  new ArmError(
    401,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer '${found}'. It must match the tenant '${expected}' associated with this subscription.`,
    challenge('The access token is from the wrong issuer.'),
  );

// --- 403 -----------------------------------------------------------------------------------------
/** MicrosoftDocs/pipelines-azureml#27, machine-learning-apps/ml-template-azure#17 (service principals: both ids are the object id). */
export const authorizationFailed = (objectId: string, action: string, scope: string) =>
  new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${objectId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );

// --- 404 -----------------------------------------------------------------------------------------
/** Widely captured ARM text ("The subscription '…' could not be found."). */
export const subscriptionNotFound = (subscriptionId: string) =>
  new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);

/** Widely captured ARM text. */
export const resourceGroupNotFound = (resourceGroup: string) =>
  new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);

/** Widely captured ARM text (with the aka.ms/ARMResourceNotFoundFix link). */
export const resourceNotFound = (type: string, name: string, resourceGroup: string) =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

/** Ours: a path the emulator does not serve (ARM would name the resource type or namespace). */
export const unknownPath = (path: string) =>
  new ArmError(404, 'NotFound', `The emulator's ARM endpoint serves only workspaces and vaults; nothing at '${path}'.`);

/** Ours: the emulator's ARM is read-only. */
export const methodNotAllowed = (method: string) =>
  new ArmError(405, 'MethodNotAllowed', `The emulator's ARM endpoint is read-only; '${method}' is not supported.`);

// --- Microsoft.Authorization, Microsoft.ManagedIdentity -------------------------------------------
// Stable api-versions in azure-rest-api-specs (authorization: stable/2015-07-01 and 2022-04-01, the
// default of Debian's azure-mgmt-authorization 3.0.0; the previews that added principalType and
// conditions are accepted too; managedidentity: stable 2018-11-30, 2023-01-31, 2024-11-30).
export const AUTHORIZATION_API_VERSIONS: readonly string[] = [
  '2015-07-01',
  '2018-01-01-preview',
  '2018-09-01-preview',
  '2020-04-01-preview',
  '2020-10-01-preview',
  '2022-04-01',
  '2022-05-01-preview',
];
export const MANAGED_IDENTITY_API_VERSIONS: readonly string[] = ['2018-11-30', '2023-01-31', '2024-11-30'];

/**
 * learn.microsoft.com/azure/role-based-access-control/troubleshooting: the write of a role assignment
 * names the ABAC condition too.
 */
export const authorizationFailedOrCondition = (objectId: string, action: string, scope: string) =>
  new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${objectId}' with object id '${objectId}' does not have authorization or an ABAC condition not fulfilled to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );

/** hashicorp/terraform-provider-azurerm#28557: the same scope, role and principal under another name. */
export const roleAssignmentExists = () =>
  new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.');

/** RBAC troubleshooting page: a name reused for another principal, role or scope. */
export const roleAssignmentUpdateNotPermitted = () =>
  new ArmError(
    400,
    'RoleAssignmentUpdateNotPermitted',
    'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
  );

/** RBAC troubleshooting page (replication delay; principalType avoids it). */
export const principalNotFound = (principalId: string, tenantId: string) =>
  new ArmError(
    400,
    'PrincipalNotFound',
    `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
  );

/** Widely captured ARM text. */
export const roleDefinitionDoesNotExist = (guid: string) =>
  new ArmError(
    400,
    'RoleDefinitionDoesNotExist',
    `The specified role definition with ID '${guid.replace(/-/g, '')}' does not exist.`,
  );

export const roleDefinitionNotFound = (guid: string) =>
  new ArmError(
    404,
    'RoleDefinitionDoesNotExist',
    `The specified role definition with ID '${guid.replace(/-/g, '')}' does not exist.`,
  );

/** Ours (ARM's code; wording not captured). */
export const roleAssignmentNotFound = (name: string) =>
  new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);

/** Widely captured ARM text. */
export const roleDefinitionWithSameNameExists = () =>
  new ArmError(
    409,
    'RoleDefinitionWithSameNameExists',
    'A custom role with the same name already exists in this directory. Use a different name.',
  );

/** ARM's text for a principalId that is not a GUID. */
export const invalidPrincipalId = () =>
  new ArmError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');

/** Ours (ARM's code). */
export const invalidRoleAssignmentId = (name: string) =>
  new ArmError(
    400,
    'InvalidRoleAssignmentId',
    `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
  );

/** Widely captured ARM text: a tracked resource's PUT without `location`. */
export const locationRequired = () =>
  new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');

/** ARM's code and opening for a body it cannot read; the detail is ours. */
export const invalidRequestContent = (detail: string) =>
  new ArmError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );

/** A role assignment $filter the service does not take: its message as Azure/azure-rest-api-specs#28255 quotes it; the code is ours (none public). */
export const unsupportedFilter = (filter: string) =>
  new ArmError(
    400,
    'UnsupportedQuery',
    `The filter '${filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'.`,
  );
