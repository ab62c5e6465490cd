// How the GitHub Action signs in (input `auth`):
//   oidc       the runner's ID token exchanged through a federated credential (ClientAssertionCredential);
//              a fresh ID token is fetched whenever a new access token is needed, so long runs don't
//              hit the ~5-10 minute lifetime that breaks an earlier azure/login session.
//   azure-cli  the session of an earlier azure/login step (AzureCliCredential).
//   default    DefaultAzureCredential (self-hosted runners with a managed identity, local runs).
//   auto       oidc when client-id, tenant-id and the ID-token request variables are all there, else default.
import type * as ActionsCoreModule from '@actions/core';
import { AzureCliCredential, ClientAssertionCredential, DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { SignIn } from '../../core/run/push.js';
import { GUID_RULE, TENANT_RULE, isGuid, isTenantId } from '../../core/azure/azure-ids.js';
import { explainedCredential } from '../explained-credential.js';

export const AUTH_MODES = ['auto', 'oidc', 'azure-cli', 'default'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Azure's token-exchange audience for GitHub federated credentials (azure/login's default). */
export const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';

type IdTokenSource = Pick<typeof ActionsCoreModule, 'getIDToken'>;

export interface GitHubAuthInputs {
  auth: string;
  clientId: string;
  tenantId: string;
  audience: string;
}

export function gitHubSignIn(inputs: GitHubAuthInputs, core: IdTokenSource, env: NodeJS.ProcessEnv): SignIn {
  const problems: string[] = [];
  const auth = (inputs.auth.trim() || 'auto').toLowerCase();
  const clientId = inputs.clientId.trim();
  const tenantId = inputs.tenantId.trim();
  const audience = inputs.audience.trim() || DEFAULT_AUDIENCE;
  const hasIdToken = !!env.ACTIONS_ID_TOKEN_REQUEST_URL && !!env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  const noIdToken =
    "the runner offers no ID token: add 'permissions: id-token: write' to the job or workflow " +
    '(pull requests from forks never get one)';

  if (!(AUTH_MODES as readonly string[]).includes(auth))
    problems.push(`auth: '${inputs.auth.trim()}' is not one of ${AUTH_MODES.join(', ')}`);
  if (clientId && !isGuid(clientId)) problems.push(`client-id: is not a client id (${GUID_RULE})`);
  if (tenantId && !isTenantId(tenantId)) problems.push(`tenant-id: is not a tenant id (${TENANT_RULE})`);

  let mode: AuthMode = (AUTH_MODES as readonly string[]).includes(auth) ? (auth as AuthMode) : 'default';
  if (mode === 'auto') {
    if (clientId && tenantId && !hasIdToken) {
      problems.push(
        `client-id and tenant-id are set for OIDC, but ${noIdToken}; or set auth: default to sign in another way`,
      );
    }
    mode = clientId && tenantId && hasIdToken ? 'oidc' : 'default';
  }
  if (mode === 'oidc') {
    if (!clientId)
      problems.push(
        'client-id: is required with auth oidc (the app registration or managed identity with the federated credential)',
      );
    if (!tenantId) problems.push('tenant-id: is required with auth oidc');
    if (!hasIdToken && auth === 'oidc') problems.push(`auth: oidc, but ${noIdToken}`);
  }

  const identity =
    mode === 'oidc'
      ? `client id ${clientId} (GitHub OIDC, tenant ${tenantId})`
      : mode === 'azure-cli'
        ? 'the Azure CLI session of an earlier azure/login step'
        : `DefaultAzureCredential${clientId ? ` (managed identity client id ${clientId})` : ''}`;

  return {
    problems,
    secrets: [],
    identity,
    fix: GITHUB_FIXES[mode],
    credential: (cloud, client): TokenCredential => {
      switch (mode) {
        case 'oidc': {
          let lastToken: string | undefined;
          const credential = new ClientAssertionCredential(
            tenantId,
            clientId,
            async () => {
              // getIDToken masks the token itself (setSecret) before returning it.
              lastToken = await core.getIDToken(audience);
              return lastToken;
            },
            { ...client, authorityHost: cloud.authorityHost },
          );
          return explainedCredential(credential, () => (lastToken ? federatedHint('GitHub', lastToken) : undefined));
        }
        case 'azure-cli':
          return new AzureCliCredential(tenantId ? { tenantId } : {});
        default:
          return new DefaultAzureCredential({
            ...client,
            authorityHost: cloud.authorityHost,
            ...(tenantId && { tenantId }),
            ...(clientId && { managedIdentityClientId: clientId }),
          });
      }
    },
  };
}

const ID_TOKEN = 'the job needs `permissions: id-token: write`';
/** What to do about a failed sign-in, per way of signing in, in the workflow's terms. */
const GITHUB_FIXES: Record<Exclude<AuthMode, 'auto'>, string> = {
  oidc:
    'Check the inputs client-id and tenant-id (the app registration or managed identity whose federated credential ' +
    `names this repository and ref) and that ${ID_TOKEN}`,
  'azure-cli': 'Run azure/login in an earlier step of this job (auth: azure-cli uses its session)',
  default:
    `Set the inputs client-id and tenant-id to sign in with OIDC (${ID_TOKEN}), or run azure/login first and set ` +
    'auth: azure-cli; on a self-hosted runner on Azure, give it a managed identity',
};

/**
 * What a failed token exchange needs to be fixed: the claims the federated credential is matched on.
 * They are not secret (azure/login prints them too); the token itself is never shown.
 */
export function federatedHint(platform: string, jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const claim = (k: string) =>
      typeof payload[k] === 'string'
        ? (payload[k] as string)
        : Array.isArray(payload[k])
          ? (payload[k] as string[]).join(',')
          : '?';
    return (
      `the ${platform} ID token carried issuer '${claim('iss')}', subject '${claim('sub')}', audience '${claim('aud')}': ` +
      'a federated credential of the app must match all three exactly'
    );
  } catch {
    return undefined;
  }
}
