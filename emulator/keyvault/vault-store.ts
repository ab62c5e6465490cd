// The secrets of one vault and the service's state machine: versions, soft delete, recover, purge,
// backup/restore. Names are case-insensitive (about-keys-secrets-certificates); the casing of the first set is kept in ids.
// Operations throw ServiceError with the service's codes; formatting for the wire is secrets-api.ts's job.
import { randomBytes } from 'node:crypto';
import * as errors from './errors.js';
import { RECOVERABLE_DAYS } from '../common/limits.js';

export interface SecretVersion {
  /** 32 lowercase hex characters, like every real version id (about-keys-secrets-certificates, REST spec examples). */
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

export interface SecretEntity {
  name: string;
  /** Creation order; the last one is the latest. */
  versions: SecretVersion[];
}

export interface DeletedSecret {
  entity: SecretEntity;
  deletedDate: number;
  scheduledPurgeDate: number;
}

export interface SetParams {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** PATCH: absent = unchanged; null nbf/exp clears them. The value cannot change (REST spec 7.4 UpdateSecret). */
export interface UpdateParams {
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number | null;
  exp?: number | null;
}

const key = (name: string) => name.toLowerCase();

/** A change the service has accepted but not finished yet (see VaultSettings.consistencyDelayMs). */
type Pending = { kind: 'deleting' | 'recovering' | 'purging'; untilMs: number };
const clone = <T>(v: T): T => structuredClone(v);

export class VaultStore {
  private readonly active = new Map<string, SecretEntity>();
  private readonly deleted = new Map<string, DeletedSecret>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
    readonly recoverableDays = RECOVERABLE_DAYS,
    /** How long a delete, recover or purge takes to show (0: at once). Read at each change. */
    private readonly consistencyDelayMs: () => number = () => 0,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  /** The unfinished change on `name`, if any. Changes whose time has come finish first. */
  private inProgress(name: string): Pending['kind'] | undefined {
    this.settle();
    return this.pending.get(key(name))?.kind;
  }

  /** Finishes every change whose delay has passed: a purge then removes the deleted secret. */
  private settle(): void {
    if (this.pending.size === 0) return;
    const now = this.nowMs();
    for (const [k, p] of [...this.pending]) {
      if (now < p.untilMs) continue;
      this.pending.delete(k);
      if (p.kind === 'purging') this.deleted.delete(k);
    }
  }

  private begin(name: string, kind: Pending['kind']): void {
    const delay = this.consistencyDelayMs();
    if (delay > 0) this.pending.set(key(name), { kind, untilMs: this.nowMs() + delay });
    else this.pending.delete(key(name));
  }

  /** A set (or restore) meets the service's 409s while a change on the name is unfinished. */
  private refuseWhileInProgress(name: string): void {
    const p = this.inProgress(name);
    if (p === 'recovering') throw errors.objectIsBeingRecovered(name);
    if (p === 'deleting' || p === 'purging') throw errors.objectIsBeingDeleted();
  }

  set(name: string, p: SetParams): { entity: SecretEntity; version: SecretVersion } {
    this.refuseWhileInProgress(name);
    if (this.deleted.has(key(name))) throw errors.deletedButRecoverable(name);
    const now = this.nowSeconds();
    const version: SecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: p.value,
      ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
      ...(p.tags !== undefined ? { tags: { ...p.tags } } : {}),
      enabled: p.enabled ?? true,
      ...(p.nbf !== undefined ? { nbf: p.nbf } : {}),
      ...(p.exp !== undefined ? { exp: p.exp } : {}),
      created: now,
      updated: now,
    };
    let entity = this.active.get(key(name));
    if (!entity) {
      entity = { name, versions: [] };
      this.active.set(key(name), entity);
    }
    entity.versions.push(version);
    return { entity, version };
  }

  /** A version (latest when `version` is empty). Deleted secrets are not found. Disabled ones are returned. */
  find(name: string, version?: string): { entity: SecretEntity; version: SecretVersion } {
    // A secret being recovered answers 404 until the recover finishes (the SDK recordings show it).
    const entity = this.inProgress(name) === 'recovering' ? undefined : this.active.get(key(name));
    if (!entity) throw errors.secretNotFound(version ? `${name}/${version}` : name);
    const found = version ? entity.versions.find((v) => v.version === version.toLowerCase()) : entity.versions.at(-1);
    if (!found) throw errors.secretNotFound(version ? `${name}/${version}` : name);
    return { entity, version: found };
  }

