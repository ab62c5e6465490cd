// Shared helpers for the emulator tests: raw HTTPS (for what the SDK hides) and SDK clients built the
// way a user builds them — credentials from the environment only.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { useEmulatorEnv } from '../helpers/emulator.js';
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
    if (opts.body !== undefined && headers['Content-Length'] === undefined) headers['Content-Length'] = Buffer.byteLength(opts.body);
    const req = request(url, { method: opts.method ?? 'GET', headers, ca: caOf(emu), agent: opts.agent ?? false }, (res) => {
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
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A vault token through the emulator's managed-identity endpoint (the App Service protocol). */
export async function vaultToken(emu: Emulator, resource = 'https://vault.azure.net'): Promise<string> {
  const res = await raw(emu, `${emu.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, {
    headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER! },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json.access_token as string;
}

/**
 * A SecretClient exactly as a user's code would build it against the emulator: ManagedIdentityCredential
 * from the environment (emulator.env set in process.env first) and challenge-resource verification off.
 */
export function sdkClient(emu: Emulator, vaultUrl = emu.vaultUrl, options: SecretClientOptions = {}): SecretClient {
  useEmulatorEnv(emu);
  return new SecretClient(vaultUrl, new ManagedIdentityCredential(), { disableChallengeResourceVerification: true, ...options });
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
