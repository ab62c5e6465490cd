// Shared helpers for the emulator tests: raw HTTPS (for what the SDK hides) and SDK clients built the
// way a user builds them — credentials from the environment only.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';
import type { Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { useDiscoveryProxy, useEmulatorEnv } from '../helpers/emulator.js';
import type { Emulator } from '../helpers/emulator.js';

export const API = '2025-07-01';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  token?: string;
  agent?: Agent | false;
}

const caCache = new Map<string, Buffer>();
export function caOf(emu: Pick<Emulator, 'caCertFile'>): Buffer {
  let ca = caCache.get(emu.caCertFile);
  if (!ca) caCache.set(emu.caCertFile, (ca = readFileSync(emu.caCertFile)));
  return ca;
}

/** One HTTPS request with the emulator's CA; resolves with status, headers and body (JSON when it parses). */
export function raw(emu: Pick<Emulator, 'caCertFile'>, url: string, opts: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && headers['Content-Length'] === undefined)
      headers['Content-Length'] = Buffer.byteLength(opts.body);
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers, ca: caOf(emu), agent: opts.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A vault token through the emulator's managed-identity endpoint (the App Service protocol). */
export async function vaultToken(emu: Emulator, resource = 'https://vault.azure.net'): Promise<string> {
  const res = await raw(
    emu,
    `${emu.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`,
    {
      headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER! },
    },
  );
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json.access_token as string;
}

/**
 * A SecretClient exactly as a user's code would build it against the emulator: ManagedIdentityCredential
 * from the environment (emulator.env set in process.env first) and challenge-resource verification off.
 */
export function sdkClient(emu: Emulator, vaultUrl = emu.vaultUrl, options: SecretClientOptions = {}): SecretClient {
  useEmulatorEnv(emu);
  return new SecretClient(vaultUrl, new ManagedIdentityCredential(), {
    disableChallengeResourceVerification: true,
    ...options,
  });
}

/** The error an async call rejects with (fails the test when it resolves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

export const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

// --- sign-in helpers: what a product does with the emulator's Entra, ARM and CI issuers -----------------

export const SCOPES = {
  arm: 'https://management.azure.com/.default',
  vault: 'https://vault.azure.net/.default',
} as const;

/** An ARM client the way the product builds one: a core-rest-pipeline pipeline with the bearer policy. */
export function armClient(credential: TokenCredential, scope: string = SCOPES.arm) {
  const pipeline = createPipelineFromOptions({});
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
  const http = createDefaultHttpClient();
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    get: async (url: string): Promise<{ status: number; json: any; headers: Record<string, string> }> => {
      const res = await pipeline.sendRequest(http, createPipelineRequest({ url }));
      return {
        status: res.status,
        json: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined,
        headers: res.headers.toJSON(),
      };
    },
    /** Any method, with a JSON body (PUT of a role assignment, accessPolicies/add, DELETE). */
    send: async (
      method: 'PUT' | 'DELETE' | 'GET',
      url: string,
      body?: unknown,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ): Promise<{ status: number; json: any }> => {
      const req = createPipelineRequest({ url, method });
      if (body !== undefined) {
        req.body = JSON.stringify(body);
        req.headers.set('Content-Type', 'application/json');
      }
      const res = await pipeline.sendRequest(http, req);
      return { status: res.status, json: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
    },
  };
}

export const workspaceUrl = (
  emu: Pick<Emulator, 'armUrl'>,
  sub: string,
  rg: string,
  name: string,
  apiVersion = '2025-06-01',
) =>
  `${emu.armUrl}/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${name}?api-version=${apiVersion}`;

/** The product's path: workspace → properties.keyVault → GET vault → properties.vaultUri. */
export async function resolveVault(
  emu: Pick<Emulator, 'armUrl'>,
  credential: TokenCredential,
  sub: string,
  rg: string,
  name: string,
): Promise<string> {
  const arm = armClient(credential);
  const ws = await arm.get(workspaceUrl(emu, sub, rg, name));
  if (ws.status !== 200) throw new Error(`workspace GET: ${ws.status} ${JSON.stringify(ws.json)}`);
  const vault = await arm.get(`${emu.armUrl}${ws.json.properties.keyVault}?api-version=2024-11-01`);
  if (vault.status !== 200) throw new Error(`vault GET: ${vault.status} ${JSON.stringify(vault.json)}`);
  return vault.json.properties.vaultUri as string;
}

/**
 * The GitHub runner's ID token, fetched exactly as @actions/core getIDToken does it (the package is
 * ESM-only, which this CommonJS jest cannot load): GET ACTIONS_ID_TOKEN_REQUEST_URL + "&audience=…"
 * with the request token as bearer, then `.value`.
 */
export async function getIDToken(
  env: { ACTIONS_ID_TOKEN_REQUEST_URL?: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string },
  emu: Pick<Emulator, 'caCertFile'>,
  audience?: string,
): Promise<string> {
  let url = env.ACTIONS_ID_TOKEN_REQUEST_URL!;
  if (audience) url = `${url}&audience=${encodeURIComponent(audience)}`;
  const res = await raw(emu, url, {
    headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`, Accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`Failed to get ID Token. Error Code : ${res.status}`);
  if (!res.json?.value) throw new Error('Response json body do not have ID Token field');
  return res.json.value as string;
}

/** The claims of a JWT (no verification). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const claimsOf = (jwt: string): any => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/** A key from the run's cert dir (token-key.pem signs access tokens, oidc-key.pem the CI issuers' ID tokens). */
export function certDirKey(file: 'token-key.pem' | 'oidc-key.pem'): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(readFileSync(join(process.env.AML_TEST_CERT_DIR!, file), 'utf8'));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Status of GET {adminUrl}/requests over plain https with no `ca` option and no pooled agent: it
 * succeeds only when this process trusts the emulator's CA by itself.
 */
export function adminStatusWithDefaultTrust(emu: Pick<Emulator, 'adminUrl'>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    request(`${emu.adminUrl}/requests`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** Resource Manager as the emulator's service principal (what most ARM tests sign in as), the environment set. */
export function servicePrincipalArm(emu: Emulator): ReturnType<typeof armClient> {
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  const sp = emu.identities.servicePrincipal;
  return armClient(
    new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, { authorityHost: emu.authorityHost }),
  );
}
