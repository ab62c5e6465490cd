// How the CLI signs in: the ways a developer's machine or a script has, and only those. Not
// DefaultAzureCredential: off Azure, its managed identity asks the instance metadata endpoint
// (169.254.169.254), and where something answers there (a proxy in HTTPS_PROXY, a router) it retries
// five times with backoff, 17-19 s before "not signed in" could be said; it also tries VS Code,
// PowerShell and the Azure Developer CLI, and its failure is a 21-line dump of all of them.
//
// Tried in this order, each only when it can apply:
//   a service principal    AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH
//   workload identity      AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_FEDERATED_TOKEN_FILE
//   a managed identity     on Azure only: IDENTITY_ENDPOINT or MSI_ENDPOINT (App Service, Functions, Azure ML
//                          compute, Arc, Cloud Shell), or an Azure VM (its DMI chassis asset tag) for the metadata endpoint
//   the Azure CLI          always (`az login`); without az it is unavailable at once
import { readFileSync } from 'node:fs';
import {
  AzureCliCredential,
  ChainedTokenCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { SignIn } from '../../core/run/push.js';

/** The chassis asset tag every Azure virtual machine reports (its SMBIOS), read without a request. */
const AZURE_VM_ASSET_TAG = '7783-7084-3265-9085';

export const CLI_SIGN_IN_FIX =
  'Sign in with `az login` (and `az account set --subscription ID` to pick the subscription); ' +
  'or, for a service principal, set AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_CLIENT_SECRET ' +
  '(or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_FEDERATED_TOKEN_FILE); or run on Azure with a managed identity';

type Way = 'service principal' | 'workload identity' | 'managed identity' | 'Azure CLI';

/** The ways of signing in this environment offers, in the order they are tried. Pure but for the DMI file. */
export function signInWays(env: NodeJS.ProcessEnv, onAzureVm: () => boolean = azureVm): Way[] {
  const ways: Way[] = [];
  const app = !!env.AZURE_CLIENT_ID && !!env.AZURE_TENANT_ID;
  if (app && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH)) ways.push('service principal');
  if (app && env.AZURE_FEDERATED_TOKEN_FILE) ways.push('workload identity');
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT || onAzureVm()) ways.push('managed identity');
  ways.push('Azure CLI');
  return ways;
}

const WAY_NAMES: Record<Way, (env: NodeJS.ProcessEnv) => string> = {
  'service principal': (env) => `the service principal ${env.AZURE_CLIENT_ID} (AZURE_CLIENT_ID)`,
  'workload identity': (env) => `the workload identity ${env.AZURE_CLIENT_ID} (AZURE_FEDERATED_TOKEN_FILE)`,
  'managed identity': (env) =>
    `the managed identity${env.AZURE_CLIENT_ID ? ` ${env.AZURE_CLIENT_ID}` : ''} of this machine`,
  'Azure CLI': () => 'the Azure CLI session (az login)',
};

export function cliSignIn(env: NodeJS.ProcessEnv): SignIn {
  const ways = signInWays(env);
  const names = ways.map((w) => WAY_NAMES[w](env));
  return {
    problems: [],
    secrets: [],
    identity: names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`,
    fix: CLI_SIGN_IN_FIX,
    credential: (cloud, client) => {
      const options = { ...client, authorityHost: cloud.authorityHost };
      const credentials = ways.map((way): TokenCredential => {
        switch (way) {
          case 'service principal':
            return new EnvironmentCredential(options);
          case 'workload identity':
            return new WorkloadIdentityCredential(options);
          case 'managed identity':
            return new ManagedIdentityCredential({
              ...options,
              ...(env.AZURE_CLIENT_ID && { clientId: env.AZURE_CLIENT_ID }),
            });
          case 'Azure CLI':
            return new AzureCliCredential();
        }
      });
      return new ChainedTokenCredential(...credentials);
    },
  };
}

function azureVm(): boolean {
  try {
    return readFileSync('/sys/class/dmi/id/chassis_asset_tag', 'utf8').trim() === AZURE_VM_ASSET_TAG;
  } catch {
    return false;
  }
}
