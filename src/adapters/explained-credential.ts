// Wraps a credential so that a sign-in failure also says what the person needs to fix it (e.g. the
// subject of the OIDC token Entra could not match). The wrapped error keeps its name and fields.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

export function explainedCredential(inner: TokenCredential, hint: () => string | undefined): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, options);
      } catch (error) {
        const extra = hint();
        if (extra && error instanceof Error && !error.message.includes(extra))
          // First: Entra's own text is long (trace and correlation ids) and is shortened in messages.
          error.message = `${extra} — ${error.message}`;
        throw error;
      }
    },
  };
}
