// The admin API (no auth; on the control port, never on a vault port):
//   GET    {adminUrl}/requests  → [{"method","path","status","vault"}] data-plane requests so far
//   DELETE {adminUrl}/requests  → 204, clears the log
//   POST   {adminUrl}/config    → 204; JSON {"vault"?, "rbac", "firewall", "latencyMs", "faultRate",
//                                 "faultStatus", "retryAfter", "throttle", "seed", "secretRoles"}
//   GET    {adminUrl}/config    → current settings per vault
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendEmpty, sendJson } from './http-io.js';
import type { RequestLog } from './request-log.js';
import { parseConfigBody } from './vault-config.js';
import type { Vault } from './vault.js';

export const ADMIN_PATH = '/admin';

export interface AdminDeps {
  log: RequestLog;
  vaults: ReadonlyMap<string, Vault>;
}

const adminError = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { error: { code: 'AdminError', message } });

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, subPath: string, deps: AdminDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const target = subPath.replace(/\/+$/, '');
  if (target === '/requests') {
    if (method === 'GET') return sendJson(res, 200, deps.log.list());
    if (method === 'DELETE') {
      deps.log.clear();
      return sendEmpty(res, 204);
    }
    return adminError(res, 405, 'use GET or DELETE');
  }
  if (target === '/config') {
    if (method === 'GET') return sendJson(res, 200, Object.fromEntries([...deps.vaults].map(([name, v]) => [name, v.behaviour.describe()])));
    if (method !== 'POST') return adminError(res, 405, 'use GET or POST');
    const body = await readBody(req, 64 * 1024, 1024 * 1024);
    if (body.kind !== 'ok') return adminError(res, 400, 'config body too large');
    let parsed: ReturnType<typeof parseConfigBody>;
    try {
      parsed = parseConfigBody(JSON.parse(body.body.toString('utf8') || 'null'));
    } catch (err) {
      return adminError(res, 400, err instanceof SyntaxError ? `invalid JSON: ${err.message}` : (err as Error).message);
    }
    const targets = parsed.vault === undefined ? [...deps.vaults.values()] : [deps.vaults.get(parsed.vault)].filter((v) => v !== undefined);
    if (targets.length === 0) return adminError(res, 400, `unknown vault "${parsed.vault}" (vaults: ${[...deps.vaults.keys()].join(', ')})`);
    for (const v of targets) v.behaviour.apply(parsed.patch);
    return sendEmpty(res, 204);
  }
  return adminError(res, 404, `unknown admin path ${subPath}`);
}
