// The one flow every adapter runs: parse → mask → validate → store → plan/apply.
// Masking comes before anything can be logged or sent, and nothing is requested before every
// input has been validated (the credential is constructed by the adapter but asked for no token
// until the store makes its first call).
import type { TokenCredential } from '@azure/core-auth';
import type { Logger, Masker, SecretStore } from './ports.js';
import type { Owner, PushResult, RawInputs } from './types.js';
import { parseRequest, type ParseContext } from './parse-request.js';
import { maskAll } from './mask.js';
import { InputError } from './errors.js';
import { createKeyVaultStore } from './keyvault-store.js';
import { pushSecrets } from './engine.js';

export interface PushDeps extends ParseContext {
  logger: Logger;
  masker: Masker;
  credential: TokenCredential;
  owner: Owner;
  /** Replaced only by tests of the flow itself. */
  createStore?: (vaultUrl: string, credential: TokenCredential) => SecretStore;
  now?: Date;
}

export async function runPush(raw: RawInputs, deps: PushDeps): Promise<PushResult> {
  const parsed = parseRequest(raw, deps, deps.now);
  maskAll(parsed.values, deps.masker);
  if (!parsed.request) throw new InputError(parsed.problems);
  const request = parsed.request;
  deps.logger.info(
    `${request.dryRun ? 'Planning' : 'Pushing'} ${request.secrets.length} secret(s) to ${request.vaultUrl}`,
  );
  const store = (deps.createStore ?? createKeyVaultStore)(request.vaultUrl, deps.credential);
  return pushSecrets(request, { store, logger: deps.logger, owner: deps.owner });
}
