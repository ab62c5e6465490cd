// A failed sign-in is never "not in the vault". The bundles, as the runner and the agent start
// them, push to a vault given by URL (so no Resource Manager call signs in first) with a credential
// that cannot get a token, for each way of signing in. The dry run and the real run must both fail
// every secret with the sign-in's own message, before any write, and plan nothing as "create".
// The Azure DevOps case is the reported one: the OIDC endpoint answers 404 "There is no explicit
// reference to service connection …", which was taken for the secret's 404.
//
// And a failed sign-in is one message, within seconds: it names who was tried and the fix in the
// platform's words, once in the log; the SDK's own account of it (a chain's dump of every credential
// it tried) only in the debug log. The CLI case is a laptop that is not signed in, behind a proxy that
// answers everything (as corporate proxies and some routers do): the instance metadata endpoint seems to
// answer, and DefaultAzureCredential retried it for 17-22 s before saying anything.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runCli, serviceConnectionEnv } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness, type PushRun } from '../helpers/harness.js';

/** Occurrences of `needle` in `text`. */
const count = (text: string, needle: string) => text.split(needle).length - 1;
/** Text only the SDK's chained credentials write (DefaultAzureCredential's and ours). */
const CHAIN_TEXT = 'ChainedTokenCredential authentication failed';
/** Generous: the sign-in fails at once; retrying what cannot succeed took 17-22 s. */
const SIGN_IN_BOUND_MS = 8_000;

const NO_MI = { IDENTITY_ENDPOINT: undefined, IDENTITY_HEADER: undefined };
const VALUES = { DB_PASSWORD: 'sign-in-failure-value-1', API_KEY: 'sign-in-failure-value-2' };

