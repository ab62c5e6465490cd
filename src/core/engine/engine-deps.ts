// What the engine needs from its caller: the store, a logger, who owns what it writes, and how to name inputs.
import type { Logger, SecretStore } from '../common/ports.js';
import type { Label } from '../inputs/inputs.js';
import type { Owner } from '../common/types.js';
import type { SchedulerOptions } from './scheduler.js';

export interface EngineDeps {
  store: SecretStore;
  logger: Logger;
  owner: Owner;
  /** Who is signed in (e.g. "client id … (GitHub OIDC)"), named in sign-in and permission errors. */
  identity?: string;
  /** Names inputs in reasons and errors the way the platform spells them. */
  label: Label;
  /** Aborted when the job is cancelled (SIGTERM): no request starts after it, and the result says what landed. */
  signal?: AbortSignal;
  /** Clock, budgets, retry policy; the concurrency limit, call timeout and deadline come from the request. */
  scheduler?: SchedulerOptions;
  /** Told of each secret finished (planned in a dry run) and each retry, for progress lines. */
  onProgress?(event: { kind: 'done' | 'retry'; name: string }): void;
}
