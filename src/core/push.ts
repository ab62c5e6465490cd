// The one flow every adapter runs: parse → mask → validate → sign in → find the vault → plan/apply.
// Masking comes before anything can be logged or sent, and nothing is requested before every
// input (the sign-in inputs included) has been validated.
import type { TokenCredential } from '@azure/core-auth';
import type { Logger, Masker, SecretStore } from './ports.js';
import type { Owner, PushRequest, PushResult, RawInputs } from './types.js';
import type { Cloud } from './clouds.js';
import { parseRequest, type ParseContext } from './parse-request.js';
import { maskAll } from './mask.js';
import { InputError } from './errors.js';
import { createKeyVaultStore } from './keyvault-store.js';
import { resolveWorkspaceVault } from './workspace-vault.js';
import { pushSecrets } from './engine.js';

/** How the adapter signs in, prepared (and checked) from its inputs without any request. */
export interface SignIn {
  /** Problems with the sign-in inputs: reported together with every other input problem. */
  problems: string[];
  /** Secrets of the sign-in itself (client secret, certificate): masked like values. */
  secrets: string[];
  /**
   * Builds the credential for the cloud the inputs chose; called only when every input is valid.
   * `client` goes into the credential's options (the User-Agent prefix of its Entra requests).
   */
  credential(cloud: Cloud, client: ClientOptions): TokenCredential;
  /** Who signs in, for messages, e.g. "client id 1234… (GitHub OIDC)". Never a secret. */
  identity?: string;
}

/** SDK client options every Azure client of a run gets. */
export interface ClientOptions {
  userAgentOptions?: { userAgentPrefix?: string };
}

export interface PushDeps extends ParseContext {
  /** Prefixed to the SDK's User-Agent on every Azure request (src/core/user-agent.ts). */
  userAgent?: string;
  logger: Logger;
  masker: Masker;
  signIn: SignIn;
  owner: Owner;
  /** Replaced only by tests of the flow itself. */
  createStore?: (vaultUrl: string, credential: TokenCredential) => SecretStore;
  now?: Date;
}

export async function runPush(raw: RawInputs, deps: PushDeps): Promise<PushResult> {
  const parsed = parseRequest(raw, deps, deps.now);
  maskAll([...deps.signIn.secrets, ...parsed.values], deps.masker);
  const problems = [...parsed.problems, ...deps.signIn.problems];
  if (!parsed.request || problems.length > 0) throw new InputError(problems, parsed.names);

  const { target, cloud, ...options } = parsed.request;
  const client: ClientOptions = deps.userAgent ? { userAgentOptions: { userAgentPrefix: deps.userAgent } } : {};
  const credential = deps.signIn.credential(cloud, client);
  if (deps.signIn.identity) deps.logger.info(`Signing in as ${deps.signIn.identity}`);
  const vaultUrl =
    target.kind === 'vault'
      ? target.vaultUrl
      : await resolveWorkspaceVault(target, {
          credential,
          cloud,
          logger: deps.logger,
          label: deps.label,
          ...(deps.signIn.identity && { identity: deps.signIn.identity }),
          ...(deps.userAgent && { userAgent: deps.userAgent }),
        });
  const request: PushRequest = { ...options, vaultUrl };
  deps.logger.info(`${request.dryRun ? 'Planning' : 'Pushing'} ${request.secrets.length} secret(s) to ${vaultUrl}`);
  const store = deps.createStore
    ? deps.createStore(vaultUrl, credential)
    : createKeyVaultStore(vaultUrl, credential, deps.userAgent ? { userAgent: deps.userAgent } : {});
  return pushSecrets(request, {
    store,
    logger: deps.logger,
    owner: deps.owner,
    label: deps.label,
    ...(deps.signIn.identity && { identity: deps.signIn.identity }),
  });
}
