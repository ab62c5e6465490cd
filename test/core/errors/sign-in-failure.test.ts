// A failed sign-in is stated once, with the fix in the platform's words; the SDK's account of it (a
// chain's dump of every credential it tried) goes to the debug log, once per credential.
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { explainSignInFailures, isSignInFailure, signInFix } from '../../../src/core/errors/sign-in-failure.js';
import { describeError, signInCause } from '../../../src/core/errors/describe-error.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const CHAIN =
  'ChainedTokenCredential authentication failed.\nCredentialUnavailableError: EnvironmentCredential is unavailable.\n' +
  "CredentialUnavailableError: Azure CLI could not be found. … using 'az login'.";

function failing(name: string, message: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken | null> => {
      throw Object.assign(new Error(message), { name });
    },
  };
}

describe('explainSignInFailures', () => {
  it('tags the error with the fix and tells the SDK text to the debug log once', async () => {
    const debug: string[] = [];
    const credential = explainSignInFailures(failing('AggregateAuthenticationError', CHAIN), {
      fix: 'Sign in with `az login`',
      debug: (m) => debug.push(m),
    });
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) await credential.getToken('scope').catch((e: unknown) => errors.push(e));
    expect(errors).toHaveLength(3);
    expect(isSignInFailure(errors[0])).toBe(true);
    expect(signInFix(errors[0])).toBe('Sign in with `az login`');
    expect(debug).toHaveLength(1);
    expect(debug[0]).toContain('ChainedTokenCredential authentication failed');
  });

  it('a cancelled call is not a sign-in failure', async () => {
    const credential = explainSignInFailures(failing('AbortError', 'aborted'), { debug: () => undefined });
    const controller = new AbortController();
    controller.abort();
    const error = await credential.getToken('scope', { abortSignal: controller.signal }).catch((e: unknown) => e);
    expect(isSignInFailure(error)).toBe(false);
  });
});

describe('signInCause', () => {
  it('a chain: who was tried and the fix, never its dump', async () => {
    const credential = explainSignInFailures(failing('AggregateAuthenticationError', CHAIN), {
      fix: 'Sign in with `az login`',
      debug: () => undefined,
    });
    const error = await credential.getToken('scope').catch((e: unknown) => e);
    const text = describeError(error, 'read', { identity: 'the Azure CLI session (az login)', label: labeller('cli') });
    expect(text).toBe(
      'read failed: could not sign in to Azure as the Azure CLI session (az login). Sign in with `az login`',
    );
    expect(text).not.toMatch(/Chained|EnvironmentCredential|aka\.ms/);
  });

  it("one credential: Entra's answer (its AADSTS code), then the fix", () => {
    const error = Object.assign(new Error('AADSTS70021: No matching federated identity record found.'), {
      name: 'AuthenticationError',
    });
    expect(signInCause(error, 'client id 1 (GitHub OIDC)')).toBe(
      'could not sign in to Azure as client id 1 (GitHub OIDC) (AADSTS70021: No matching federated identity record found.). ' +
        'Check the credential the step uses (service connection, federated credential, client id and tenant)',
    );
  });
});
