// The emulator's Azure Resource Manager: GET of an Azure ML workspace and of a Key Vault, the two calls
// that turn a workspace name into a vault URI (docs/keyvault.md §6):
//   GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}?api-version=…
//     → 200 {id,name,type,location,properties:{keyVault:<vault resource id>,…}}
//   GET {keyVaultId}?api-version=… → 200 {id,name,type,location,properties:{vaultUri,tenantId,enableRbacAuthorization,…}}
// and the three list calls the Azure DevOps task's pickers make (task.json dataSourceBindings):
//   GET /subscriptions/{sub}/resourcegroups?api-version=…                                        → {value:[resource group]}
//   GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces?api-version=… → {value:[workspace]}
//   GET /subscriptions/{sub}/providers/Microsoft.KeyVault/vaults?api-version=…                   → {value:[vault]}
// Lists need the Reader role on the subscription (the workspace-only role lists workspaces alone).
// Checks in ARM's order: bearer token (audience of the --cloud) → route → api-version → subscription →
// role assignment (Reader) → resource group → resource. Path segments and names are case-insensitive.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as armErrors from './arm-errors.js';
import { ArmError, KEYVAULT_API_VERSIONS, MLS_API_VERSIONS } from './arm-errors.js';
import { readBody, sendJson } from './http-io.js';
import { LOCATION, TENANT_ID, tokenIssuer } from './identities.js';
import { userAgentOf } from './request-log.js';
import { verifyToken } from './tokens.js';
import { vaultBody, workspaceBody } from './arm-bodies.js';
import { ArmReply } from './arm-common.js';
import type { ArmDeps } from './arm-common.js';
import { handleExtended } from './arm-routes.js';

export type { ArmWorkspace } from './aml-plan.js';

export type { ArmDeps } from './arm-common.js';

const MLS = {
  namespace: 'Microsoft.MachineLearningServices',
  type: 'workspaces',
  action: 'Microsoft.MachineLearningServices/workspaces/read',
  versions: MLS_API_VERSIONS,
};
const KV = {
  namespace: 'Microsoft.KeyVault',
  type: 'vaults',
  action: 'Microsoft.KeyVault/vaults/read',
  versions: KEYVAULT_API_VERSIONS,
};
const RESOURCES = {
  namespace: 'Microsoft.Resources',
  type: 'resourceGroups',
  action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
  versions: ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2024-03-01'] as readonly string[],
};
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

interface ListTarget {
  subscriptionId: string;
  kind: typeof MLS | typeof KV | typeof RESOURCES;
  /** The resource group listed in (workspaces); absent for subscription-wide lists. */
  resourceGroup?: string;
}

/** The list calls: resource groups of a subscription, workspaces of a resource group, vaults of a subscription. */
function parseListPath(path: string): ListTarget | undefined {
  const s = path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (s[0] !== '' || !same(s[1] ?? '', 'subscriptions') || !s[2]) return undefined;
  if (s.length === 4 && same(s[3]!, 'resourcegroups')) return { subscriptionId: s[2], kind: RESOURCES };
  if (s.length === 6 && same(s[3]!, 'providers') && same(s[4]!, KV.namespace) && same(s[5]!, KV.type))
    return { subscriptionId: s[2], kind: KV };
  if (
    s.length === 8 &&
    same(s[3]!, 'resourceGroups') &&
    s[4] &&
    same(s[5]!, 'providers') &&
    same(s[6]!, MLS.namespace) &&
    same(s[7]!, MLS.type)
  )
    return { subscriptionId: s[2], kind: MLS, resourceGroup: s[4] };
  return undefined;
}

