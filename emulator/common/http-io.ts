// Small HTTP helpers shared by the vault, identity and admin endpoints: bounded body reading, JSON
// responses with the headers Key Vault sends, and the error envelope.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'tooLarge'; bytes: number; closeConnection: boolean };

/**
 * Reads a request body, keeping at most `limit` bytes. Larger bodies are drained (so the client can
 * read our 400 instead of a broken pipe) up to `drainLimit`, after which we stop reading and close.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
      else if (bytes > drainLimit) {
        req.pause();
        finish({ kind: 'tooLarge', bytes, closeConnection: true });
      }
    });
    req.on('end', () =>
      finish(
        bytes > limit
          ? { kind: 'tooLarge', bytes, closeConnection: false }
          : { kind: 'ok', body: Buffer.concat(chunks) },
      ),
    );
    const abort = (err: Error) => {
      if (!done) {
        done = true;
        reject(err);
      }
    };
    req.on('error', abort);
    // A client that disconnects mid-body: settle instead of waiting for an 'end' that never comes.
    req.on('close', () => abort(new Error('the client closed the connection before the body was complete')));
  });
}

/** Headers the real service puts on every response (the JS SDK's real-service recordings, docs/keyvault.md §1.2), minus the region-specific ones. */
export function serviceHeaders(req: IncomingMessage): Record<string, string> {
  const clientRequestId = req.headers['x-ms-client-request-id'];
  return {
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'x-ms-keyvault-region': 'local',
    'x-ms-request-id': randomUUID(),
    ...(typeof clientRequestId === 'string' && /^[\w-]{1,100}$/.test(clientRequestId)
      ? { 'x-ms-client-request-id': clientRequestId }
      : {}),
    'x-ms-keyvault-service-version': '1.9.0.0-aml-emulator',
    'x-ms-keyvault-network-info': `conn_type=Ipv4;addr=${clientAddress(req)};act_addr_fam=InterNetwork;`,
    'Strict-Transport-Security': 'max-age=31536000;includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(payload.length),
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': '0' });
  res.end();
}

export function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The origin clients used (Host header), for ids and nextLinks; falls back when the header is odd. */
export function requestOrigin(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  if (typeof host === 'string' && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host))
    return `https://${host}`;
  return fallback;
}

/** media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
