// The secrets data plane: which operation a method + path is (REST spec 7.4/7.6 paths, incl. the SDK's
// trailing-slash "latest version" form), and each operation's response body (SecretBundle,
// SecretItem, DeletedSecretBundle, … — docs/keyvault.md §1.1). Values appear only where the service
// returns them: set, get (and the backup blob). Timestamps are integer seconds.
import type { KeyObject } from 'node:crypto';
import { decodeBackup, encodeBackup } from './backup-blob.js';
import * as errors from './errors.js';
import { RECOVERABLE_DAYS, RECOVERY_LEVEL } from '../common/limits.js';
import { decodeSkipToken, nextLink, parseMaxResults, takePage } from './paging.js';
import { SECRET_ACTIONS } from '../access/rbac.js';
import type { RequestClass } from './throttle.js';
import { checkSecretName, parseRestoreBody, parseSetBody, parseUpdateBody } from './validation.js';
import type { DeletedSecret, SecretEntity, SecretVersion, VaultStore } from './vault-store.js';

export type Operation =
  | 'set'
  | 'get'
  | 'update'
  | 'list'
  | 'listVersions'
  | 'delete'
  | 'getDeleted'
  | 'listDeleted'
  | 'recover'
  | 'purge'
  | 'backup'
  | 'restore';

export interface Route {
  op: Operation;
  /** Decoded secret name, when the path has one (validated later: invalid names are a 400 after auth). */
  name?: string;
  /** Version segment; '' or absent = latest. */
  version?: string;
  action: string;
  needsBody: boolean;
  /** Throttling class: only SetSecret counts against the "secret CREATE" limit. */
  requestClass: RequestClass;
}

export type RouteMatch =
  | { kind: 'route'; route: Route }
  | { kind: 'notFound' }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'badName'; raw: string };

const OPS: Record<Operation, { action: string; needsBody: boolean }> = {
  set: { action: SECRET_ACTIONS.setSecret, needsBody: true },
  get: { action: SECRET_ACTIONS.getSecret, needsBody: false },
  update: { action: SECRET_ACTIONS.update, needsBody: true },
  list: { action: SECRET_ACTIONS.readMetadata, needsBody: false },
  listVersions: { action: SECRET_ACTIONS.readMetadata, needsBody: false },
  delete: { action: SECRET_ACTIONS.delete, needsBody: false },
  getDeleted: { action: SECRET_ACTIONS.readMetadata, needsBody: false },
  listDeleted: { action: SECRET_ACTIONS.readMetadata, needsBody: false },
  recover: { action: SECRET_ACTIONS.recover, needsBody: false },
  purge: { action: SECRET_ACTIONS.purge, needsBody: false },
  backup: { action: SECRET_ACTIONS.backup, needsBody: false },
  restore: { action: SECRET_ACTIONS.restore, needsBody: true },
};

function route(op: Operation, name?: string, version?: string): RouteMatch {
  return {
    kind: 'route',
    route: {
      op,
      ...(name !== undefined ? { name } : {}),
      ...(version !== undefined ? { version } : {}),
      ...OPS[op],
      requestClass: op === 'set' ? 'set' : 'other',
    },
  };
}

/** Method + raw path (no query) → operation. Fixed segments are case-insensitive, like the service's routing. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const trimmed = rawPath.replace(/^\/+/, '');
  const segs = trimmed.split('/');
  const head = segs[0]!.toLowerCase();
  const m = method.toUpperCase();
  const pick = (table: Partial<Record<string, () => RouteMatch>>): RouteMatch =>
    table[m]?.() ??
    (Object.keys(table).length ? { kind: 'methodNotAllowed', allow: Object.keys(table) } : { kind: 'notFound' });

  let name: string | undefined;
  if (segs.length >= 2 && segs[1] !== '') {
    try {
      name = decodeURIComponent(segs[1]!);
    } catch {
      return { kind: 'badName', raw: segs[1]! };
    }
  }

  if (head === 'secrets') {
    if (name === undefined) {
      if (segs.length <= 2 && (segs[1] ?? '') === '') return pick({ GET: () => route('list') });
      return { kind: 'notFound' };
    }
    if (segs.length === 2) {
      const table: Partial<Record<string, () => RouteMatch>> = {
        PUT: () => route('set', name),
        GET: () => route('get', name, ''),
        PATCH: () => route('update', name, ''),
        DELETE: () => route('delete', name),
      };
      if (name.toLowerCase() === 'restore') table.POST = () => route('restore');
      return pick(table);
    }
    const third = segs[2]!;
    const rest = segs.slice(3);
    if (rest.length > 1 || (rest.length === 1 && rest[0] !== '')) return { kind: 'notFound' };
    if (third.toLowerCase() === 'versions') return pick({ GET: () => route('listVersions', name) });
    if (third.toLowerCase() === 'backup' && m === 'POST') return route('backup', name);
    if (rest.length === 1) return { kind: 'notFound' }; // "/secrets/x/<version>/" is not a route
    return pick({ GET: () => route('get', name, third), PATCH: () => route('update', name, third) });
  }

  if (head === 'deletedsecrets') {
    if (name === undefined) {
      if (segs.length <= 2 && (segs[1] ?? '') === '') return pick({ GET: () => route('listDeleted') });
      return { kind: 'notFound' };
    }
    if (segs.length === 2) return pick({ GET: () => route('getDeleted', name), DELETE: () => route('purge', name) });
    if (segs.length === 3 && segs[2]!.toLowerCase() === 'recover') return pick({ POST: () => route('recover', name) });
    return { kind: 'notFound' };
  }
  return { kind: 'notFound' };
}

export function validateRouteName(r: Route): void {
  if (r.name !== undefined) checkSecretName(r.name);
}

export interface OperationContext {
  store: VaultStore;
  /** Scheme + host of the request, for ids and nextLinks. */
  origin: string;
  apiVersion: string;
  query: URLSearchParams;
  body?: Record<string, unknown>;
  backupKey: KeyObject;
}

