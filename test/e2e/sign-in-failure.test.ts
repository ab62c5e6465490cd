// A failed sign-in is never "not in the vault". The bundles, as the runner and the agent start
// them, push to a vault given by URL (so no Resource Manager call signs in first) with a credential
// that cannot get a token, for each way of signing in. The dry run and the real run must both fail
// every secret with the sign-in's own message, before any write, and plan nothing as "create".
// The Azure DevOps case is the reported one: the OIDC endpoint answers 404 "There is no explicit
// reference to service connection …", which was taken for the secret's 404.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, serviceConnectionEnv } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness, type PushRun } from '../helpers/harness.js';

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

  /** Vault requests of the run: at most the one unauthenticated request whose 401 starts the sign-in. */
  async function vaultRequests(): Promise<string[]> {
    return (await emu.requests())
      .filter((r) => (r as { service?: string }).service === 'vault')
      .map((r) => `${r.method} ${r.status}`);
  }

  function expectSignInFailure(run: PushRun, message: RegExp) {
    expect(run.ok).toBe(false);
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
    run(dryRun: boolean): Promise<PushRun>;
  }> = [
    {
      title: 'GitHub OIDC, federated credential mismatch',
      message: /AADSTS70021/,
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
          expectSignInFailure(run, c.message);
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
