// The discovery proxy: an HTTP CONNECT proxy on loopback (env HTTPS_PROXY, with NO_PROXY covering
// localhost) so that MSAL's instance discovery reaches the emulator without any client option.
//
// Why: for an authority host it has no built-in metadata for, MSAL (msal-common Authority
// getCloudDiscoveryMetadataFromNetwork) asks
//   https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=<authority>/oauth2/v2.0/authorize
// — always that host, whatever the authority — and refuses the authority ("untrusted_authority") when the
// answer does not vouch for it. @azure/identity skips this only with `disableInstanceDiscovery: true`.
// HTTP clients honour HTTPS_PROXY (@azure/core-rest-pipeline proxyPolicy, Python requests,
// @actions/http-client), so the proxy terminates TLS for login.microsoftonline.com with a leaf signed
// by the emulator's CA (trusted through NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE) and answers instance
// discovery itself (entra.ts). Every other CONNECT is tunnelled unchanged, so a process that uses the
// emulator's env still reaches other hosts directly.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.js';
import { INSTANCE_DISCOVERY_HOST } from './tls-files.js';

export interface DiscoveryProxyOptions {
  /** TLS leaf (with the CA appended) and key for login.microsoftonline.com. */
  cert: string;
  key: string;
  /** Serves the intercepted requests (entra.ts in proxy mode). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  logger: Logger;
}

/**
 * The TLS server intercepted connections are handed to (never listens itself), and a factory of plain-HTTP
 * proxy servers feeding it (one per loopback address family).
 */
export function createDiscoveryProxy(options: DiscoveryProxyOptions): {
  intercept: HttpsServer;
  newProxyServer: () => HttpServer;
} {
  const intercept = createHttpsServer({ cert: options.cert, key: options.key }, options.handler);
  intercept.keepAliveTimeout = 60_000;
  intercept.on('tlsClientError', (err) =>
    options.logger.request(`discovery proxy: tls handshake failed: ${err.message}`),
  );

  const newProxyServer = () => {
    const proxy = createHttpServer((_req, res) => {
      // Only CONNECT: HTTPS_PROXY is used for https URLs, which clients tunnel.
      res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'CONNECT' });
      res.end('The emulator discovery proxy only accepts CONNECT.\n');
    });
    proxy.on('connect', (req: IncomingMessage, clientSocket: Duplex, head: Buffer) => {
      const target = parseAuthority(req.url ?? '');
      const socket = clientSocket as Socket;
      socket.on('error', () => socket.destroy());
      if (!target) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      if (target.host.toLowerCase() === INSTANCE_DISCOVERY_HOST && target.port === 443) {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) socket.unshift(head);
        intercept.emit('connection', socket);
        return;
      }
      const upstream = connect({ host: target.host, port: target.port }, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', (err) => {
        options.logger.request(`discovery proxy: tunnel to ${target.host}:${target.port} failed: ${err.message}`);
        if (socket.writable) socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        else socket.destroy();
      });
      socket.on('close', () => upstream.destroy());
    });
    return proxy;
  };
  return { intercept, newProxyServer };
}

/** "host:port" or "[v6]:port" of a CONNECT request. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(authority);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
