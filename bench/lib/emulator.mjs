// Starts the local Key Vault emulator exactly as a user would (`node build/emulator/main.mjs --port 0
// [flags]`, one JSON line on stdout) and talks to its admin API. Loopback only: every URL it hands
// out is checked to be on localhost before anything is sent to it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { track } from './proc.mjs';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function assertLoopback(url, what) {
  const host = new URL(url).hostname.toLowerCase();
  if (!LOOPBACK.has(host)) throw new Error(`${what} is not on loopback: ${url}`);
}

/**
 * @param {string} bundle   path of build/emulator/main.mjs
 * @param {string[]} args   extra flags (e.g. ['--latency-ms', '25'])
 * @param {{ node: string, env: Record<string,string>, cwd: string }} how
 */
export function startEmulator(bundle, args, { node, env, cwd }) {
  const argv = [bundle, '--port', '0', '--quiet', '--exit-on-stdin-close', ...args];
  // stdin is a pipe we never close until stop(): if this process dies without cleaning up, the pipe
  // closes and the emulator stops by itself (--exit-on-stdin-close).
  const child = track(spawn(node, argv, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-8_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${err.message}\n--- emulator stderr (tail) ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(new Error('the emulator did not print its JSON line within 30 s')), 30_000);
    const onEarlyExit = (code, signal) =>
      fail(new Error(`the emulator exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', fail);
    child.once('exit', onEarlyExit);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (stdout === null) return; // after the first line: ignore
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      const line = stdout.slice(0, nl);
      stdout = null;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      let info;
      try {
        info = JSON.parse(line);
        for (const [name, url] of Object.entries(info.vaults ?? { default: info.vaultUrl }))
          assertLoopback(url, `vault ${name}`);
        assertLoopback(info.vaultUrl, 'vaultUrl');
        assertLoopback(info.adminUrl, 'adminUrl');
        assertLoopback(info.env.IDENTITY_ENDPOINT, 'IDENTITY_ENDPOINT');
      } catch (err) {
        fail(err);
        return;
      }
      resolve(makeHandle(info, child, exited, argv.slice(1)));
    });
  });
}

function makeHandle(info, child, exited, args) {
  const ca = readFileSync(info.caCertFile);
  const admin = (method, path, body) =>
    new Promise((resolve, reject) => {
      const url = new URL(info.adminUrl + path);
      const req = request(url, { method, ca, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.setTimeout(15_000, () => req.destroy(new Error(`admin ${method} ${path} timed out`)));
      req.once('error', reject);
      req.end(body);
    });
  let stopping;
  return {
    info,
    args,
    /** The emulator's process id (its CPU time is read from /proc by the fleet scenario). */
    pid: child.pid,
    /** Data-plane requests since the last clear: [{method, path, status, vault}]. */
    async requests() {
      const r = await admin('GET', '/requests');
      if (r.status !== 200) throw new Error(`admin GET /requests: ${r.status}`);
      return JSON.parse(r.text);
    },
    async clearRequests() {
      const r = await admin('DELETE', '/requests');
      if (r.status !== 204) throw new Error(`admin DELETE /requests: ${r.status}`);
    },
    async configure(patch) {
      const r = await admin('POST', '/config', JSON.stringify(patch));
      if (r.status !== 204) throw new Error(`admin POST /config rejected (${r.status}): ${r.text}`);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 6_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
