// The emulator's Azure Resource Manager: GET of an Azure ML workspace and of a Key Vault, the two calls
// that turn a workspace name into a vault URI (docs/keyvault.md §6):
//   GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}?api-version=…
//     → 200 {id,name,type,location,properties:{keyVault:<vault resource id>,…}}
//   GET {keyVaultId}?api-version=… → 200 {id,name,type,location,properties:{vaultUri,tenantId,enableRbacAuthorization,…}}
// the subscriptions the caller holds a role in (subscriptions.ts), and the three list calls the Azure DevOps task's
// pickers make (task.json dataSourceBindings):
//   GET /subscriptions/{sub}/resourcegroups?api-version=…                                        → {value:[resource group]}
//   GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces?api-version=… → {value:[workspace]}
//   GET /subscriptions/{sub}/providers/Microsoft.KeyVault/vaults?api-version=…                   → {value:[vault]}
// Lists need the Reader role on the subscription (the workspace-only role lists workspaces alone).
// Checks in ARM's order: bearer token (audience of the --cloud) → route → api-version → subscription →
// role assignment (Reader) → resource group → resource. Path segments and names are case-insensitive.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as armErrors from './errors.js';
import { ArmError } from './errors.js';
import { readBody, sendJson } from '../common/http-io.js';
import { LOCATION, TENANT_ID, tokenIssuer } from '../entra/identities.js';
import { userAgentOf } from '../common/request-log.js';
import { verifyToken } from '../entra/tokens.js';
import { vaultBody, workspaceBody } from './bodies.js';
import { ArmReply, same } from './context.js';
import { handleList, parseListPath } from './lists.js';
import { API_VERSION_SHAPE, decodePath, decodeSegments, KV, MLS, parsePath } from './paths.js';
import type { ArmDeps } from './context.js';
import { handleExtended } from './routes.js';
import { handleSubscriptions } from './subscriptions.js';

export type { ArmWorkspace } from './aml-plan.js';

export type { ArmDeps } from './context.js';

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
  const subscriptions = handleSubscriptions(deps, objectId, method, decodeSegments(path), query);
  if (subscriptions !== undefined) return subscriptions;
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
  if (vault) return vaultBody(vault, deps.access, deps.startedAt);
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