describe.each(NODE_RUNTIMES)('a failed sign-in on $label', (node) => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator([]);
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => {
    await emu.clearRequests();
  });

  describe('the CLI, not signed in, behind a proxy that answers every plain request', () => {
    let proxy: Server;
    let proxyUrl: string;
    beforeAll(async () => {
      // Answers the instance metadata endpoint's request as if it were there: 404 with a JSON body.
      proxy = createServer((_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => new Promise<void>((resolve) => proxy.close(() => resolve())));

    async function cli(verbose: boolean) {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_EXTRA_CA_CERTS: emu.env.NODE_EXTRA_CA_CERTS,
        HTTPS_PROXY: proxyUrl,
        NO_PROXY: emu.env.NO_PROXY,
        ...VALUES,
      };
      const args = [
        '--vault-url',
        emu.vaultUrl,
        '--secrets',
        'db-password=DB_PASSWORD',
        '--secrets',
        'api-key=API_KEY',
      ];
      const started = Date.now();
      const run = await runCli(node.path, verbose ? [...args, '--verbose'] : args, env);
      return { ...run, elapsedMs: Date.now() - started };
    }

    it.each([false, true])('--verbose %s: one message with its fix, within seconds', async (verbose) => {
      const run = await cli(verbose);
      // Measured: 17-22 s with DefaultAzureCredential; about 1 s now.
      process.stdout.write(`sign-in failure on the CLI (${node.label}, verbose ${verbose}): ${run.elapsedMs} ms\n`);
      expect(run.elapsedMs).toBeLessThan(SIGN_IN_BOUND_MS);
      expect(run.code).toBe(1);
      expect(count(run.stderr, 'could not sign in')).toBe(1);
      expect(run.stderr).toMatch(
        /^error: db-password \(.*\), api-key \(.*\): .*could not sign in to Azure as the Azure CLI session/m,
      );
      expect(run.stderr).toContain('`az login`');
      expect(run.stderr).toContain('az account set');
      expect(run.stderr).toMatch(/AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_CLIENT_SECRET/);
      expect(run.stderr).toContain('AZURE_FEDERATED_TOKEN_FILE');
      expect(run.stderr).toContain('managed identity');
      // The SDK's account only with --verbose, and only as debug lines.
      const chainLines = run.stderr.split('\n').filter((l) => l.includes(CHAIN_TEXT));
      expect(chainLines.length > 0).toBe(verbose);
      for (const line of chainLines) expect(line).toMatch(/^debug: /);
      for (const v of Object.values(VALUES)) expect(run.stdout + run.stderr).not.toContain(v);
      expect(await vaultRequests()).toEqual(['GET 401']);
    });
  });

  /** Vault requests of the run: at most the one unauthenticated request whose 401 starts the sign-in. */
  async function vaultRequests(): Promise<string[]> {
    return (await emu.requests())
      .filter((r) => (r as { service?: string }).service === 'vault')
      .map((r) => `${r.method} ${r.status}`);
  }

  // DefaultAzureCredential (GitHub's auth default, Azure DevOps without a connection): its chain's dump of every
  // credential is in the debug lines only (the runner and the agent show those with their debug switch).
  describe.each([
    [
      'GitHub, auth default',
      'github',
      /client-id and tenant-id .*`permissions: id-token: write`.*azure\/login/,
      '::debug::',
    ],
    ['Azure DevOps without a service connection', 'azdo', /Set the input azureSubscription/, '##vso[task.debug]'],
  ] as const)('%s', (_title, platform, fix, debugPrefix) => {
    it.each([false, true])('debug %s: one message with its fix; the chain only in debug lines', async (debug) => {
      const harness = platform === 'github' ? gitHubHarness(node, emu.env) : azdoHarness(node, emu.env);
      const started = Date.now();
      const run = await harness.push({
        inputs: {
          'vault-url': emu.vaultUrl,
          ...(platform === 'github' && { auth: 'default' }),
          secrets: 'db-password=DB_PASSWORD\napi-key=API_KEY',
        },
        values: VALUES,
        env: NO_MI,
        debug,
      });
      expect(Date.now() - started).toBeLessThan(SIGN_IN_BOUND_MS);
      expect(run.ok).toBe(false);
      expect(count(run.stdout, 'could not sign in')).toBe(1);
      expect(run.failure).toMatch(
        /db-password \(.*\), api-key \(.*\): read failed: could not sign in to Azure as DefaultAzureCredential/,
      );
      expect(run.failure).toMatch(fix);
      const lines = run.stdout.split(/\r?\n/);
      expect(lines.filter((l) => !l.startsWith(debugPrefix)).join('\n')).not.toContain(CHAIN_TEXT);
      expect(lines.filter((l) => l.startsWith(debugPrefix) && l.includes(CHAIN_TEXT)).length).toBeGreaterThan(0);
      const log = lines.filter((l) => !l.startsWith('##vso[task.setsecret]') && !l.startsWith('::add-mask::'));
      for (const v of Object.values(VALUES)) expect(`${log.join('\n')}\n${run.stderr}`).not.toContain(v);
    });
  });

  function expectSignInFailure(run: PushRun, message: RegExp, fix: RegExp) {
    expect(run.ok).toBe(false);
    // Stated once in the log: the error, no plan line, warning or second copy of it.
    expect(count(run.stdout, 'could not sign in')).toBe(1);
    expect(run.failure).toMatch(fix);
    expect(run.stdout).not.toContain(CHAIN_TEXT);
    // The log, without the commands that register values with the platform's masker.
    const log = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('##vso[task.setsecret]') && !l.startsWith('::add-mask::'))
      .join('\n');
    const text = `${run.failure}\n${log}`;
    // Every secret fails, each with the sign-in's message, and nothing is planned as a create.
    for (const name of ['db-password', 'api-key'])
      expect(run.failure).toMatch(new RegExp(`${name}.*could not sign in`));
    expect(run.failure).toMatch(message);
    expect(text).not.toMatch(/not in the vault|no live secret|: create —/);
    for (const v of Object.values(VALUES)) expect(text).not.toContain(v);
  }

  const cases: Array<{
    title: string;
    message: RegExp;
    fix: RegExp;
    run(dryRun: boolean): Promise<PushRun>;
  }> = [
    {
      title: 'GitHub OIDC, federated credential mismatch',
      message: /AADSTS70021/,
      fix: /client-id and tenant-id .*`permissions: id-token: write`/,
      run: (dryRun) =>
        gitHubHarness(node, emu.env).push({
          inputs: {
            'vault-url': emu.vaultUrl,
            auth: 'oidc',
            'client-id': emu.identities.github.clientId,
            'tenant-id': emu.tenantId,
            'authority-host': emu.authorityHost,
            secrets: 'db-password=DB_PASSWORD\napi-key=API_KEY',
            'dry-run': String(dryRun),
          },
          values: VALUES,
          env: NO_MI,
        }),
    },
    ...(
      [
        [
          'Azure DevOps workload identity federation, connection not authorized for the stage (OIDC 404)',
          /no explicit reference to service connection/,
          'WorkloadIdentityFederation',
        ],
        ['Azure DevOps service principal with a wrong secret', /AADSTS7000215/, 'ServicePrincipal'],
        [
          'Azure DevOps managed identity, identity endpoint refusing',
          /X-IDENTITY-HEADER|401/,
          'ManagedServiceIdentity',
        ],
      ] as const
    ).map(([title, message, scheme]) => ({
      title,
      message,
      fix: /service connection of azureSubscription .*authorized for this pipeline: on a pipeline's first run, permit it/,
      run: (dryRun: boolean) => {
        // A connection the emulator's OIDC endpoint does not know: the stage may not use it (404).
        const id =
          scheme === 'WorkloadIdentityFederation'
            ? 'c0ffee00-0000-4000-8000-000000000404'
            : emu.identities.azdo.serviceConnectionId;
        const parameters: Record<string, string> =
          scheme === 'WorkloadIdentityFederation'
            ? { tenantid: emu.tenantId, serviceprincipalid: emu.identities.azdo.clientId }
            : scheme === 'ServicePrincipal'
              ? {
                  tenantid: emu.tenantId,
                  serviceprincipalid: emu.identities.servicePrincipal.clientId,
                  authenticationType: 'spnKey',
                  serviceprincipalkey: 'not-the-secret',
                }
              : {};
        return azdoHarness(node, emu.env).push({
          inputs: {
            'azure-subscription': id,
            'vault-url': emu.vaultUrl,
            secrets: 'db-password=DB_PASSWORD\napi-key=API_KEY',
            'dry-run': String(dryRun),
          },
          values: VALUES,
          env: {
            ...serviceConnectionEnv({
              id,
              scheme,
              parameters,
              data: { environment: 'AzureCloud', activeDirectoryAuthority: `${emu.authorityHost}/` },
              url: `${emu.armUrl}/`,
              systemAccessToken: emu.identities.azdo.systemAccessToken,
            }),
            ...(scheme === 'ManagedServiceIdentity' ? { IDENTITY_HEADER: 'not-the-identity-header' } : NO_MI),
          },
        });
      },
    })),
  ];

  describe.each(cases)('$title', (c) => {
    it.each([true, false])(
      'dry run %s: every secret fails with the sign-in message, nothing is written',
      async (dryRun) => {
        if (c.title.startsWith('GitHub')) await emu.configure({ githubSubject: 'repo:contoso/train:pull_request' });
        try {
          const run = await c.run(dryRun);
          expectSignInFailure(run, c.message, c.fix);
        } finally {
          if (c.title.startsWith('GitHub')) await emu.configure({ githubSubject: emu.identities.github.subject });
        }
        // One vault request at most (the unauthenticated one that asks for the challenge), never a write.
        const requests = await vaultRequests();
        expect(requests.length).toBeLessThanOrEqual(1);
        expect(requests.filter((r) => !r.startsWith('GET'))).toEqual([]);
      },
    );
  });
});
