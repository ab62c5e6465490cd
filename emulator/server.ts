// Starts the emulator: TLS material, one HTTPS listener per vault (each vault on its own port, so no
// DNS tricks are needed for several vaults), a control listener (managed-identity endpoint, admin API,
// the GitHub and Azure DevOps OIDC issuers), an Entra-like authority, ARM, and the discovery proxy.
// Everything listens on loopback only.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PATH, handleAdmin } from './admin.js';
import { createArmHandler } from './arm.js';
import { AZDO, ciEndpoints, GITHUB, handleCiOidc } from './ci-oidc.js';
import { CLOUDS, DEFAULT_CLOUD } from './clouds.js';
import type { CloudName } from './clouds.js';
import { createVaultHandler } from './data-plane.js';
import { createDiscoveryProxy } from './discovery-proxy.js';
import { Directory, TOKEN_EXCHANGE_AUDIENCE } from './directory.js';
import { createEntraHandler } from './entra.js';
import type { EntraDeps } from './entra.js';
import { sendJson } from './http-io.js';
import {
  AZDO_APP,
  DEFAULT_MANAGED_IDENTITY,
  GITHUB_APP,
  SERVICE_PRINCIPAL,
  SUBSCRIPTION_ID,
  TENANT_ID,
} from './identities.js';
import { VAULT_NAME_PATTERN } from './limits.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { handleTokenRequest, MSI_PATH } from './managed-identity.js';
import { RequestLog } from './request-log.js';
import { ensureTlsMaterial, INSTANCE_DISCOVERY_HOST } from './tls.js';
import type { TlsMaterial } from './tls.js';
import type { SettingsPatch } from './vault-config.js';
import { Vault } from './vault.js';
import { AccessState } from './access-state.js';
import { describeAml, planAml } from './aml-plan.js';
import type { AmlPlanInput, AmlStartInfo } from './aml-plan.js';
import type { ArmLevel } from './directory.js';

export const DEFAULT_VAULT = 'default';

/** The Azure ML specs (`--workspace`, `--hub`, `--project`, `--compute`, `--workspace-identity`, `--group`,
 * `--identity`) come from AmlPlanInput (aml-plan.ts). */
export interface EmulatorOptions extends AmlPlanInput {
  /** 0 (default): every listener on an ephemeral port. N: default vault on N, extra vaults on N+1…, then control, authority, ARM, proxy. */
  port?: number;
  /** Extra vault names (the vault "default" always exists). */
  vaults?: string[];
  cloud?: CloudName;
  /** Reuse the CA/keys found there or generate them there; absent: a fresh temp dir, removed on stop. */
  certDir?: string;
  settings?: SettingsPatch;
  logger?: Logger;
  /** The pipeline identities' Resource Manager role (`--arm-role`, default owner). */
  armRole?: ArmLevel;
}

export interface Identities {
  managedIdentity: { clientId: string; objectId: string };
  servicePrincipal: { clientId: string; objectId: string; clientSecret: string; certificateFile: string };
  github: { clientId: string; objectId: string; issuer: string; subject: string; audience: string };
  azdo: {
    clientId: string;
    objectId: string;
    issuer: string;
    subject: string;
    audience: string;
    serviceConnectionId: string;
    systemAccessToken: string;
  };
}

/** The start contract: printed as one JSON line by main.ts (`workspaces`, `computes`, `groups`: aml-plan.ts). */
export interface StartInfo extends AmlStartInfo {
  vaultUrl: string;
  vaults: Record<string, string>;
  caCertFile: string;
  env: Record<string, string>;
  adminUrl: string;
  armUrl: string;
  authorityHost: string;
  tenantId: string;
  subscriptionId: string;
  cloud: CloudName;
  identities: Identities;
}

export interface RunningEmulator {
  info: StartInfo;
  vaults: ReadonlyMap<string, Vault>;
  requestLog: RequestLog;
  directory: Directory;
  stop(): Promise<void>;
}

