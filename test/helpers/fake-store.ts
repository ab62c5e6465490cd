// An in-memory SecretStore for engine tests: records every call, tracks how many run at once, and
// can be told to fail a name with a RestError-shaped error (as the SDK throws them).
import type {
  DeletedState,
  ListedSecret,
  LiveState,
  SecretProperties,
  SecretStore,
  StoredSecret,
} from '../../src/core/common/ports.js';
import type { Clock } from '../../src/core/engine/clock.js';

export type StoreOp = 'read' | 'readDeleted' | 'write' | 'recover' | 'purge' | 'list' | 'remove';

export interface RestErrorInit {
  statusCode?: number;
  code?: string;
  innerCode?: string;
  message?: string;
  headers?: Record<string, string>;
}

/** An error shaped like the SDK's RestError: name, statusCode, code, and a response with the Key Vault error body. */
export function restError(init: RestErrorInit): Error {
  const message = init.message ?? `${init.code ?? 'Error'} ${init.innerCode ?? ''}`.trim();
  const body = init.code
    ? JSON.stringify({
        error: { code: init.code, message, ...(init.innerCode ? { innererror: { code: init.innerCode } } : {}) },
      })
    : '';
  return Object.assign(new Error(message), {
    name: 'RestError',
    ...(init.statusCode !== undefined ? { statusCode: init.statusCode } : {}),
    ...(init.code !== undefined ? { code: init.code } : {}),
    response: { status: init.statusCode, bodyAsText: body, headers: { 'x-ms-request-id': 'req-1', ...init.headers } },
  });
}

/** A Node network error as the SDK surfaces it (RestError with the system code, no status). */
export function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { name: 'RestError', code });
}

interface Entry {
  versions: StoredSecret[];
  deleted: boolean;
  disabled: boolean;
}

export interface Call {
  op: StoreOp;
  name: string;
}

export class FakeStore implements SecretStore {
  readonly calls: Call[] = [];
  inFlight = 0;
  /** Report soft-deleted secrets without their tags (as when the deleted version is disabled). */
  deletedTagsUnknown = false;
  maxInFlight = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly failures: Array<{ op: StoreOp | '*'; name: string; error: Error; times: number }> = [];
  private nextVersion = 1;

  constructor(private readonly clock: Clock) {}

  /** Puts a live secret in the vault (a new version). */
  seed(name: string, secret: Partial<StoredSecret> & { value: string }): void {
    const entry = this.entry(name);
    entry.versions.push({
      tags: {},
      enabled: true,
      version: `v${this.nextVersion++}`,
      createdOn: new Date(this.clock.now()),
      ...secret,
    });
    entry.deleted = false;
  }

  softDelete(name: string): void {
    this.entry(name).deleted = true;
  }

  disable(name: string): void {
    this.entry(name).disabled = true;
  }

  /** Makes `op` on `name` throw `error`, `times` times (Infinity: always). op '*' matches every op. */
  fail(name: string, op: StoreOp | '*', error: Error, times = Infinity): void {
    this.failures.push({ op, name: name.toLowerCase(), error, times });
  }

  latest(name: string): StoredSecret | undefined {
    const e = this.entries.get(name.toLowerCase());
    return e && !e.deleted ? e.versions.at(-1) : undefined;
  }

  versionCount(name: string): number {
    return this.entries.get(name.toLowerCase())?.versions.length ?? 0;
  }

  ops(op: StoreOp): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.name);
  }

  list(): Promise<ListedSecret[]> {
    return this.track('list', '', () =>
      [...this.entries.entries()]
        .filter(([, e]) => !e.deleted && e.versions.length > 0)
        .map(([key, e]) => {
          const latest = e.versions.at(-1)!;
          return {
            name: this.names.get(key) ?? key,
            enabled: !e.disabled && latest.enabled,
            tags: { ...latest.tags },
            ...(latest.createdOn ? { updatedOn: latest.createdOn } : {}),
            ...(latest.expiresOn ? { expiresOn: latest.expiresOn } : {}),
            ...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}),
          };
        }),
    );
  }

  remove(name: string): Promise<void> {
    return this.track('remove', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (!e || e.deleted) throw restError({ statusCode: 404, code: 'SecretNotFound' });
      e.deleted = true;
    });
  }

  read(name: string): Promise<LiveState> {
    return this.track('read', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (!e || e.versions.length === 0 || e.deleted) return { kind: 'not-live' };
      if (e.disabled) return { kind: 'disabled' };
      const latest = e.versions.at(-1)!;
      return { kind: 'present', secret: { ...latest, tags: { ...latest.tags } } };
    });
  }

  readDeleted(name: string): Promise<DeletedState> {
    return this.track('readDeleted', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (!e?.deleted) return { kind: 'absent' };
      return this.deletedTagsUnknown ? { kind: 'deleted' } : { kind: 'deleted', tags: { ...e.versions.at(-1)!.tags } };
    });
  }

  write(name: string, value: string, props: SecretProperties): Promise<{ version: string }> {
    return this.track('write', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (e?.deleted) {
        throw restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsDeletedButRecoverable' });
      }
      this.seed(name, { value, ...props, tags: { ...props.tags } });
      this.entry(name).disabled = false;
      return { version: this.latest(name)!.version };
    });
  }

  recover(name: string): Promise<void> {
    return this.track('recover', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (!e?.deleted) throw restError({ statusCode: 404, code: 'SecretNotFound' });
      e.deleted = false;
    });
  }

  purge(name: string): Promise<void> {
    return this.track('purge', name, () => {
      const e = this.entries.get(name.toLowerCase());
      if (!e?.deleted) throw restError({ statusCode: 404, code: 'SecretNotFound' });
      this.entries.delete(name.toLowerCase());
    });
  }

  /** Each name as first written (Key Vault keeps the case of the first version's name). */
  private readonly names = new Map<string, string>();

  private entry(name: string): Entry {
    const key = name.toLowerCase();
    let e = this.entries.get(key);
    if (!e) {
      this.names.set(key, name);
      e = { versions: [], deleted: false, disabled: false };
      this.entries.set(key, e);
    }
    return e;
  }

  private async track<T>(op: StoreOp, name: string, body: () => T): Promise<T> {
    this.calls.push({ op, name });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield to the event loop so calls overlap, as real requests do.
      await new Promise((resolve) => setImmediate(resolve));
      const failure = this.failures.find(
        (f) => f.name === name.toLowerCase() && (f.op === op || f.op === '*') && f.times > 0,
      );
      if (failure) {
        failure.times--;
        throw failure.error;
      }
      return body();
    } finally {
      this.inFlight--;
    }
  }
}