function handleList(deps: ArmDeps, objectId: string, list: ListTarget, path: string, query: URLSearchParams): unknown {
  const apiVersion = query.get('api-version');
  if (!apiVersion) throw armErrors.missingApiVersion();
  if (!list.kind.versions.includes(apiVersion)) {
    if (!API_VERSION_SHAPE.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion, list.kind.versions);
    throw armErrors.noRegisteredProvider(LOCATION, apiVersion, list.kind.type, list.kind.versions);
  }
  const sub = list.subscriptionId.toLowerCase();
  const vaults = [...deps.vaults.values()].filter((v) => v.subscriptionId.toLowerCase() === sub);
  const workspaces = deps.workspaces.filter((w) => w.subscriptionId.toLowerCase() === sub);
  if (vaults.length === 0 && workspaces.length === 0) throw armErrors.subscriptionNotFound(list.subscriptionId);

  const role = deps.directory.armRole(objectId);
  const allowed = role === 'reader' || (role === 'workspace' && list.kind === MLS);
  if (!allowed) throw armErrors.authorizationFailed(objectId, list.kind.action, decodePath(path));

  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (list.kind === RESOURCES) {
    const groups = new Map<string, string>();
    for (const r of [...workspaces, ...vaults]) groups.set(r.resourceGroup.toLowerCase(), r.resourceGroup);
    return {
      value: [...groups.values()]
        .map((name) => ({
          id: `/subscriptions/${list.subscriptionId}/resourceGroups/${name}`,
          name,
          type: 'Microsoft.Resources/resourceGroups',
          location: LOCATION,
          properties: { provisioningState: 'Succeeded' },
        }))
        .sort(byName),
    };
  }
  if (list.kind === KV) return { value: vaults.sort(byName).map((v) => vaultBody(v, deps.access)) };
  const rg = list.resourceGroup!;
  if (![...workspaces, ...vaults].some((r) => same(r.resourceGroup, rg))) throw armErrors.resourceGroupNotFound(rg);
  return {
    value: workspaces
      .filter((w) => same(w.resourceGroup, rg))
      .sort(byName)
      .map((w) => workspaceBody(w, deps.startedAt, deps.directory.identityTypeWithSpace)),
  };
}

