// The emulator's HTTPS listeners: each on loopback only, on 127.0.0.1 and ::1 with one port, answering
// malformed HTTP with a 400 in the services' error envelope; and closing them all at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { Logger } from './logger.js';
import type { TlsMaterial } from './tls.js';

export type Closable = Server | HttpServer;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function createHttpsServer(tls: TlsMaterial, handler: Handler, logger: Logger): Server {
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
export async function listenLoopback<S extends Closable>(
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

export function closeAll(servers: Closable[]): Promise<void> {
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
