// Starts the emulator: TLS material, one HTTPS listener per vault (each vault on its own port, so no
// DNS tricks are needed for several vaults), a control listener (managed-identity endpoint, admin API,
// the GitHub and Azure DevOps OIDC issuers), an Entra-like authority, ARM, and the discovery proxy.
// Everything listens on loopback only.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PATH, handleAdmin } from './admin.js';
import { createArmHandler } from './arm/resource-manager.js';
import { AZDO, ciEndpoints, GITHUB, handleCiOidc } from './ci-oidc/issuers.js';
import { CLOUDS, DEFAULT_CLOUD } from './common/clouds.js';
import type { CloudName } from './common/clouds.js';
import { createVaultHandler } from './keyvault/data-plane.js';
import { createDiscoveryProxy } from './common/discovery-proxy.js';
import { Directory } from './entra/directory.js';
import { createEntraHandler } from './entra/authority.js';
import type { EntraDeps } from './entra/authority.js';
import { sendJson } from './common/http-io.js';
import { closeAll, createHttpsServer, listenLoopback } from './common/listeners.js';
import type { Closable } from './common/listeners.js';
import { startIdentities } from './start-info.js';
import type { StartInfo } from './start-info.js';
import { SUBSCRIPTION_ID, TENANT_ID } from './entra/identities.js';
import { VAULT_NAME_PATTERN } from './common/limits.js';
import { createLogger } from './common/logger.js';
import type { Logger } from './common/logger.js';
import { handleTokenRequest, MSI_PATH } from './entra/managed-identity.js';
import { RequestLog } from './common/request-log.js';
import { ensureTlsMaterial } from './common/tls.js';
import { INSTANCE_DISCOVERY_HOST } from './common/tls-files.js';
import type { SettingsPatch } from './keyvault/vault-config.js';
import { Vault } from './keyvault/vault.js';
import { AccessState } from './access/access-state.js';
import { describeAml, planAml } from './arm/aml-plan.js';
import type { AmlPlanInput } from './arm/aml-plan.js';
import type { ArmLevel } from './entra/directory.js';

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

export interface RunningEmulator {
  info: StartInfo;
  vaults: ReadonlyMap<string, Vault>;
  requestLog: RequestLog;
  directory: Directory;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = options.logger ?? createLogger();
  const names = [DEFAULT_VAULT, ...(options.vaults ?? [])];
  checkVaultNames(names);
  const cloud = CLOUDS[options.cloud ?? DEFAULT_CLOUD];
  const settings = options.settings ?? {};
  const vaults = new Map(names.map((n) => [n, new Vault(n, settings)]));
  const plan = planAml(options, vaults, settings);
  const { workspaces, computes, onlineEndpoints, identities, groups } = plan;

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
      onlineEndpoints,
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
      own: {
        ports: [
          ...[...vaults.values()].map((v) => Number(new URL(v.url).port)),
          control.port,
          authority.port,
          arm.port,
        ],
        vaultUrl: vaults.get(DEFAULT_VAULT)!.url,
        armUrl: `https://localhost:${arm.port}`,
        authorityHost: `https://localhost:${authority.port}`,
      },
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
      identities: startIdentities(directory, ci, tls.spCredentialFile),
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
