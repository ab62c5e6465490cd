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
// discovery itself (entra/authority.ts).
//
// Nothing leaves the machine: a CONNECT to one of the emulator's own listeners is tunnelled to it, and
// every other one is refused with a 403 whose text (and a log line) names the host and what to set
// instead. A client that was given the emulator's environment but not, say, its armUrl would otherwise
// be sent on to the real management.azure.com, with whatever token it holds.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CLOUDS } from './clouds.js';
import type { Logger } from './logger.js';
import { INSTANCE_DISCOVERY_HOST } from './tls-files.js';

/** Where the emulator listens (on loopback): the only places the proxy tunnels to, and what it tells clients to use. */
export interface OwnListeners {
  ports: readonly number[];
  vaultUrl: string;
  armUrl: string;
  authorityHost: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface DiscoveryProxyOptions {
  /** TLS leaf (with the CA appended) and key for login.microsoftonline.com. */
  cert: string;
  key: string;
  /** Serves the intercepted requests (entra/authority.ts in proxy mode). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  logger: Logger;
  own: OwnListeners;
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
      const ownListener = LOOPBACK_NAMES.includes(target.host.toLowerCase()) && options.own.ports.includes(target.port);
      if (!ownListener) {
        const text = refusal(target.host, target.port, options.own);
        options.logger.error(`discovery proxy: refused CONNECT ${target.host}:${target.port}: ${text}`);
        const body = Buffer.from(`${text}\n`, 'utf8');
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString('utf8')}`,
        );
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

/** Why the proxy does not connect to host:port, and what the client should be given instead. */
export function refusal(host: string, port: number, own: OwnListeners): string {
  const h = host.toLowerCase();
  const clouds = Object.values(CLOUDS);
  const hostOf = (url: string) => new URL(url).hostname;
  const head =
    `The aml-vault-push emulator does not connect to ${host}:${port}: its proxy (HTTPS_PROXY) reaches only ` +
    `the emulator's own listeners, so nothing leaves this machine.`;
  if (clouds.some((c) => hostOf(c.armEndpoint) === h))
    return (
      `${head} Give the client the emulator's Resource Manager, armUrl ${own.armUrl}: ` +
      `aml-vault-push --resource-manager-endpoint ${own.armUrl} (the resource-manager-endpoint input), ` +
      `az cloud register --endpoint-resource-manager, or the SDK's endpoint option.`
    );
  if (clouds.some((c) => hostOf(c.authorityHost) === h))
    return (
      `${head} Give the client the emulator's authority, authorityHost ${own.authorityHost}: ` +
      `aml-vault-push --authority-host ${own.authorityHost} (the authority-host input), or ` +
      `AZURE_AUTHORITY_HOST / the credential's authorityHost option.`
    );
  if (clouds.some((c) => h.endsWith(`.${c.vaultDnsSuffix}`)))
    return (
      `${head} Use a vault URL the emulator printed: vaultUrl ${own.vaultUrl} or one of its vaults, ` +
      `or the vaultUri its Resource Manager (${own.armUrl}) reports for a workspace's vault.`
    );
  return (
    `${head} Point the client at the emulator's listeners (vaultUrl ${own.vaultUrl}, armUrl ${own.armUrl}, ` +
    `authorityHost ${own.authorityHost}), or, to reach ${host} directly, leave it out of the proxy with NO_PROXY.`
  );
}
