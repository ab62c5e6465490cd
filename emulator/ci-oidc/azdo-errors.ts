// Azure DevOps facts for the OIDC token endpoint (distributedtask oidctoken, REST api-version 7.1), each
// with its source; "ours" marks what the emulator had to choose.

/** Azure DevOps's JSON for a wrapped string message ({"count": <length>, "value": "<text>"}): dotnet/docker-tools#2012. */
export const wrappedString = (value: string) => ({ count: value.length, value });

/**
 * A service connection the job may not use (or that does not exist): the message is captured in
 * dotnet/docker-tools#2012 (2026); the status 404 in MicrosoftDocs/vsts-rest-api-specs#709 ("inside a
 * pipeline using the pipeline access token: i get 404"). The stage/job names are ours.
 */
export const serviceConnectionNotReferenced = (serviceConnectionId: string) =>
  wrappedString(
    `There is no explicit reference to service connection ${serviceConnectionId} from current stage Stage_1.Job_1.__default.`,
  );

/**
 * Azure DevOps's exception envelope ({"$id","innerException","message","typeName","typeKey","errorCode","eventId"}),
 * as quoted in Azure/azure-sdk-for-js TROUBLESHOOTING.md (AzurePipelinesCredential section).
 */
export const vssException = (message: string, typeName: string, typeKey: string) => ({
  $id: '1',
  innerException: null,
  message,
  typeName: `${typeName}, Microsoft.VisualStudio.Services.WebApi`,
  typeKey,
  errorCode: 0,
  eventId: 3000,
});

/** Azure DevOps's text for a request without api-version (VssVersionNotSpecifiedException; wording as commonly quoted, ours). */
export const versionNotSpecified = (method: string) =>
  vssException(
    `No api-version was supplied for the ${method} request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`,
    'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException',
    'VssVersionNotSpecifiedException',
  );

/**
 * Without `X-TFS-FedAuthRedirect: Suppress`, an unauthenticated request is redirected to the sign-in page
 * ("Object moved", captured in Azure/azure-sdk-for-js#29854's TROUBLESHOOTING diff); with it, a bare 401
 * (@azure/identity 4.5.0 changelog; body ours: empty).
 */
export const signInRedirectHtml = (location: string) =>
  `<html><head><title>Object moved</title></head><body>\r\n<h2>Object moved to <a href="${location.replace(/&/g, '&amp;')}">here</a>.</h2>\r\n</body></html>\r\n`;
