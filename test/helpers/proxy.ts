// A local HTTPS proxy (HTTP CONNECT), as self-hosted runners and agents sit behind, with the ways
// proxies fail users: it refuses the tunnel (403), asks for credentials (407), intercepts TLS with
// a certificate of its own CA that the runner does not trust, or accepts the tunnel and then says
// nothing. `tunnel` passes traffic through. It records which hosts were asked for.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { ensureTlsMaterial } from '../../emulator/common/tls.js';

export type ProxyMode = 'tunnel' | 'refuse' | 'auth' | 'intercept' | 'stall';

export interface LocalProxy {
  url: string;
  port: number;
  /** host:port of every CONNECT, in order. */
  connects: string[];
  stop(): Promise<void>;
}

export async function startProxy(mode: ProxyMode): Promise<LocalProxy> {
  const sockets = new Set<Socket>();
  const connects: string[] = [];
  // intercept: a CA of its own, which nobody trusts.
  const certDir = mode === 'intercept' ? mkdtempSync(join(tmpdir(), 'aml-proxy-ca-')) : undefined;
  const tls = certDir ? ensureTlsMaterial(certDir) : undefined;
  const server: Server = createServer((_req, res) => {
    res.writeHead(400).end('CONNECT only');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket) => {
    connects.push(req.url ?? '');
    client.on('error', () => undefined);
    switch (mode) {
      case 'refuse':
        client.end(
          'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nblocked by policy\r\n',
        );
        return;
      case 'auth':
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
        );
        return;
      case 'stall':
        return; // never answers; stop() closes it
      case 'intercept': {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const secure = new TLSSocket(client, { isServer: true, cert: tls!.serverCert, key: tls!.serverKey });
        secure.on('error', () => client.destroy());
        return;
      }
      case 'tunnel': {
        const [host, port] = splitHostPort(req.url ?? '');
        const upstream = connect(port, host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          if (certDir) rmSync(certDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

function splitHostPort(target: string): [string, number] {
  const i = target.lastIndexOf(':');
  return [target.slice(0, i).replace(/^\[|\]$/g, ''), Number(target.slice(i + 1))];
}
