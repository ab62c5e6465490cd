// Where an error comes from: the vault's answer, or the credential that failed to get a token.
// Both can carry a status code (the Azure DevOps OIDC endpoint answers 404 for a service connection
// the stage may not use), so a status alone cannot tell "the secret is not there" from "we could not
// sign in". Errors thrown by getToken are tagged as they leave the credential; the tag survives the
// SDK's pipeline (it rethrows the same object) and is checked before any status code is read.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

// Symbol.for: the same key in every copy of this module a bundle might carry.
const SIGN_IN_FAILURE = Symbol.for('aml-vault-push.sign-in-failure');
/** What the person can do about a failed sign-in, in the platform's words (SignIn.fix). */
const SIGN_IN_FIX = Symbol.for('aml-vault-push.sign-in-fix');

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
  return explainSignInFailures(inner);
}

/** The fix the adapter named for a failed sign-in, when the error came through explainSignInFailures. */
export function signInFix(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const fix = (error as Record<symbol, unknown>)[SIGN_IN_FIX];
  return typeof fix === 'string' ? fix : undefined;
}

/**
 * A credential whose failures are tagged as sign-in failures and, given `how`, carry the fix in the
 * person's words while the SDK's text (a chain's dump of every credential it tried) goes to the debug
 * log once: the message states the failure once, with its fix; the SDK's account is there with the
 * platform's debug switch.
 */
export function explainSignInFailures(
  inner: TokenCredential,
  how?: { fix?: string; debug(message: string): void },
): TokenCredential {
  let told = false;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, options);
      } catch (error) {
        // Given up because the call timed out or the run was cancelled: that is not a sign-in failure.
        if (options?.abortSignal?.aborted) throw error;
        const tagged = tag(error, SIGN_IN_FAILURE, true);
        if (how && !told) {
          told = true;
          how.debug(`the sign-in failed; the Azure SDK said: ${(tagged as { message?: unknown }).message}`);
        }
        throw how?.fix === undefined ? tagged : tag(tagged, SIGN_IN_FIX, how.fix);
      }
    },
  };
}

/** The error object (or one made of a non-object), with a hidden property; otherwise unchanged. */
function tag(error: unknown, key: symbol, value: unknown): object {
  const tagged = typeof error === 'object' && error !== null ? error : new Error(String(error));
  Object.defineProperty(tagged, key, { value, enumerable: false, configurable: true });
  return tagged;
}
