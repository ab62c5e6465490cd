// Networks as users have them: self-hosted runners and agents behind an HTTPS proxy (HTTPS_PROXY,
// NO_PROXY). Each failure is met against a local proxy (test/helpers/proxy.ts), and the step must
// name the cause — the proxy (scheme, host and port, never its user name or password), the host it
// was asked for, and the variables in play — instead of "unexpected error".
//
// Sign-in goes direct (the managed-identity endpoint on 127.0.0.1, listed in NO_PROXY); the vault
// (localhost) goes through the proxy, as a vault on the internet would.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness } from '../helpers/harness.js';
import { startProxy, type LocalProxy, type ProxyMode } from '../helpers/proxy.js';

const VALUE = 'proxy-test-value-9f3c';
const CREDENTIALS = 'alice:pr0xy-pa55';

describe.each(HARNESSES.filter((h) => h.label === 'github/node24' || h.label === 'azdo/node20'))(
  'behind a proxy: $label',
  ({ make }) => {
    let emu: Emulator;
    const proxies: LocalProxy[] = [];
    beforeAll(async () => {
      emu = await startEmulator(['--quiet']);
    });
    afterAll(async () => {
      await Promise.all(proxies.map((p) => p.stop()));
      await emu?.stop();
    });

    async function through(mode: ProxyMode, credentials = true): Promise<{ h: Harness; proxy: LocalProxy }> {
      const proxy = await startProxy(mode);
      proxies.push(proxy);
      const env = {
        ...emu.env,
        IDENTITY_ENDPOINT: emu.env.IDENTITY_ENDPOINT.replace('//localhost:', '//127.0.0.1:'),
        HTTPS_PROXY: `http://${credentials ? `${CREDENTIALS}@` : ''}127.0.0.1:${proxy.port}`,
        NO_PROXY: '127.0.0.1',
      };
      return { h: make(env), proxy };
    }
    const push = (h: Harness, vaultUrl = emu.vaultUrl, extra: Record<string, string> = {}) =>
      h.push({ inputs: { 'vault-url': vaultUrl, secrets: 'behind-proxy=V', ...extra }, values: { V: VALUE } });
    const host = () => new URL(emu.vaultUrl).host;

    function expectNamed(run: { ok: boolean; failure: string; stdout: string; stderr: string }, proxy: LocalProxy) {
      expect(run.ok).toBe(false);
      expect(run.failure).toContain('behind-proxy');
      expect(run.failure).toContain(`the HTTPS proxy http://127.0.0.1:${proxy.port}`);
      expect(run.failure).toMatch(/in play: HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+, NO_PROXY=127\.0\.0\.1/);
      expect(run.failure).not.toMatch(/unexpected error/);
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain('pr0xy-pa55');
        expect(
          text
            .split('\n')
            .filter((l) => !/^(::add-mask::|##vso\[task\.setsecret\])/.test(l))
            .join('\n'),
        ).not.toContain(VALUE);
      }
    }

    it('the proxy refuses the tunnel (403): the proxy, the host and the variables are named', async () => {
      const { h, proxy } = await through('refuse');
      const run = await push(h);
      expect(proxy.connects).toContain(host());
      expectNamed(run, proxy);
      expect(run.failure).toMatch(/refused the tunnel to localhost \(403; the answer came from the proxy/);
    });

    it('the proxy refuses the tunnel to Resource Manager: the workspace lookup names the proxy, not "Resource Manager answered"', async () => {
      const { h, proxy } = await through('refuse');
      const run = await h.push({
        inputs: {
          'workspace-name': 'behind-proxy-ws',
          'resource-group': 'ml-rg',
          'subscription-id': emu.subscriptionId,
          'resource-manager-endpoint': emu.armUrl,
          secrets: 'behind-proxy=V',
        },
        values: { V: VALUE },
      });
      expect(proxy.connects).toContain(new URL(emu.armUrl).host);
      expectNamed(run, proxy);
      expect(run.failure).toMatch(
        /refused the tunnel to localhost:\d+ \(403; the answer came from the proxy, not from Resource Manager\)/,
      );
      expect(run.failure).not.toMatch(/Resource Manager answered/);
    });

    it('the proxy wants credentials (407): said so, without repeating them', async () => {
      const { h, proxy } = await through('auth');
      const run = await push(h);
      expectNamed(run, proxy);
      // The SDK fails to read the proxy's empty answer (a TypeError, no status): the message still
      // says where the answer came from and what to check.
      expect(run.failure).toMatch(/\(407( Proxy Authentication Required)?\)/);
    });

    it('the proxy intercepts TLS with a CA the runner does not trust: NODE_EXTRA_CA_CERTS is the fix named', async () => {
      const { h, proxy } = await through('intercept');
      const run = await push(h);
      expect(proxy.connects).toContain(host());
      expectNamed(run, proxy);
      expect(run.failure).toMatch(/not trusted \([A-Z_]+\).*may be inspecting TLS: point NODE_EXTRA_CA_CERTS/);
    });

    it('a proxy that accepts the tunnel and then says nothing: the step ends by itself, naming the proxy', async () => {
      const { h } = await through('stall');
      const started = Date.now();
      const run = await push(h, emu.vaultUrl, { 'call-timeout': '1s' });
      // The run gives the vault up after three silent timeouts and exits, although the stalled tunnel's socket
      // stays open (the proxy agent ignores the abort): a hang would run into the harness's own timeout.
      expect(Date.now() - started).toBeLessThan(45_000);
      expect(run.ok).toBe(false);
      expect(run.failure).toContain('behind-proxy');
      expect(run.failure).toMatch(/has not answered/);
      expect(run.failure).toMatch(/go through the HTTPS proxy http:\/\/127\.0\.0\.1:\d+/);
      expect(run.failure).not.toContain('pr0xy-pa55');
    });

    it('a vault name that resolves nowhere (no proxy): the host is named', async () => {
      const h = make({ ...emu.env, HTTPS_PROXY: '', NO_PROXY: '' });
      // A vault suffix the user allows (a sovereign or private DNS zone), under the reserved .invalid.
      const run = await push(h, 'https://kv-nowhere-4c1d.vault.nowhere.invalid', {
        'allowed-vault-suffixes': 'vault.nowhere.invalid',
      });
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(
        /host not found \((ENOTFOUND|EAI_AGAIN)\): kv-nowhere-4c1d\.vault\.nowhere\.invalid does not resolve/,
      );
    });
  },
);