type Closable = Server | HttpServer;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = options.logger ?? createLogger();
  const names = [DEFAULT_VAULT, ...(options.vaults ?? [])];
  checkVaultNames(names);
  const cloud = CLOUDS[options.cloud ?? DEFAULT_CLOUD];
  const settings = options.settings ?? {};
  const vaults = new Map(names.map((n) => [n, new Vault(n, settings)]));
  const plan = planAml(options, vaults, settings);
  const { workspaces, computes, identities, groups } = plan;

  const basePort = options.port ?? 0;
  const listenerCount = vaults.size + 4;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + listenerCount > 65536)
    throw new Error(`invalid port ${basePort}`);
  const portFor = (i: number) => (basePort === 0 ? 0 : basePort + i);

  const startedAt = new Date();
  // The access state needs the directory, made once the control port listens; ctx fills it in.
  const accessCtx: { directory?: Directory } = {};
  const tempCertDir = options.certDir === undefined ? mkdtempSync(join(tmpdir(), 'aml-kv-emulator-')) : undefined;
  const tls = ensureTlsMaterial(options.certDir ?? tempCertDir!);
  const log = new RequestLog();
  const servers: Closable[] = [];
  const tokenKeys = { privateKey: tls.tokenPrivateKey, publicKey: tls.tokenPublicKey };
  const oidcKeys = { privateKey: tls.oidcPrivateKey, publicKey: tls.oidcPublicKey };

  try {
    let i = 0;
    const access = new AccessState({
      groups,
      identities,
      vaults,
      workspaces,
      get directory() {
        return accessCtx.directory!;
      },
      startedAt,
    });
    for (const vault of vaults.values()) {
      const handler = createVaultHandler(vault, {
        access,
        log,
        logger,
        tokenPublicKey: tls.tokenPublicKey,
        backupKey: tls.tokenPrivateKey,
        cloud,
      });
      const { port, listening } = await listenLoopback(() => createHttpsServer(tls, handler, logger), portFor(i++));
      servers.push(...listening);
      vault.url = `https://localhost:${port}`;
    }

    // The control port: managed identity, admin API, CI issuers. The directory needs the port (issuer URLs).
    const identityHeader = randomBytes(16).toString('hex');
    const ctx: { directory?: Directory } = {};
    const control = await listenLoopback(
      () =>
        createHttpsServer(
          tls,
          (req, res) => {
            const url = new URL(req.url ?? '/', 'https://localhost');
            const directory = ctx.directory;
            if (!directory)
              return sendJson(res, 503, { error: { code: 'Starting', message: 'the emulator is starting' } });
            if (url.pathname === MSI_PATH)
              return handleTokenRequest(req, res, url, {
                identityHeader,
                keys: tokenKeys,
                extraIdentities: identities.all(),
              });
            if (handleCiOidc(req, res, url, { log, logger, directory, keys: oidcKeys })) return;
            if (url.pathname === ADMIN_PATH || url.pathname.startsWith(`${ADMIN_PATH}/`)) {
              handleAdmin(req, res, url.pathname.slice(ADMIN_PATH.length) || '/', url.searchParams, {
                log,
                vaults,
                directory,
              }).catch((err: unknown) => {
                logger.error(`admin request failed: ${String(err)}`);
                sendJson(res, 500, { error: { code: 'AdminError', message: 'internal error' } });
              });
              return;
            }
            sendJson(res, 404, { error: { code: 'NotFound', message: `nothing at ${url.pathname}` } });
          },
          logger,
        ),
      portFor(vaults.size),
    );
    servers.push(...control.listening);
    const controlUrl = `https://localhost:${control.port}`;
    const ci = ciEndpoints(controlUrl);
    const directory: Directory = new Directory({
      secretSeed: tls.tokenPrivateKey,
      spCertificatePem: tls.spCertificatePem,
      spCredentialFile: tls.spCredentialFile,
      issuers: { github: ci.githubIssuer, azdo: ci.azdoIssuer },
      defaultSubjects: { github: GITHUB.defaultSubject, azdo: AZDO.defaultSubject },
    });
    ctx.directory = directory;
    if (options.armRole) directory.armLevel = options.armRole;
    accessCtx.directory = directory;

    const entraDeps: EntraDeps = {
      log,
      logger,
      keys: tokenKeys,
      directory,
      oidcPublicKey: tls.oidcPublicKey,
      authorityPort: 0,
    };
    const authority = await listenLoopback(
      () => createHttpsServer(tls, createEntraHandler(entraDeps), logger),
      portFor(vaults.size + 1),
    );
    servers.push(...authority.listening);
    entraDeps.authorityPort = authority.port;

    const armHandler = createArmHandler({
      log,
      logger,
      tokenPublicKey: tls.tokenPublicKey,
      cloud,
      directory,
      workspaces,
      vaults,
      startedAt,
      access,
      computes,
      identities,
      groups,
    });
    const arm = await listenLoopback(() => createHttpsServer(tls, armHandler, logger), portFor(vaults.size + 2));
    servers.push(...arm.listening);

    const { intercept, newProxyServer } = createDiscoveryProxy({
      cert: tls.loginCert + tls.caCert,
      key: tls.loginKey,
      handler: createEntraHandler(entraDeps, { host: INSTANCE_DISCOVERY_HOST }),
      logger,
    });
    servers.push(intercept);
    const proxied = await listenLoopback(newProxyServer, portFor(vaults.size + 3));
    servers.push(...proxied.listening);

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
        ACTIONS_ID_TOKEN_REQUEST_URL: ci.githubTokenRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: directory.githubRequestToken,
        SYSTEM_OIDCREQUESTURI: ci.azdoOidcRequestUri,
        HTTPS_PROXY: `http://localhost:${proxied.port}`,
        NO_PROXY: 'localhost,127.0.0.1,::1,[::1]',
      },
      adminUrl: `${controlUrl}${ADMIN_PATH}`,
      armUrl: `https://localhost:${arm.port}`,
      authorityHost: `https://localhost:${authority.port}`,
      tenantId: TENANT_ID,
      subscriptionId: SUBSCRIPTION_ID,
      cloud: cloud.name,
      identities: {
        managedIdentity: { clientId: DEFAULT_MANAGED_IDENTITY.appId, objectId: DEFAULT_MANAGED_IDENTITY.objectId },
        servicePrincipal: {
          clientId: SERVICE_PRINCIPAL.appId,
          objectId: SERVICE_PRINCIPAL.objectId,
          clientSecret: directory.clientSecret,
          certificateFile: tls.spCredentialFile,
        },
        github: {
          clientId: GITHUB_APP.appId,
          objectId: GITHUB_APP.objectId,
          issuer: ci.githubIssuer,
          subject: GITHUB.defaultSubject,
          audience: TOKEN_EXCHANGE_AUDIENCE,
        },
        azdo: {
          clientId: AZDO_APP.appId,
          objectId: AZDO_APP.objectId,
          issuer: ci.azdoIssuer,
          subject: AZDO.defaultSubject,
          audience: TOKEN_EXCHANGE_AUDIENCE,
          serviceConnectionId: AZDO.serviceConnectionId,
          systemAccessToken: directory.azdoSystemAccessToken,
        },
      },
      ...describeAml(plan),
    };
    let stopped: Promise<void> | undefined;
    return {
      info,
      vaults,
      requestLog: log,
      directory,
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
    if (!VAULT_NAME_PATTERN.test(n))
      throw new Error(`invalid vault name "${n}": 3-24 characters, letters, digits and '-', starting with a letter`);
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
    const body = JSON.stringify({
      error: { code: 'BadRequest', message: `Malformed HTTP request (${err.code ?? 'parse error'}).` },
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

function listenOn(server: Closable, port: number, host: string): Promise<number> {
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
async function listenLoopback<S extends Closable>(
  make: () => S,
  port: number,
): Promise<{ port: number; listening: S[] }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const v4 = make();
    const actual = await listenOn(v4, port, '127.0.0.1');
    const v6 = make();
    try {
      await listenOn(v6, actual, '::1');
      return { port: actual, listening: [v4, v6] };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL')
        return { port: actual, listening: [v4] };
      await closeAll([v4]);
      if (code !== 'EADDRINUSE' || port !== 0) throw err;
    }
  }
  throw new Error('could not find a port free on both 127.0.0.1 and ::1');
}

function closeAll(servers: Closable[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          if (!s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
}
