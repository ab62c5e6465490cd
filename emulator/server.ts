// Starts the emulator: TLS material, one HTTPS listener per vault (each vault on its own port, so no
// DNS tricks are needed for several vaults) and one control listener for the managed-identity
// endpoint and the admin API. Everything listens on loopback only.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PATH, handleAdmin } from './admin.js';
import { createVaultHandler } from './data-plane.js';
import { sendJson } from './http-io.js';
import { TENANT_ID } from './identities.js';
import { VAULT_NAME_PATTERN } from './limits.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { handleTokenRequest, MSI_PATH } from './managed-identity.js';
import { RequestLog } from './request-log.js';
import { ensureTlsMaterial } from './tls.js';
import type { TlsMaterial } from './tls.js';
import type { SettingsPatch } from './vault-config.js';
import { Vault } from './vault.js';

export const DEFAULT_VAULT = 'default';

export interface EmulatorOptions {
  /** 0 (default): every listener on an ephemeral port. N: default vault on N, extra vaults on N+1…, control after them. */
  port?: number;
  /** Extra vault names (the vault "default" always exists). */
  vaults?: string[];
  /** Reuse the CA/keys found there or generate them there; absent: a fresh temp dir, removed on stop. */
  certDir?: string;
  settings?: SettingsPatch;
  logger?: Logger;
}

/** The start contract: printed as one JSON line by main.ts. */
export interface StartInfo {
  vaultUrl: string;
  vaults: Record<string, string>;
  caCertFile: string;
  env: Record<string, string>;
  adminUrl: string;
}

export interface RunningEmulator {
  info: StartInfo;
  vaults: ReadonlyMap<string, Vault>;
  requestLog: RequestLog;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = options.logger ?? createLogger();
  const names = [DEFAULT_VAULT, ...(options.vaults ?? [])];
  checkVaultNames(names);
  const basePort = options.port ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + names.length > 65535) throw new Error(`invalid port ${basePort}`);

  const tempCertDir = options.certDir === undefined ? mkdtempSync(join(tmpdir(), 'aml-kv-emulator-')) : undefined;
  const tls = ensureTlsMaterial(options.certDir ?? tempCertDir!);
  const log = new RequestLog();
  const vaults = new Map(names.map((n) => [n, new Vault(n, options.settings ?? {})]));
  const servers: Server[] = [];
  const portFor = (i: number) => (basePort === 0 ? 0 : basePort + i);

  try {
    let i = 0;
    for (const vault of vaults.values()) {
      const handler = createVaultHandler(vault, { log, logger, tokenPublicKey: tls.tokenPublicKey, backupKey: tls.tokenPrivateKey });
      const { port, listening } = await listenLoopback(tls, handler, portFor(i++), logger);
      servers.push(...listening);
      vault.url = `https://localhost:${port}`;
    }

    const identityHeader = randomBytes(16).toString('hex');
    const keys = { privateKey: tls.tokenPrivateKey, publicKey: tls.tokenPublicKey };
    const control = await listenLoopback(
      tls,
      (req, res) => {
        const url = new URL(req.url ?? '/', 'https://localhost');
        if (url.pathname === MSI_PATH) return handleTokenRequest(req, res, url, { identityHeader, keys });
        if (url.pathname === ADMIN_PATH || url.pathname.startsWith(`${ADMIN_PATH}/`)) {
          handleAdmin(req, res, url.pathname.slice(ADMIN_PATH.length) || '/', { log, vaults }).catch((err: unknown) => {
            logger.error(`admin request failed: ${String(err)}`);
            sendJson(res, 500, { error: { code: 'AdminError', message: 'internal error' } });
          });
          return;
        }
        sendJson(res, 404, { error: { code: 'NotFound', message: `nothing at ${url.pathname}` } });
      },
      portFor(names.length),
      logger,
    );
    servers.push(...control.listening);
    const controlUrl = `https://localhost:${control.port}`;

    const info: StartInfo = {
      vaultUrl: vaults.get(DEFAULT_VAULT)!.url,
      vaults: Object.fromEntries([...vaults].map(([n, v]) => [n, v.url])),
      caCertFile: tls.caCertFile,
      env: {
        IDENTITY_ENDPOINT: `${controlUrl}${MSI_PATH}`,
        IDENTITY_HEADER: identityHeader,
        NODE_EXTRA_CA_CERTS: tls.caCertFile,
        REQUESTS_CA_BUNDLE: tls.caCertFile,
        AZURE_TENANT_ID: TENANT_ID,
      },
      adminUrl: `${controlUrl}${ADMIN_PATH}`,
    };
    let stopped: Promise<void> | undefined;
    return {
      info,
      vaults,
      requestLog: log,
      stop: () => (stopped ??= closeAll(servers).finally(() => removeTemp(tempCertDir))),
    };
  } catch (err) {
    await closeAll(servers);
    removeTemp(tempCertDir);
    throw err;
  }
}

function checkVaultNames(names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (!VAULT_NAME_PATTERN.test(n)) throw new Error(`invalid vault name "${n}": 3-24 characters, letters, digits and '-', starting with a letter`);
    if (seen.has(n.toLowerCase())) throw new Error(`duplicate vault name "${n}"`);
    seen.add(n.toLowerCase());
  }
}

function removeTemp(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function createHttpsServer(tls: TlsMaterial, handler: Handler, logger: Logger): Server {
  const server = createServer({ cert: tls.serverCert + tls.caCert, key: tls.serverKey }, handler);
  server.keepAliveTimeout = 60_000; // fewer races with clients' keep-alive pools than Node's 5 s default
  server.on('tlsClientError', (err) => logger.request(`tls handshake failed: ${err.message}`));
  // Malformed HTTP (unknown method, bad header, broken framing): a 400 with the error envelope, then close.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: { code: 'BadRequest', message: `Malformed HTTP request (${err.code ?? 'parse error'}).` } });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/**
 * `localhost` may resolve to 127.0.0.1 or ::1 depending on the machine: listen on both with the same
 * port (IPv6 is skipped where the host has none). An ephemeral port taken on ::1 is retried.
 */
async function listenLoopback(tls: TlsMaterial, handler: Handler, port: number, logger: Logger): Promise<{ port: number; listening: Server[] }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const v4 = createHttpsServer(tls, handler, logger);
    const actual = await listenOn(v4, port, '127.0.0.1');
    const v6 = createHttpsServer(tls, handler, logger);
    try {
      await listenOn(v6, actual, '::1');
      return { port: actual, listening: [v4, v6] };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL') return { port: actual, listening: [v4] };
      await closeAll([v4]);
      if (code !== 'EADDRINUSE' || port !== 0) throw err;
    }
  }
  throw new Error('could not find a port free on both 127.0.0.1 and ::1');
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
}
