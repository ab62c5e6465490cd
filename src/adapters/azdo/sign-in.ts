// How the Azure DevOps task signs in: from the Azure Resource Manager service connection in input
// `azureSubscription`, by its scheme, the way Microsoft's own tasks do:
//   WorkloadIdentityFederation → AzurePipelinesCredential (the system access token is read inside
//                                the task; no `env: SYSTEM_ACCESSTOKEN` mapping needed)
//   ServicePrincipal + key     → ClientSecretCredential;  + certificate → ClientCertificateCredential
//   ManagedServiceIdentity     → ManagedIdentityCredential
//   no connection              → DefaultAzureCredential
// The connection also gives the cloud, the Resource Manager URL, the authority and the subscription.
// Source for the endpoint fields: microsoft/azure-pipelines-tasks-common-packages azure-arm-rest
// (azure-arm-endpoint.ts, constants.ts); docs/platforms.md §3.5 and §4.2.
import type * as TaskLibModule from 'azure-pipelines-task-lib/task.js';
import {
  AzurePipelinesCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { ClientOptions, SignIn } from '../../core/run/push.js';
import type { RawInputs } from '../../core/inputs/inputs.js';
import { GUID_RULE, TENANT_RULE, isGuid, isTenantId } from '../../core/azure/azure-ids.js';
import { quietly } from './quietly.js';

export type ConnectionLib = Pick<
  typeof TaskLibModule,
  | 'getInput'
  | 'getEndpointAuthorizationScheme'
  | 'getEndpointAuthorizationParameter'
  | 'getEndpointDataParameter'
  | 'getEndpointUrl'
  | 'setStdStream'
>;

export const CONNECTION_INPUT = 'azureSubscription';

export interface AzdoSignIn {
  signIn: SignIn;
  /** Inputs the connection answers when the pipeline leaves them empty (cloud, endpoints, subscription). */
  defaults: RawInputs;
}

export function azdoSignIn(tl: ConnectionLib, env: NodeJS.ProcessEnv): AzdoSignIn {
  const id = (tl.getInput(CONNECTION_INPUT) ?? '').trim();
  if (!id) {
    return {
      defaults: {},
      signIn: {
        problems: [],
        secrets: [],
        identity: 'DefaultAzureCredential (no service connection)',
        fix: `Set the input ${CONNECTION_INPUT} to an Azure Resource Manager service connection`,
        credential: (cloud, client) => new DefaultAzureCredential({ ...client, authorityHost: cloud.authorityHost }),
      },
    };
  }
  const param = (key: string) => quietly(tl, () => tl.getEndpointAuthorizationParameter(id, key, true))?.trim() ?? '';
  const data = (key: string) => tl.getEndpointDataParameter(id, key, true)?.trim() ?? '';
  const scheme = (tl.getEndpointAuthorizationScheme(id, true) ?? '').trim();
  const tenantId = param('tenantid');
  const clientId = param('serviceprincipalid');
  const problems: string[] = [];
  const secrets: string[] = [];
  const where = `${CONNECTION_INPUT} (service connection ${id})`;
  const needIds = () => {
    if (!tenantId) problems.push(`${where}: has no tenant id`);
    else if (!isTenantId(tenantId)) problems.push(`${where}: its tenant id is not ${TENANT_RULE}`);
    if (!clientId) problems.push(`${where}: has no service principal (client) id`);
    else if (!isGuid(clientId)) problems.push(`${where}: its service principal id is not ${GUID_RULE}`);
  };

  let build: ((authorityHost: string, client: ClientOptions) => TokenCredential) | undefined;
  let how = scheme;
  switch (scheme.toLowerCase()) {
    case 'workloadidentityfederation': {
      needIds();
      const systemToken =
        param('AccessToken') ||
        quietly(tl, () => tl.getEndpointAuthorizationParameter('SYSTEMVSSCONNECTION', 'AccessToken', true)) ||
        '';
      if (systemToken) secrets.push(systemToken);
      else
        problems.push(
          `${where}: workload identity federation needs the job's access token, which the agent did not provide`,
        );
      if (!env.SYSTEM_OIDCREQUESTURI)
        problems.push(
          `${where}: workload identity federation needs System.OidcRequestUri, which the agent did not provide (agent too old?)`,
        );
      build = (authorityHost, client) =>
        new AzurePipelinesCredential(tenantId, clientId, id, systemToken, { ...client, authorityHost });
      break;
    }
    case 'serviceprincipal': {
      needIds();
      const type = param('authenticationType').toLowerCase();
      if (type === 'spncertificate') {
        const certificate = param('servicePrincipalCertificate');
        if (!certificate) problems.push(`${where}: has no certificate`);
        secrets.push(certificate);
        how = 'ServicePrincipal, certificate';
        build = (authorityHost, client) =>
          new ClientCertificateCredential(tenantId, clientId, { certificate }, { ...client, authorityHost });
      } else {
        const key = param('serviceprincipalkey');
        if (!key) problems.push(`${where}: has no service principal key`);
        secrets.push(key);
        how = 'ServicePrincipal, secret';
        build = (authorityHost, client) =>
          new ClientSecretCredential(tenantId, clientId, key, { ...client, authorityHost });
      }
      break;
    }
    case 'managedserviceidentity': {
      const msiClientId = data('msiclientId');
      build = (_authorityHost, client) =>
        new ManagedIdentityCredential({ ...client, ...(msiClientId && { clientId: msiClientId }) });
      how = `ManagedServiceIdentity${msiClientId ? `, client id ${msiClientId}` : ''}`;
      break;
    }
    default:
      problems.push(
        `${where}: authentication scheme '${scheme || '(none)'}' is not supported; use workload identity federation, ` +
          'a service principal (secret or certificate) or a managed identity',
      );
  }

  const authority = (data('activeDirectoryAuthority') || data('environmentAuthorityUrl')).replace(/\/+$/, '');
  const armUrl = (tl.getEndpointUrl(id, true) ?? '').trim().replace(/\/+$/, '');
  const defaults: RawInputs = {
    ...(data('environment') && { cloud: data('environment') }),
    ...(armUrl && { 'resource-manager-endpoint': armUrl }),
    ...(authority && { 'authority-host': authority }),
    ...((data('subscriptionId') || data('SubscriptionId')) && {
      'subscription-id': data('subscriptionId') || data('SubscriptionId'),
    }),
  };

  return {
    defaults,
    signIn: {
      problems,
      secrets: secrets.filter(Boolean),
      identity: `service connection ${id} (${how}${clientId ? `, client id ${clientId}` : ''})`,
      fix:
        `Check the service connection of ${CONNECTION_INPUT} (its federated credential, secret or managed identity, ` +
        "and its tenant), and that it is authorized for this pipeline: on a pipeline's first run, permit it on the " +
        "run's page, or grant the pipeline access in the connection's Security settings",
      credential: (cloud, client) => (build ? build(cloud.authorityHost, client) : new DefaultAzureCredential(client)),
    },
  };
}
