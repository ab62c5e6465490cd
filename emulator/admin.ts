// The admin API (no auth; on the control port, never on a vault port):
//   GET    {adminUrl}/requests[?service=vault|entra|arm|oidc]
//                                          → [{"service","method","path","status","vault"?,"host"?}] requests so far
//   DELETE {adminUrl}/requests             → 204, clears the log
//   POST   {adminUrl}/config               → 204; JSON {"vault"?, "rbac", "firewall", "latencyMs", "faultRate",
//                                            "faultStatus", "retryAfter", "throttle", "seed", "secretRoles",
//                                            "identityRoles", "armRoles", "githubSubject", "azdoSubject"}
//   GET    {adminUrl}/config               → current settings per vault
//   GET    {adminUrl}/identities           → ARM roles, OIDC subjects and federated credentials
//   GET    {adminUrl}/federated-credentials → every federated credential
//   POST   {adminUrl}/federated-credentials → 201; JSON {"clientId","issuer","subject","audience"} adds one
//   DELETE {adminUrl}/federated-credentials → 204, removes the added ones (the built-in ones stay)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from './entra/directory.js';
import { readBody, sendEmpty, sendJson } from './common/http-io.js';
import { SERVICES } from './common/request-log.js';
import type { RequestLog, Service } from './common/request-log.js';
import { parseConfigBody } from './admin-config.js';
import type { Vault } from './keyvault/vault.js';

export const ADMIN_PATH = '/admin';

export interface AdminDeps {
  log: RequestLog;
  vaults: ReadonlyMap<string, Vault>;
  directory: Directory;
}

const adminError = (res: ServerResponse, status: number, message: string) =>
  sendJson(res, status, { error: { code: 'AdminError', message } });

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  subPath: string,
  query: URLSearchParams,
  deps: AdminDeps,
): Promise<void> {
  const method = req.method ?? 'GET';
  const target = subPath.replace(/\/+$/, '');
  if (target === '/requests') {
    if (method === 'GET') {
      const service = query.get('service');
      if (service !== null && !(SERVICES as readonly string[]).includes(service))
        return adminError(res, 400, `unknown service "${service}" (known: ${SERVICES.join(', ')})`);
      return sendJson(res, 200, deps.log.list((service ?? undefined) as Service | undefined));
    }
    if (method === 'DELETE') {
      deps.log.clear();
      return sendEmpty(res, 204);
    }
    return adminError(res, 405, 'use GET or DELETE');
  }
  if (target === '/config') {
    if (method === 'GET')
      return sendJson(
        res,
        200,
        Object.fromEntries([...deps.vaults].map(([name, v]) => [name, v.behaviour.describe()])),
      );
    if (method !== 'POST') return adminError(res, 405, 'use GET or POST');
    const body = await readJson(req, res);
    if (body === undefined) return;
    let parsed: ReturnType<typeof parseConfigBody>;
    try {
      parsed = parseConfigBody(body);
    } catch (err) {
      return adminError(res, 400, (err as Error).message);
    }
    const targets =
      parsed.vault === undefined
        ? [...deps.vaults.values()]
        : [deps.vaults.get(parsed.vault)].filter((v) => v !== undefined);
    if (targets.length === 0)
      return adminError(res, 400, `unknown vault "${parsed.vault}" (vaults: ${[...deps.vaults.keys()].join(', ')})`);
    for (const v of targets) v.behaviour.apply(parsed.patch);
    const global = parsed.global ?? {};
    if (global.armRoles !== undefined) deps.directory.setArmRoles(global.armRoles);
    if (global.armRole !== undefined) deps.directory.armLevel = global.armRole;
    if (global.identityTypeWithSpace !== undefined) deps.directory.identityTypeWithSpace = global.identityTypeWithSpace;
    if (global.githubSubject !== undefined)
      deps.directory.subjects.github = global.githubSubject ?? deps.directory.defaultSubjects.github;
    if (global.azdoSubject !== undefined)
      deps.directory.subjects.azdo = global.azdoSubject ?? deps.directory.defaultSubjects.azdo;
    return sendEmpty(res, 204);
  }
  if (target === '/identities') {
    if (method !== 'GET') return adminError(res, 405, 'use GET');
    return sendJson(res, 200, deps.directory.describe());
  }
  if (target === '/federated-credentials') {
    if (method === 'GET') return sendJson(res, 200, deps.directory.federatedCredentials());
    if (method === 'DELETE') {
      deps.directory.clearAddedFederatedCredentials();
      return sendEmpty(res, 204);
    }
    if (method !== 'POST') return adminError(res, 405, 'use GET, POST or DELETE');
    const body = await readJson(req, res);
    if (body === undefined) return;
    const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    const keys = ['clientId', 'issuer', 'subject', 'audience'] as const;
    const bad = keys.filter((k) => typeof b[k] !== 'string' || (b[k] as string).length === 0);
    if (bad.length > 0 || Object.keys(b).some((k) => !(keys as readonly string[]).includes(k)))
      return adminError(
        res,
        400,
        `the body must be {"clientId","issuer","subject","audience"} with non-empty strings${bad.length > 0 ? ` (missing or empty: ${bad.join(', ')})` : ''}`,
      );
    try {
      const added = deps.directory.addFederatedCredential({
        clientId: b.clientId as string,
        issuer: b.issuer as string,
        subject: b.subject as string,
        audience: b.audience as string,
      });
      return sendJson(res, 201, added);
    } catch (err) {
      return adminError(res, 400, (err as Error).message);
    }
  }
  return adminError(res, 404, `unknown admin path ${subPath}`);
}

/** Parses a JSON body; on failure answers 400 and returns undefined. */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const body = await readBody(req, 64 * 1024, 1024 * 1024);
  if (body.kind !== 'ok') {
    adminError(res, 400, 'body too large');
    return undefined;
  }
  try {
    return JSON.parse(body.body.toString('utf8') || 'null');
  } catch (err) {
    adminError(res, 400, `invalid JSON: ${(err as Error).message}`);
    return undefined;
  }
}