export function createArmHandler(deps: ArmDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    res.on('close', () => {
      const status = res.writableFinished ? res.statusCode : 0;
      deps.log.add({ service: 'arm', method, path, status, ...userAgentOf(req.headers) });
      deps.logger.request(`arm ${method} ${path.slice(0, 200)} ${status} ${Date.now() - started}ms`);
    });
    const headers = armHeaders(req);
    const run = (body?: Buffer) => {
      try {
        const result = handle(deps, req, method, path, new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : ''), body);
        if (result instanceof ArmReply) {
          if (result.body === undefined) {
            res.writeHead(result.status, headers);
            res.end();
          } else sendJson(res, result.status, result.body, headers);
        } else sendJson(res, 200, result, headers);
      } catch (err) {
        if (!(err instanceof ArmError)) {
          deps.logger.error(
            `arm: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
          sendJson(
            res,
            500,
            { error: { code: 'InternalServerError', message: 'Encountered internal server error.' } },
            headers,
          );
          return;
        }
        sendJson(res, err.status, err.toBody(), { ...headers, ...err.headers });
      }
    };
    if (method === 'GET' || method === 'DELETE' || method === 'HEAD') return run();
    readBody(req, 1024 * 1024, 4 * 1024 * 1024).then(
      (r) => run(r.kind === 'ok' ? r.body : Buffer.from('\u0000too large')),
      () => res.destroy(),
    );
  };
}

function handle(
  deps: ArmDeps,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
  body?: Buffer,
): unknown {
  const objectId = authenticate(deps, req.headers.authorization);
  const extended = handleExtended(deps, objectId, method, decodeSegments(path), query, body);
  if (extended !== undefined) return extended;
  if (method !== 'GET') throw armErrors.methodNotAllowed(method);
  const list = parseListPath(path);
  if (list) return handleList(deps, objectId, list, path, query);
  const target = parsePath(path);
  if (!target) throw armErrors.unknownPath(path);

  const apiVersion = query.get('api-version');
  if (!apiVersion) throw armErrors.missingApiVersion();
  if (!target.kind.versions.includes(apiVersion)) {
    if (!API_VERSION_SHAPE.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion, target.kind.versions);
    throw armErrors.noRegisteredProvider(LOCATION, apiVersion, target.kind.type, target.kind.versions);
  }

  const sub = target.subscriptionId.toLowerCase();
  const knownSubs = new Set([...deps.vaults.values()].map((v) => v.subscriptionId.toLowerCase()));
  for (const w of deps.workspaces) knownSubs.add(w.subscriptionId.toLowerCase());
  if (!knownSubs.has(sub)) throw armErrors.subscriptionNotFound(target.subscriptionId);

  const workspace =
    target.kind === MLS
      ? deps.workspaces.find(
          (w) =>
            w.subscriptionId.toLowerCase() === sub &&
            same(w.resourceGroup, target.resourceGroup) &&
            same(w.name, target.name),
        )
      : undefined;
  const vault =
    target.kind === KV
      ? [...deps.vaults.values()].find(
          (v) =>
            v.subscriptionId.toLowerCase() === sub &&
            same(v.resourceGroup, target.resourceGroup) &&
            same(v.name, target.name),
        )
      : undefined;

  const role = deps.directory.armRole(objectId);
  const allowed = role === 'reader' || (role === 'workspace' && workspace !== undefined);
  if (!allowed) throw armErrors.authorizationFailed(objectId, target.kind.action, decodePath(path));

  const rgExists =
    deps.workspaces.some(
      (w) => w.subscriptionId.toLowerCase() === sub && same(w.resourceGroup, target.resourceGroup),
    ) ||
    [...deps.vaults.values()].some(
      (v) => v.subscriptionId.toLowerCase() === sub && same(v.resourceGroup, target.resourceGroup),
    );
  if (!rgExists) throw armErrors.resourceGroupNotFound(target.resourceGroup);

  if (workspace) return workspaceBody(workspace, deps.startedAt, deps.directory.identityTypeWithSpace);
  if (vault) return vaultBody(vault, deps.access);
  throw armErrors.resourceNotFound(`${target.kind.namespace}/${target.kind.type}`, target.name, target.resourceGroup);
}

/** Returns the caller's object id; throws ARM's 401s. */
function authenticate(deps: ArmDeps, authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw armErrors.missingAuthorization();
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!m) throw armErrors.malformedAuthorization();
  const issuer = tokenIssuer(TENANT_ID);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const result = verifyToken(
    m[1]!,
    deps.tokenPublicKey,
    { audiences: deps.cloud.armAudiences, issuers: [issuer] },
    nowSeconds,
  );
  if (result.ok) return result.claims.oid;
  switch (result.reason) {
    case 'audience':
      throw armErrors.wrongAudience(result.found, deps.cloud.armAudiences);
    case 'issuer':
      throw armErrors.wrongIssuer(result.found, issuer);
    case 'expired': {
      const exp = Number(JSON.parse(Buffer.from(m[1]!.split('.')[1]!, 'base64url').toString('utf8')).exp);
      throw armErrors.expiredToken(exp, nowSeconds);
    }
    default:
      throw armErrors.invalidToken();
  }
}

interface Target {
  subscriptionId: string;
  resourceGroup: string;
  kind: typeof MLS | typeof KV;
  name: string;
}

function parsePath(path: string): Target | undefined {
  const s = path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (
    s.length !== 9 ||
    s[0] !== '' ||
    !same(s[1]!, 'subscriptions') ||
    !same(s[3]!, 'resourceGroups') ||
    !same(s[5]!, 'providers')
  )
    return undefined;
  const kind = [MLS, KV].find((k) => same(s[6]!, k.namespace) && same(s[7]!, k.type));
  if (!kind || !s[2] || !s[4] || !s[8]) return undefined;
  return { subscriptionId: s[2], resourceGroup: s[4], kind, name: s[8] };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The path's segments, each percent-decoded ('' first). */
function decodeSegments(path: string): string[] {
  return path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function armHeaders(req: IncomingMessage): Record<string, string> {
  const requestId = randomUUID();
  const clientRequestId = req.headers['x-ms-client-request-id'];
  return {
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'x-ms-routing-request-id': `LOCAL:${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z:${requestId}`,
    ...(typeof clientRequestId === 'string' && /^[\w-]{1,100}$/.test(clientRequestId)
      ? { 'x-ms-client-request-id': clientRequestId }
      : {}),
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
  };
}
