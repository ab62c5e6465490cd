// The start contract's shape: what main.ts prints as one JSON line when the emulator is ready, and the
// identities part of it (who a client may sign in as, with the test credentials it needs).
import type { AmlStartInfo } from './arm/aml-plan.js';
import type { CiEndpoints } from './ci-oidc/issuers.js';
import { AZDO, GITHUB } from './ci-oidc/issuers.js';
import type { CloudName } from './common/clouds.js';
import { TOKEN_EXCHANGE_AUDIENCE } from './entra/directory.js';
import type { Directory } from './entra/directory.js';
import { AZDO_APP, DEFAULT_MANAGED_IDENTITY, GITHUB_APP, SERVICE_PRINCIPAL } from './entra/identities.js';

export interface Identities {
  managedIdentity: { clientId: string; objectId: string };
  servicePrincipal: { clientId: string; objectId: string; clientSecret: string; certificateFile: string };
  github: { clientId: string; objectId: string; issuer: string; subject: string; audience: string };
  azdo: {
    clientId: string;
    objectId: string;
    issuer: string;
    subject: string;
    audience: string;
    serviceConnectionId: string;
    systemAccessToken: string;
  };
}

/** The start contract: printed as one JSON line by main.ts (`workspaces`, `computes`, `groups`: aml-plan.ts). */
export interface StartInfo extends AmlStartInfo {
  vaultUrl: string;
  vaults: Record<string, string>;
  caCertFile: string;
  env: Record<string, string>;
  adminUrl: string;
  armUrl: string;
  authorityHost: string;
  tenantId: string;
  subscriptionId: string;
  cloud: CloudName;
  identities: Identities;
}

/** The pipeline identities, with their test credentials (from the directory and the cert dir). */
export function startIdentities(directory: Directory, ci: CiEndpoints, spCredentialFile: string): Identities {
  return {
    managedIdentity: { clientId: DEFAULT_MANAGED_IDENTITY.appId, objectId: DEFAULT_MANAGED_IDENTITY.objectId },
    servicePrincipal: {
      clientId: SERVICE_PRINCIPAL.appId,
      objectId: SERVICE_PRINCIPAL.objectId,
      clientSecret: directory.clientSecret,
      certificateFile: spCredentialFile,
    },
    github: {
      clientId: GITHUB_APP.appId,
      objectId: GITHUB_APP.objectId,
      issuer: ci.githubIssuer,
      subject: GITHUB.defaultSubject,
      audience: TOKEN_EXCHANGE_AUDIENCE,
    },
    azdo: {
      clientId: AZDO_APP.appId,
      objectId: AZDO_APP.objectId,
      issuer: ci.azdoIssuer,
      subject: AZDO.defaultSubject,
      audience: TOKEN_EXCHANGE_AUDIENCE,
      serviceConnectionId: AZDO.serviceConnectionId,
      systemAccessToken: directory.azdoSystemAccessToken,
    },
  };
}
