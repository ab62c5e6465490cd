// The request pipeline of a vault, in the order the service applies its checks:
//   latency → authentication (headers only, before the body) → firewall → throttling → injected faults
//   → api-version → routing (404/405, name validation) → RBAC → body → operation.
// Every outcome is an HTTP response with the service's error envelope; nothing a client sends may
// crash the process (unexpected exceptions become 500 InternalServerError and are logged).
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { POLICY_PERMISSION } from '../access/access-state.js';
import type { AccessState } from '../access/access-state.js';
import { LATEST_API_VERSION, isSupportedApiVersion } from './api-versions.js';
import { authenticate, challengeHeader } from './auth.js';
import type { Cloud } from '../common/clouds.js';
import * as errors from './errors.js';
import { sendServiceError, ServiceError } from './errors.js';
import {
  clientAddress,
  delay,
  mediaType,
  readBody,
  requestOrigin,
  sendEmpty,
  sendJson,
  serviceHeaders,
} from '../common/http-io.js';
import { callerString, LOCATION } from '../entra/identities.js';
import { MAX_BODY_BYTES, MAX_DRAIN_BYTES } from '../common/limits.js';
import type { Logger } from '../common/logger.js';
import { userAgentOf, type RequestLog } from '../common/request-log.js';
import { executeOperation, matchRoute, validateRouteName } from './secrets-api.js';
import type { Route } from './secrets-api.js';
import type { Vault } from './vault.js';

export interface DataPlaneDeps {
  log: RequestLog;
  logger: Logger;
  tokenPublicKey: KeyObject;
  /** Keys the backup blobs (shared by emulators that share a cert dir). */
  backupKey: KeyObject;
  /** The cloud the vault belongs to: its challenge and the audience it accepts. */
  cloud: Cloud;
  /** Role assignments made through ARM and access policies (access-state.ts). */
  access: AccessState;
}

export function createVaultHandler(
  vault: Vault,
  deps: DataPlaneDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(vault, deps, req, res).catch((err: unknown) => {
      if (req.destroyed && res.destroyed) return; // the client went away mid-request: nothing to answer
      deps.logger.error(
        `unexpected failure in ${vault.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      sendServiceError(res, errors.internalError(), serviceHeaders(req));
    });
  };
}

async function handle(vault: Vault, deps: DataPlaneDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  let recorded = false;
  const record = (status: number) => {
    if (recorded) return;
    recorded = true;
    deps.log.add({ service: 'vault', method, path, status, vault: vault.name, ...userAgentOf(req.headers) });
    deps.logger.request(`${vault.name} ${method} ${path.slice(0, 200)} ${status} ${Date.now() - started}ms`);
  };
  res.on('finish', () => record(res.statusCode));
  res.on('close', () => record(res.writableFinished ? res.statusCode : 0));

  const behaviour = vault.behaviour;
  const s = behaviour.settings; // a snapshot: a config change mid-request applies to the next one
  const headers = serviceHeaders(req);
  const retryAfter: Record<string, string> = s.retryAfter === null ? {} : { 'Retry-After': String(s.retryAfter) };

  try {
    if (s.latencyMs > 0) await delay(s.latencyMs);

    const auth = authenticate(req.headers.authorization, deps.tokenPublicKey, deps.cloud);
    if (!auth.ok) {
      sendServiceError(res, auth.error, { ...headers, 'WWW-Authenticate': challengeHeader(deps.cloud) });
      return;
    }
    const denial = { caller: callerString(auth.principal), vault: vault.name, location: LOCATION };
    if (s.publicNetworkAccess === 'Disabled') throw errors.forbiddenByConnection(denial);
    if (s.firewall === 'deny') throw errors.forbiddenByFirewall({ ...denial, clientAddress: clientAddress(req) });

    const match = matchRoute(method, path);
    const requestClass = match.kind === 'route' ? match.route.requestClass : 'other';
    if (s.throttle && !behaviour.throttle.admit(requestClass, s.throttle))
      throw withHeaders(errors.throttled(), retryAfter);

    if (behaviour.faults.shouldFail(s.faultRate)) {
      if (s.faultStatus === 'reset') {
        req.socket.destroy();
        return;
      }
      if (s.faultStatus === 'stall') {
        // Read the request, then say nothing: the client's own timeout is the only way out. The
        // socket is closed when the client gives up or the emulator stops (closeAllConnections).
        req.resume();
        return;
      }
      const fault =
        s.faultStatus === 429
          ? withHeaders(errors.throttled(), retryAfter)
          : s.faultStatus === 500
            ? errors.internalError()
            : errors.serviceUnavailable();
      throw fault;
    }

    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const apiVersion = query.get('api-version');
    if (apiVersion === null || apiVersion === '') throw errors.missingApiVersion();
    if (!isSupportedApiVersion(apiVersion)) throw errors.unknownApiVersion(apiVersion, LATEST_API_VERSION);

    if (match.kind === 'notFound') throw errors.unknownPath(path);
    if (match.kind === 'methodNotAllowed') throw errors.methodNotAllowed(method, match.allow);
    if (match.kind === 'badName') throw errors.invalidName(match.raw);
    const route = match.route;
    validateRouteName(route);

    const caller = auth.principal.objectId;
    if (s.vaultPermissions === 'policies') {
      if (!deps.access.allowsDataByPolicy(vault, caller, route.action))
        throw errors.forbiddenByPolicy({ ...denial, permission: POLICY_PERMISSION[route.action] ?? route.action });
    } else if (
      !behaviour.roles.allows(caller, route.action, route.name) &&
      !deps.access.allowsDataByAssignment(vault, caller, route.action, route.name)
    ) {
      throw errors.forbiddenByRbac({ ...denial, action: route.action, resource: rbacResource(vault, route) });
    }

    if (s.purgeProtection && route.op === 'purge') throw errors.purgeProtected('purge', vault.name, LOCATION);

    const body = route.needsBody ? await readJsonBody(req, res) : undefined;
    const result = executeOperation(route, {
      store: vault.store,
      origin: requestOrigin(req, vault.url),
      apiVersion,
      query,
      ...(body !== undefined ? { body } : {}),
      backupKey: deps.backupKey,
    });
    if (result.status === 204) sendEmpty(res, 204, headers);
    else sendJson(res, result.status, result.body, headers);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    sendServiceError(res, err, headers);
  }
}

function withHeaders(err: ServiceError, extra: Record<string, string>): ServiceError {
  Object.assign(err.headers, extra);
  return err;
}

function rbacResource(vault: Vault, route: Route): string {
  const base = vault.resourceId;
  return route.name !== undefined ? `${base}/secrets/${route.name.toLowerCase()}` : base;
}

async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown>> {
  const result = await readBody(req, MAX_BODY_BYTES, MAX_DRAIN_BYTES);
  if (result.kind === 'tooLarge') {
    if (result.closeConnection) res.setHeader('Connection', 'close');
    throw errors.badParameter(
      `The request body is too large: ${result.bytes} bytes exceed the limit of ${MAX_BODY_BYTES} bytes.`,
    );
  }
  const type = mediaType(req.headers['content-type']);
  if (type !== 'application/json')
    throw errors.badParameter(
      `The content type '${type || '(none)'}' is not supported; the request body must be application/json.`,
    );
  if (result.body.length === 0) throw errors.badParameter('The request body is required.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body.toString('utf8'));
  } catch {
    throw errors.badParameter('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw errors.badParameter('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
