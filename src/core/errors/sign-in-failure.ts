// Where an error comes from: the vault's answer, or the credential that failed to get a token.
// Both can carry a status code (the Azure DevOps OIDC endpoint answers 404 for a service connection
// the stage may not use), so a status alone cannot tell "the secret is not there" from "we could not
// sign in". Errors thrown by getToken are tagged as they leave the credential; the tag survives the
// SDK's pipeline (it rethrows the same object) and is checked before any status code is read.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

// Symbol.for: the same key in every copy of this module a bundle might carry.
const SIGN_IN_FAILURE = Symbol.for('aml-vault-push.sign-in-failure');

/** Error names of @azure/identity's sign-in failures (by name, not instanceof: see describe-error.ts). */
const IDENTITY_ERROR_NAMES = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
]);

/** True when the error came from signing in, not from the vault's answer. */
export function isSignInFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[SIGN_IN_FAILURE] === true) return true;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && IDENTITY_ERROR_NAMES.has(name);
}

/** A credential whose failures are tagged as sign-in failures (the error object is otherwise unchanged). */
export function tagSignInFailures(inner: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, options);
      } catch (error) {
        // Given up because the call timed out or the run was cancelled: that is not a sign-in failure.
        if (options?.abortSignal?.aborted) throw error;
        const tagged = typeof error === 'object' && error !== null ? error : new Error(String(error));
        Object.defineProperty(tagged, SIGN_IN_FAILURE, { value: true, enumerable: false });
        throw tagged;
      }
    },
  };
}