export interface OperationResult {
  status: number;
  body?: unknown;
}

export function executeOperation(r: Route, ctx: OperationContext): OperationResult {
  const { store, origin } = ctx;
  const name = r.name ?? '';
  const version = r.version || undefined;
  switch (r.op) {
    case 'set': {
      const { entity, version: v } = store.set(name, parseSetBody(ctx.body ?? {}));
      return ok(secretBundle(origin, entity, v, true));
    }
    case 'get': {
      const { entity, version: v } = store.find(name, version);
      if (!v.enabled) throw errors.secretDisabled();
      return ok(secretBundle(origin, entity, v, true));
    }
    case 'update': {
      const { entity, version: v } = store.update(name, version, parseUpdateBody(ctx.body ?? {}));
      return ok(secretBundle(origin, entity, v, false));
    }
    case 'list':
      return ok(
        listPage(
          ctx,
          '/secrets',
          store.list(),
          (e) => e.name.toLowerCase(),
          (e) => secretItem(origin, e, e.versions.at(-1)!, false),
        ),
      );
    case 'listVersions': {
      const { entity, versions } = store.versions(name);
      const path = `/secrets/${encodeURIComponent(name)}/versions`;
      return ok(
        listPage(
          ctx,
          path,
          versions,
          (v) => v.version,
          (v) => secretItem(origin, entity!, v, true),
        ),
      );
    }
    case 'delete':
      return ok(deletedBundle(origin, store.delete(name)));
    case 'getDeleted': {
      const d = store.getDeleted(name);
      if (!d.entity.versions.at(-1)!.enabled) throw errors.secretDisabled();
      return ok(deletedBundle(origin, d));
    }
    case 'listDeleted':
      return ok(
        listPage(
          ctx,
          '/deletedsecrets',
          store.listDeleted(),
          (d) => d.entity.name.toLowerCase(),
          (d) => deletedItem(origin, d),
        ),
      );
    case 'recover': {
      const entity = store.recover(name);
      return ok(secretBundle(origin, entity, entity.versions.at(-1)!, false));
    }
    case 'purge':
      store.purge(name);
      return { status: 204 };
    case 'backup':
      return ok({ value: encodeBackup(store.backup(name), ctx.backupKey) });
    case 'restore': {
      const entity = store.restore(decodeBackup(parseRestoreBody(ctx.body ?? {}), ctx.backupKey));
      return ok(secretBundle(origin, entity, entity.versions.at(-1)!, false));
    }
  }
}

const ok = (body: unknown): OperationResult => ({ status: 200, body });

function listPage<T>(
  ctx: OperationContext,
  path: string,
  items: readonly T[],
  keyOf: (t: T) => string,
  render: (t: T) => unknown,
) {
  const { size, explicit } = parseMaxResults(ctx.query.get('maxresults'));
  const token = ctx.query.get('$skiptoken');
  const after = token === null ? undefined : decodeSkipToken(token);
  const { page, nextMarker } = takePage(items, keyOf, after, size);
  return {
    value: page.map(render),
    nextLink: nextMarker === undefined ? null : nextLink(ctx.origin, path, ctx.apiVersion, nextMarker, size, explicit),
  };
}

function attributes(v: SecretVersion) {
  return {
    enabled: v.enabled,
    ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
    ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created,
    updated: v.updated,
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: RECOVERABLE_DAYS,
  };
}

const baseId = (origin: string, e: SecretEntity) => `${origin}/secrets/${e.name}`;

function secretBundle(origin: string, e: SecretEntity, v: SecretVersion, withValue: boolean) {
  return {
    ...(withValue ? { value: v.value } : {}),
    id: `${baseId(origin, e)}/${v.version}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    ...(v.tags !== undefined ? { tags: v.tags } : {}),
  };
}

function secretItem(origin: string, e: SecretEntity, v: SecretVersion, versioned: boolean) {
  return {
    id: versioned ? `${baseId(origin, e)}/${v.version}` : baseId(origin, e),
    attributes: attributes(v),
    ...(v.tags !== undefined ? { tags: v.tags } : {}),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
  };
}

function deletedFields(origin: string, d: DeletedSecret) {
  return {
    recoveryId: `${origin}/deletedsecrets/${d.entity.name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
  };
}

function deletedBundle(origin: string, d: DeletedSecret) {
  return { ...deletedFields(origin, d), ...secretBundle(origin, d.entity, d.entity.versions.at(-1)!, false) };
}

function deletedItem(origin: string, d: DeletedSecret) {
  return { ...deletedFields(origin, d), ...secretItem(origin, d.entity, d.entity.versions.at(-1)!, false) };
}
