// The SecretStore over @azure/keyvault-secrets: the only file that talks to SecretClient.
// It never logs and never builds an error message from a value; errors are the SDK's, thrown as
// they come (describeError turns them into causes) or our own timeouts, which name only the secret.
import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type {
  CallOptions,
  DeletedState,
  ListedSecret,
  LiveState,
  SecretProperties,
  SecretStore,
} from '../common/ports.js';
import { errorFacts, hasErrorCode } from '../errors/describe-error.js';
import { isSignInFailure, tagSignInFailures } from '../errors/sign-in-failure.js';
import { retryCause } from './retry-policy.js';
import { checkHttpsUrl } from '../azure/azure-ids.js';
import { isLoopbackHost } from '../azure/vault-host.js';

export interface KeyVaultStoreOptions {
  /** Prefixed to the SDK's User-Agent (e.g. "aml-vault-push/0.1.0 github-action"). */
  userAgent?: string;
  /** How often recover and purge check whether the service has finished. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long recover and purge wait for the service to finish, at most. Default 60 s. */
  maxWaitMs?: number;
}

export function createKeyVaultStore(
  vaultUrl: string,
  credential: TokenCredential,
  options: KeyVaultStoreOptions = {},
): SecretStore {
  // Inputs were checked before any request; this guards the store itself (tokens go over https only).
  const checked = checkHttpsUrl(vaultUrl);
  if (checked.problem !== undefined) throw new Error(`The vault URL ${checked.problem}`);
  const { url } = checked as { url: URL };

  // Tagged, so that a sign-in failure carrying a status (e.g. 404 from a CI's OIDC endpoint) is
  // never read as the vault's answer about a secret.
  const client = new SecretClient(vaultUrl, tagSignInFailures(credential), {
    // The scheduler is the only retry layer (see scheduler.ts): SDK retries would multiply ours and
    // hide 429s from its concurrency control.
    retryOptions: { maxRetries: 0 },
    disableChallengeResourceVerification: isLoopbackHost(url.hostname),
    ...(options.userAgent ? { userAgentOptions: { userAgentPrefix: options.userAgent } } : {}),
  });
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const maxWaitMs = options.maxWaitMs ?? 60_000;

  /**
   * Polls `done` until it returns true, at most maxWaitMs. A poll that fails for a reason a retry can
   * fix counts as "not yet": retrying the whole recover or purge for it would repeat the request
   * that already succeeded.
   */
  async function waitUntil(what: string, done: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      signal?.throwIfAborted();
      try {
        if (await done()) return;
      } catch (error) {
        if (signal?.aborted || isSignInFailure(error) || retryCause(error) === undefined) throw error;
      }
      if (Date.now() >= deadline) {
        throw new Error(`Key Vault did not finish ${what} within ${Math.round(maxWaitMs / 1000)} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  }

  /** A 404 from the vault (never one from the sign-in: see sign-in-failure.ts). */
  const vaultSays = (error: unknown) => (isSignInFailure(error) ? undefined : errorFacts(error));

  async function readDeleted(name: string, options?: CallOptions): Promise<DeletedState> {
    try {
      const deleted = await client.getDeletedSecret(name, { abortSignal: options?.abortSignal });
      const { tags } = deleted.properties;
      return {
        kind: 'deleted',
        // The service omits `tags` when a secret has none: that is an empty set, not an unknown one.
        tags: tags ?? {},
      };
    } catch (error) {
      const facts = vaultSays(error);
      if (!facts) throw error;
      if (facts.statusCode === 404) return { kind: 'absent' };
      // A soft-deleted secret whose latest version was disabled answers 403 SecretDisabled.
      if (hasErrorCode(facts, 'SecretDisabled')) return { kind: 'deleted' };
      // Reading deleted secrets needs the `list` permission under access policies, which an identity
      // allowed only get and set lacks. Call it absent: if it really is soft-deleted, the write gets
      // 409 ObjectIsDeletedButRecoverable, which the engine handles by the on-deleted policy.
      if (
        facts.statusCode === 403 &&
        !hasErrorCode(facts, 'ForbiddenByFirewall') &&
        !hasErrorCode(facts, 'ForbiddenByConnection')
      ) {
        return { kind: 'absent' };
      }
      throw error;
    }
  }

  return {
    async list() {
      const listed: ListedSecret[] = [];
      for await (const p of client.listPropertiesOfSecrets()) {
        listed.push({
          name: p.name,
          enabled: p.enabled !== false,
          tags: p.tags ?? {},
          ...(p.updatedOn ? { updatedOn: p.updatedOn } : {}),
          ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
          ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
          ...(p.managed ? { managed: true } : {}),
        });
      }
      return listed;
    },

    async remove(name) {
      // beginDeleteSecret sends the DELETE (the poller's first step) and returns; its polling, every 2 s
      // until the deleted secret shows, is not waited for: the secret is deleted either way.
      await client.beginDeleteSecret(name);
    },

    async read(name, options): Promise<LiveState> {
      try {
        const secret = await client.getSecret(name, { abortSignal: options?.abortSignal });
        const p = secret.properties;
        return {
          kind: 'present',
          secret: {
            value: secret.value ?? '',
            version: p.version ?? '',
            enabled: p.enabled !== false,
            tags: p.tags ?? {},
            ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
            ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
            ...(p.notBefore ? { notBefore: p.notBefore } : {}),
            ...(p.createdOn ? { createdOn: p.createdOn } : {}),
          },
        };
      } catch (error) {
        const facts = vaultSays(error);
        if (facts?.statusCode === 404) return { kind: 'not-live' };
        if (facts?.statusCode === 403 && hasErrorCode(facts, 'SecretDisabled')) return { kind: 'disabled' };
        throw error;
      }
    },

    readDeleted,

    async write(name: string, value: string, props: SecretProperties, options?: CallOptions) {
      const written = await client.setSecret(name, value, {
        abortSignal: options?.abortSignal,
        enabled: true,
        tags: props.tags,
        ...(props.contentType !== undefined ? { contentType: props.contentType } : {}),
        ...(props.expiresOn ? { expiresOn: props.expiresOn } : {}),
        ...(props.notBefore ? { notBefore: props.notBefore } : {}),
      });
      return { version: written.properties.version ?? '' };
    },

    async recover(name, options) {
      // The poller GETs the secret first (done if already live), POSTs recover, then polls the GET.
      const poller = await client.beginRecoverDeletedSecret(name, {
        intervalInMs: pollIntervalMs,
        abortSignal: options?.abortSignal,
      });
      await poller.pollUntilDone({ abortSignal: options?.abortSignal });
      // The poller also stops on a 403 (e.g. no get permission yet); confirm the secret is readable
      // before anyone writes to it. A disabled version counts as recovered: the re-read reports it.
      await waitUntil(
        `recovering ${name}`,
        async () => {
          try {
            await client.getSecret(name, { abortSignal: options?.abortSignal });
            return true;
          } catch (error) {
            const facts = vaultSays(error);
            if (!facts) throw error;
            if (facts.statusCode === 404) return false;
            if (hasErrorCode(facts, 'SecretDisabled')) return true;
            throw error;
          }
        },
        options?.abortSignal,
      );
    },

    async purge(name, options) {
      try {
        await client.purgeDeletedSecret(name, { abortSignal: options?.abortSignal });
      } catch (error) {
        // Already purged (a retry of a purge whose wait failed): the name is free, which is the goal.
        if (vaultSays(error)?.statusCode !== 404) throw error;
      }
      // The purge is asynchronous on the service: wait until the deleted secret is gone.
      await waitUntil(
        `purging ${name}`,
        async () => {
          try {
            await client.getDeletedSecret(name, { abortSignal: options?.abortSignal });
            return false;
          } catch (error) {
            const facts = vaultSays(error);
            if (!facts) throw error;
            if (facts.statusCode === 404) return true;
            if (hasErrorCode(facts, 'SecretDisabled')) return false;
            throw error;
          }
        },
        options?.abortSignal,
      );
    },
  };
}
