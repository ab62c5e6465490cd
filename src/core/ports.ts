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
  | { kind: 'absent' }
  | { kind: 'present'; secret: StoredSecret }
  /** The latest version is disabled: its value and tags cannot be read. */
  | { kind: 'disabled' }
  /** Soft-deleted. `tags` are the deleted secret's (readable without its value), so ownership is
   * checked before anything is recovered or purged; undefined when the service did not return them. */
  | { kind: 'deleted'; scheduledPurgeDate?: Date; tags?: Record<string, string> };

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

export interface SecretStore {
  /** The properties of every live secret (paged by the SDK). Never values. */
  list(): Promise<ListedSecret[]>;
  /** Soft-deletes a secret: sends the DELETE and returns; it stays recoverable (never purged). */
  remove(name: string): Promise<void>;
  /** Current state of a name: GET latest, and on 404 GET the deleted secret. */
  read(name: string): Promise<CurrentState>;
  /** Writes a new version; returns its version id. */
  write(name: string, value: string, props: SecretProperties): Promise<{ version: string }>;
  /** Recovers a soft-deleted secret and waits until it is readable. */
  recover(name: string): Promise<void>;
  /** Purges a soft-deleted secret and waits until the name is free. */
  purge(name: string): Promise<void>;
}