  update(name: string, version: string | undefined, p: UpdateParams): { entity: SecretEntity; version: SecretVersion } {
    const found = this.find(name, version);
    const v = found.version;
    if (p.contentType !== undefined) v.contentType = p.contentType;
    if (p.tags !== undefined) v.tags = { ...p.tags };
    if (p.enabled !== undefined) v.enabled = p.enabled;
    if (p.nbf === null) delete v.nbf;
    else if (p.nbf !== undefined) v.nbf = p.nbf;
    if (p.exp === null) delete v.exp;
    else if (p.exp !== undefined) v.exp = p.exp;
    v.updated = this.nowSeconds();
    return found;
  }

  /** Active secrets ordered by lower-case name (the paging key). */
  list(): SecretEntity[] {
    this.settle();
    return [...this.active.entries()]
      .filter(([k]) => this.inProgress(k) !== 'recovering')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => e);
  }

  /** Versions of an active secret; none (not an error) when it does not exist (JS SDK live test list.spec.ts; docs/keyvault.md §1.2). */
  versions(name: string): { entity?: SecretEntity; versions: SecretVersion[] } {
    const entity = this.active.get(key(name));
    return { entity, versions: entity ? entity.versions : [] };
  }

  /** Soft delete, completed synchronously (so the SDK's delete poller finishes on its first GET). */
  delete(name: string): DeletedSecret {
    const entity = this.active.get(key(name));
    if (!entity) throw errors.secretNotFound(name);
    if (this.inProgress(name) === 'recovering') throw errors.objectIsBeingRecovered(name);
    this.active.delete(key(name));
    const deletedDate = this.nowSeconds();
    const record: DeletedSecret = {
      entity,
      deletedDate,
      scheduledPurgeDate: deletedDate + this.recoverableDays * 86_400,
    };
    this.deleted.set(key(name), record);
    this.begin(name, 'deleting');
    return record;
  }

  getDeleted(name: string): DeletedSecret {
    // A secret being deleted is not listed as deleted yet (GET /deletedsecrets/{name} → 404 first).
    const record = this.inProgress(name) === 'deleting' ? undefined : this.deleted.get(key(name));
    if (!record) throw errors.deletedSecretNotFound(name);
    return record;
  }

  listDeleted(): DeletedSecret[] {
    this.settle();
    return [...this.deleted.entries()]
      .filter(([k]) => this.inProgress(k) !== 'deleting')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, d]) => d);
  }

  recover(name: string): SecretEntity {
    const p = this.inProgress(name);
    if (p === 'deleting' || p === 'purging') throw errors.objectIsBeingDeleted();
    const record = this.deleted.get(key(name));
    if (!record) throw errors.secretNotFound(name);
    this.deleted.delete(key(name));
    this.active.set(key(name), record.entity);
    this.begin(name, 'recovering');
    return record.entity;
  }

  /** With a consistency delay the deleted secret stays visible until the purge finishes. */
  purge(name: string): void {
    const p = this.inProgress(name);
    if (p === 'deleting' || p === 'purging') throw errors.objectIsBeingDeleted();
    if (!this.deleted.has(key(name))) throw errors.deletedSecretNotFound(name);
    const delay = this.consistencyDelayMs();
    if (delay <= 0) {
      this.deleted.delete(key(name));
      return;
    }
    this.begin(name, 'purging');
  }

  /** All versions (values included), as the real backup blob carries them. */
  backup(name: string): SecretEntity {
    const entity = this.active.get(key(name));
    if (!entity) throw errors.secretNotFound(name);
    return clone(entity);
  }

  restore(entity: SecretEntity): SecretEntity {
    this.refuseWhileInProgress(entity.name);
    if (this.deleted.has(key(entity.name))) throw errors.deletedButRecoverable(entity.name);
    if (this.active.has(key(entity.name))) throw errors.restoreConflict(entity.name);
    const copy = clone(entity);
    this.active.set(key(entity.name), copy);
    return copy;
  }
}
