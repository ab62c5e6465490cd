// Nothing leaves the machine: the emulator's discovery proxy (HTTPS_PROXY of its printed env) tunnels only to
// the emulator's own listeners and answers instance discovery for login.microsoftonline.com itself. A CONNECT
// to any other host — the real Resource Manager a client reaches for when it was given the emulator's env but
// not its armUrl, or a loopback address the emulator does not listen on — is refused with a 403 whose text
// (and a log line) names the host and what to set instead, and no connection is opened anywhere.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { createLogger } from '../../../emulator/common/logger.js';
import { startEmulator, type RunningEmulator } from '../../../emulator/server.js';

let emu: RunningEmulator;
const logLines: string[] = [];

/** A TCP listener that records every connection it is given (and serves none). */
interface Witness {
  host: string;
  port: number;
  connections: number;
  server: Server;
}

async function witness(host: string): Promise<Witness> {
  const w: Witness = { host, port: 0, connections: 0, server: createServer((s) => (w.connections++, s.destroy())) };
  await new Promise<void>((resolve, reject) => {
    w.server.once('error', reject);
    w.server.listen(0, host, () => resolve());
  });
  w.port = (w.server.address() as { port: number }).port;
  return w;
}

const witnesses: Witness[] = [];

/** CONNECT `authority` through the emulator's HTTPS_PROXY, as a client does; the status and the text that follows. */
function connectThroughProxy(authority: string): Promise<{ status: number; text: string }> {
  const proxy = new URL(emu.info.env.HTTPS_PROXY!);
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority });
    req.on('connect', (res, socket, head) => {
      if (res.statusCode === 200) {
        socket.destroy();
        return resolve({ status: 200, text: '' });
      }
      const chunks: Buffer[] = [head];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => {
        socket.destroy();
        resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') });
      });
      socket.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT, then TLS over the tunnel (trusting the emulator's CA only): the certificate's subject CN. */
function tlsSubjectThroughProxy(authority: string): Promise<string> {
  const proxy = new URL(emu.info.env.HTTPS_PROXY!);
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`CONNECT ${authority}: ${res.statusCode}`));
      const servername = authority.replace(/:\d+$/, '');
      const tls = tlsConnect({ socket, servername, ca: readFileSync(emu.info.caCertFile) }, () => {
        const cn = tls.getPeerCertificate().subject.CN;
        tls.end();
        resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
      });
      tls.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  emu = await startEmulator({
    certDir: process.env.AML_TEST_CERT_DIR,
    logger: createLogger({ write: (line) => void logLines.push(line) }),
  });
  witnesses.push(await witness('127.0.0.2'), await witness('127.0.0.1'));
});

afterAll(async () => {
  await emu?.stop();
  await Promise.all(witnesses.map((w) => new Promise((resolve) => w.server.close(resolve))));
});

beforeEach(() => {
  logLines.length = 0;
});

it('refuses the real Resource Manager, naming the host and the armUrl to set instead, in its answer and its log', async () => {
  const { status, text } = await connectThroughProxy('management.azure.com:443');
  expect(status).toBe(403);
  expect(text).toContain('does not connect to management.azure.com:443');
  expect(text).toContain(`--resource-manager-endpoint ${emu.info.armUrl}`);
  const logged = logLines.filter((l) => l.includes('refused CONNECT management.azure.com:443'));
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain(emu.info.armUrl);
});

it('refuses another cloud’s authority and a public vault, with what to use instead', async () => {
  const authority = await connectThroughProxy('login.microsoftonline.us:443');
  expect(authority.status).toBe(403);
  expect(authority.text).toContain(`--authority-host ${emu.info.authorityHost}`);
  const vault = await connectThroughProxy('kv-train.vault.azure.net:443');
  expect(vault.status).toBe(403);
  expect(vault.text).toContain('kv-train.vault.azure.net:443');
  expect(vault.text).toContain(emu.info.vaultUrl);
});

it('opens no connection to a loopback listener that is not the emulator’s', async () => {
  for (const w of witnesses) {
    const { status, text } = await connectThroughProxy(`${w.host}:${w.port}`);
    expect(status).toBe(403);
    expect(text).toContain(`does not connect to ${w.host}:${w.port}`);
    expect(text).toContain('NO_PROXY');
  }
  const localhost = await connectThroughProxy(`localhost:${witnesses[1]!.port}`);
  expect(localhost.status).toBe(403);
  expect(witnesses.map((w) => w.connections)).toEqual([0, 0]);
});

it('gives a real client, sent through the printed HTTPS_PROXY, the refusal as its answer', async () => {
  // The product's Resource Manager pipeline (@azure/core-rest-pipeline) with the emulator's proxy.
  const proxy = new URL(emu.info.env.HTTPS_PROXY!);
  const pipeline = createPipelineFromOptions({
    proxyOptions: { host: `${proxy.protocol}//${proxy.hostname}`, port: Number(proxy.port) },
    retryOptions: { maxRetries: 0 },
  });
  const send = (url: string): Promise<PipelineResponse | Error> =>
    pipeline.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url })).catch((err: Error) => err);
  const arm = await send('https://management.azure.com/subscriptions?api-version=2022-12-01');
  if (arm instanceof Error) throw arm;
  expect(arm.status).toBe(403);
  expect(arm.bodyAsText).toContain('does not connect to management.azure.com:443');
  expect(arm.bodyAsText).toContain(`--resource-manager-endpoint ${emu.info.armUrl}`);
  const w = witnesses[0]!;
  await send(`https://${w.host}:${w.port}/`);
  expect(w.connections).toBe(0);
  expect(logLines.some((l) => l.includes(`refused CONNECT ${w.host}:${w.port}`))).toBe(true);
});

it('still tunnels to the emulator’s own listeners and intercepts instance discovery', async () => {
  const armPort = new URL(emu.info.armUrl).port;
  expect((await connectThroughProxy(`localhost:${armPort}`)).status).toBe(200);
  expect((await connectThroughProxy('127.0.0.1:' + new URL(emu.info.vaultUrl).port)).status).toBe(200);
  // Instance discovery: the tunnel ends at the emulator's own TLS leaf for login.microsoftonline.com.
  expect(await tlsSubjectThroughProxy('login.microsoftonline.com:443')).toBe('login.microsoftonline.com');
  expect(logLines.filter((l) => l.includes('refused'))).toEqual([]);
});
