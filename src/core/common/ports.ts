// The only things the core asks of the outside world. Adapters implement Logger and Masker with the
// platform's API; the Key Vault store implements SecretStore with @azure/keyvault-secrets.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

/** Registers one fragment with the platform's secret masker. Fragments come from maskFragments(). */
export interface Masker {
  mask(fragment: string): void;
}

/** Properties the tool sets on a version and compares to decide "unchanged". */
export interface SecretProperties {
  contentType?: string;
  tags: Record<string, string>;
  expiresOn?: Date;
  notBefore?: Date;
}

export interface StoredSecret extends SecretProperties {
  value: string;
  version: string;
  enabled: boolean;
  /** When this version was written (drives the expires-in comparison). */
  createdOn?: Date;
}

export type CurrentState =
  /** No secret by that name, live or soft-deleted. */
  | { kind: 'absent' }
  /** No live secret; whether a soft-deleted one holds the name was not asked (the write will tell: 409). */
  | { kind: 'not-live' }
  | { kind: 'present'; secret: StoredSecret }
  /** The latest version is disabled: its value and tags cannot be read. */
  | { kind: 'disabled' }
  /** Soft-deleted. `tags` are the deleted secret's (readable without its value), so ownership is
   * checked before anything is recovered or purged; undefined when the service did not return them. */
  | { kind: 'deleted'; tags?: Record<string, string> };

/** What a listing shows of one secret: properties only (a listing never carries a value). */
export interface ListedSecret {
  name: string;
  enabled: boolean;
  updatedOn?: Date;
  expiresOn?: Date;
  contentType?: string;
  tags: Record<string, string>;
  /** Backs a Key Vault certificate: the vault manages it, never this tool. */
  managed?: boolean;
}

/** What one GET of the live secret can say. */
export type LiveState = Extract<CurrentState, { kind: 'not-live' | 'present' | 'disabled' }>;
/** What one GET of the deleted secret can say. */
export type DeletedState = Extract<CurrentState, { kind: 'absent' | 'deleted' }>;

/** Per call: aborted when the call times out or the run is cancelled. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

/**
 * Each method is one request to the vault (recover and purge: one request, then polls until the
 * service has finished), so that the scheduler retries exactly the request that failed.
 */
export interface SecretStore {
  /** The properties of every live secret (paged by the SDK). Never values. */
  list(): Promise<ListedSecret[]>;
  /** Soft-deletes a secret: sends the DELETE and returns; it stays recoverable (never purged). */
  remove(name: string): Promise<void>;
  /** The live secret: GET latest. A 404 is `not-live` (it may still be soft-deleted). */
  read(name: string, options?: CallOptions): Promise<LiveState>;
  /** The soft-deleted secret: GET deleted. `absent` when there is none (or it cannot be listed). */
  readDeleted(name: string, options?: CallOptions): Promise<DeletedState>;
  /** Writes a new version; returns its version id. */
  write(name: string, value: string, props: SecretProperties, options?: CallOptions): Promise<{ version: string }>;
  /** Recovers a soft-deleted secret and waits until it is readable. */
  recover(name: string, options?: CallOptions): Promise<void>;
  /** Purges a soft-deleted secret and waits until the name is free. */
  purge(name: string, options?: CallOptions): Promise<void>;
}
