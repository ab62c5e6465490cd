// Can the training run read it? The readers check through the real bundles on Node 20 and 24, against the emulator's
// Resource Manager and data plane: a missing compute identity fails the step with the fix (warn only warns), a dry
// run grants nothing, a grant lets the compute's own identity read through the SDK, a rerun finds it reading and
// adds nothing, an access-policy vault works the same, custom roles with wildcards and notDataActions, no right to
// assign, hub and project workspaces, and a Microsoft-managed vault refused before any Key Vault request.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness, type PushRun } from '../helpers/harness.js';
import type { armClient } from '../emulator/support.js';
import {
  AUTHZ,
  NOT_GET,
  POL,
  READER_FLAGS,
  RG,
  SUB,
  WILD,
  WS,
  asIdentity,
  customRoles,
  principalOf,
} from '../helpers/readers-fixture.js';

const VALUES = { DB_PASSWORD: 'readers-db-Kx81', API_KEY: 'readers-api-Jq27' };

interface Verdict {
  status: string;
  identities: { principalId: string; clientId?: string; status: string; via?: string }[];
  reason?: string;
}
const readersOf = (run: PushRun) => JSON.parse(run.outputs.readers ?? '{}') as Record<string, Record<string, Verdict>>;

/** No value anywhere but in the masking commands themselves. */
function expectNoValue(run: PushRun): void {
  const stdout = run.stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('::add-mask::') && !l.includes('##vso[task.setsecret]'))
    .join('\n');
  for (const value of Object.values(VALUES))
    expect(stdout + run.stderr + run.summary + JSON.stringify(run.outputs)).not.toContain(value);
}

describe.each(HARNESSES)('readers through $label', ({ make }) => {
  let emu: Emulator;
  let h: Harness;
  let arm: ReturnType<typeof armClient>;
  const vaultUrl = (ws = WS) => emu.workspaces[ws]!.vaultUrl.replace(/\/$/, '');
  const ws = (target = WS, patch: Record<string, string> = {}) => {
    const [sub, rg, name] = target.split('/');
    return {
      'workspace-name': name!,
      'resource-group': rg!,
      'subscription-id': sub!,
      'resource-manager-endpoint': emu.armUrl,
      secrets: 'DB_PASSWORD\nAPI_KEY',
      ...patch,
    };
  };
  const assignmentsOf = async (principalId: string) =>
    (
      await arm.get(
        `${emu.armUrl}${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws/${AUTHZ}/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`assignedTo('${principalId}')`)}`,
      )
    ).json.value as { properties: { roleDefinitionId: string; scope: string } }[];

  beforeAll(async () => {
    emu = await startEmulator(READER_FLAGS);
    h = make(emu.env);
    await emu.configure({ vault: 'kv-pol-ws', vaultPermissions: 'policies' });
    arm = await customRoles(emu);
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => {
    await emu.configure({ armRole: 'owner' });
    await emu.clearRequests();
  });

  it('a missing reader fails the step with the fix, after the secrets were written; with warn it does not fail', async () => {
    const c = principalOf(emu, `${WS}/c-fail`);
    const run = await h.push({ inputs: ws(WS, { readers: 'compute:c-fail' }), values: VALUES });
    expect(run.ok).toBe(false);
    expect(run.failure).toContain(
      `readers compute:c-fail: cannot read the secrets of ${vaultUrl()} (the secrets were written)`,
    );
    expect(run.failure).toMatch(
      new RegExp(
        `az role assignment create --assignee-object-id ${c.principalId} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope /subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft\\.KeyVault/vaults/kv-train-ws`,
        'i',
      ),
    );
    expect(JSON.parse(run.outputs.created!)).toEqual(['DB-PASSWORD', 'API-KEY']);
    const verdict = readersOf(run)[vaultUrl()]!['compute:c-fail']!;
    expect(verdict.status).toBe('missing');
    expect(verdict.identities).toEqual([expect.objectContaining({ principalId: c.principalId, status: 'missing' })]);
    expect(run.summary).toContain('#### Who can read');
    expect(run.summary).toContain(`| compute:c-fail | ${c.principalId} | ❌ missing |`);
    await expect(asIdentity(emu, vaultUrl(), c.clientId).getSecret('DB-PASSWORD')).rejects.toMatchObject({
      statusCode: 403,
    });

    const warned = await h.push({
      inputs: ws(WS, { readers: 'compute:c-fail', 'readers-missing': 'warn' }),
      values: VALUES,
    });
    expect(warned.failure).toBe('');
    expect(warned.ok).toBe(true);
    expect(warned.stdout).toMatch(/readers compute:c-fail: cannot read the secrets of .* \(the secrets were written\)/);
    expectNoValue(run);
  });

  it('a dry run grants nothing; a grant lets the compute read through the SDK; a rerun adds no second assignment', async () => {
    const c = principalOf(emu, `${WS}/c-grant`);
    const dry = await h.push({
      inputs: ws(WS, { readers: 'compute:c-grant', 'grant-readers': 'true', 'dry-run': 'true' }),
      values: VALUES,
    });
    expect(dry.failure).toBe('');
    expect(readersOf(dry)[vaultUrl()]!['compute:c-grant']!.identities[0]!.status).toBe('missing');
    expect(dry.summary).toMatch(/dry run: would grant Key Vault Secrets User/);
    expect((await emu.requests('arm')).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await assignmentsOf(c.principalId)).toEqual([]);

    const run = await h.push({
      inputs: ws(WS, { readers: 'compute:c-grant', 'grant-readers': 'true' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    const verdict = readersOf(run)[vaultUrl()]!['compute:c-grant']!;
    expect(verdict.status).toBe('granted');
    expect(verdict.identities[0]!.via).toMatch(
      /Key Vault Secrets User at .*kv-train-ws \(granted now; a new role assignment can take up to 10 minutes to apply\)/i,
    );
    expect((await asIdentity(emu, vaultUrl(), c.clientId).getSecret('DB-PASSWORD')).value).toBe(VALUES.DB_PASSWORD);

    await emu.clearRequests();
    const again = await h.push({
      inputs: ws(WS, { readers: 'compute:c-grant', 'grant-readers': 'true' }),
      values: VALUES,
    });
    expect(again.failure).toBe('');
    expect(readersOf(again)[vaultUrl()]!['compute:c-grant']!.status).toBe('reads');
    // A bounded number of Resource Manager calls: the workspace and the vault (the lookup), the compute, its assignments.
    const calls = await emu.requests('arm');
    expect(calls.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    expect(calls[2]!.path).toMatch(/\/computes\/c-grant$/);
    expect(calls[3]!.path).toMatch(/\/providers\/Microsoft\.Authorization\/roleAssignments$/);
    expect(await assignmentsOf(c.principalId)).toHaveLength(1);
    expectNoValue(run);
  });

  it('an access-policy vault works the same way: missing, granted with get and list, then read through the SDK', async () => {
    const c = principalOf(emu, `${POL}/c-pol`);
    const missing = await h.push({ inputs: ws(POL, { readers: 'compute:c-pol' }), values: VALUES });
    expect(missing.ok).toBe(false);
    expect(missing.failure).toContain(
      `az keyvault set-policy --name kv-pol-ws --object-id ${c.principalId} --secret-permissions get list`,
    );
    const run = await h.push({
      inputs: ws(POL, { readers: 'compute:c-pol', 'grant-readers': 'true' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    expect(readersOf(run)[vaultUrl(POL)]!['compute:c-pol']!.identities[0]).toMatchObject({
      status: 'granted',
      via: 'access policy (get, list; granted now)',
    });
    expect((await asIdentity(emu, vaultUrl(POL), c.clientId).getSecret('API-KEY')).value).toBe(VALUES.API_KEY);
    const again = await h.push({ inputs: ws(POL, { readers: 'compute:c-pol' }), values: VALUES });
    expect(readersOf(again)[vaultUrl(POL)]!['compute:c-pol']!.identities[0]).toMatchObject({
      status: 'reads',
      via: 'access policy',
    });
  });

  // A vault target has no workspace: the vault's resource is found by listing the subscriptions the identity can see.
  it.each([
    ['an RBAC vault', WS, 'c-url'],
    ['an access-policy vault', POL, 'c-pol-url'],
  ])(
    'a target given by vault-url, %s: missing, granted (and the identity reads), then reads',
    async (_, target, name) => {
      const c = principalOf(emu, `${target}/${name}`);
      const line = `principal:${c.principalId}`;
      const inputs = (patch: Record<string, string> = {}) => ({
        'vault-url': vaultUrl(target),
        'resource-manager-endpoint': emu.armUrl,
        secrets: 'DB_PASSWORD\nAPI_KEY',
        readers: line,
        ...patch,
      });
      const missing = await h.push({ inputs: inputs(), values: VALUES });
      expect(missing.ok).toBe(false);
      expect(readersOf(missing)[vaultUrl(target)]![line]!.status).toBe('missing');
      const granted = await h.push({ inputs: inputs({ 'grant-readers': 'true' }), values: VALUES });
      expect(granted.failure).toBe('');
      expect(readersOf(granted)[vaultUrl(target)]![line]!.status).toBe('granted');
      expect((await asIdentity(emu, vaultUrl(target), c.clientId).getSecret('API-KEY')).value).toBe(VALUES.API_KEY);
      const again = await h.push({ inputs: inputs(), values: VALUES });
      expect(again.failure).toBe('');
      expect(readersOf(again)[vaultUrl(target)]![line]!.status).toBe('reads');
      for (const run of [missing, granted, again]) expectNoValue(run);
    },
  );

  it('a custom role with a wildcard data action at the resource group reads; one whose notDataActions remove getSecret does not', async () => {
    const wild = principalOf(emu, `${WS}/c-wild`);
    const notGet = principalOf(emu, `${WS}/c-notget`);
    const assign = (name: string, principalId: string, role: string) =>
      arm.send('PUT', `${emu.armUrl}${RG}/${AUTHZ}/roleAssignments/${name}?api-version=2022-04-01`, {
        properties: {
          roleDefinitionId: `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${role}`,
          principalId,
          principalType: 'ServicePrincipal',
        },
      });
    await assign('0d0d0d0d-1111-4222-8333-444444444401', wild.principalId, WILD);
    await assign('0d0d0d0d-1111-4222-8333-444444444402', notGet.principalId, NOT_GET);
    const user = principalOf(emu, `${WS}/c-user`);
    await assign('0d0d0d0d-1111-4222-8333-444444444403', user.principalId, WILD);
    await emu.clearRequests();
    const run = await h.push({
      inputs: ws(WS, { readers: 'compute:c-wild\ncompute:c-notget\ncompute:c-user' }),
      values: VALUES,
    });
    // Each custom role is read once per run, though two readers hold one of them.
    const roleReads = (await emu.requests('arm')).filter((q) => /roleDefinitions\//i.test(q.path)).map((q) => q.path);
    expect(roleReads.sort()).toEqual(
      [expect.stringMatching(new RegExp(`${WILD}$`)), expect.stringMatching(new RegExp(`${NOT_GET}$`))].sort(),
    );
    const r = readersOf(run)[vaultUrl()]!;
    expect(r['compute:c-wild']!.status).toBe('reads');
    expect(r['compute:c-wild']!.identities[0]!.via).toMatch(
      /^Wild secret reader at \/subscriptions\/.*\/resourceGroups\/ml-rg$/i,
    );
    expect(r['compute:c-notget']!.status).toBe('missing');
    expect(r['compute:c-user']!.identities).toEqual([
      expect.objectContaining({ principalId: user.principalId, clientId: user.clientId, status: 'reads' }),
    ]);
    expect(run.ok).toBe(false);
    expect(run.failure).toContain('readers compute:c-notget');
    expect(run.failure).not.toContain('readers compute:c-wild');
    // The data plane agrees.
    expect((await asIdentity(emu, vaultUrl(), wild.clientId).getSecret('API-KEY')).value).toBe(VALUES.API_KEY);
    await expect(asIdentity(emu, vaultUrl(), notGet.clientId).getSecret('API-KEY')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('on an access-policy vault without the right to add policies, the message names Key Vault Contributor', async () => {
    await emu.configure({ armRole: 'reader' });
    const c = principalOf(emu, `${POL}/c-pol-noright`);
    const run = await h.push({
      inputs: ws(POL, {
        readers: 'compute:c-pol-noright',
        'grant-readers': 'true',
        secrets: 'pol-noright=DB_PASSWORD',
      }),
      values: VALUES,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(
      /could not grant it \(403 AuthorizationFailed\): adding an access policy needs Key Vault Contributor/,
    );
    expect(run.failure).toContain(
      `a person with such a role runs: az keyvault set-policy --name kv-pol-ws --object-id ${c.principalId} --secret-permissions get list`,
    );
    expect(run.failure).toContain('(the secrets were written)');
    expect(JSON.parse(run.outputs.created!)).toEqual(['pol-noright']);
  });

  it('an assignment on one secret counts for that secret only', async () => {
    const c = principalOf(emu, `${WS}/c-secret`);
    const scope = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws/secrets/DB-PASSWORD`;
    const put = await arm.send(
      'PUT',
      `${emu.armUrl}${scope}/${AUTHZ}/roleAssignments/0d0d0d0d-1111-4222-8333-444444444404?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: c.principalId,
          principalType: 'ServicePrincipal',
        },
      },
    );
    expect(put.status).toBe(201);
    const both = await h.push({ inputs: ws(WS, { readers: 'compute:c-secret' }), values: VALUES });
    expect(readersOf(both)[vaultUrl()]!['compute:c-secret']).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/no role assignment lets it read API-KEY;/),
    });
    const one = await h.push({
      inputs: ws(WS, { readers: 'compute:c-secret', secrets: 'DB_PASSWORD' }),
      values: VALUES,
    });
    expect(one.failure).toBe('');
    expect(readersOf(one)[vaultUrl()]!['compute:c-secret']!.identities[0]!.via).toMatch(
      /^Key Vault Secrets User at .*\/secrets\/DB-PASSWORD$/,
    );
    expect((await asIdentity(emu, vaultUrl(), c.clientId).getSecret('DB-PASSWORD')).value).toBe(VALUES.DB_PASSWORD);
    await expect(asIdentity(emu, vaultUrl(), c.clientId).getSecret('API-KEY')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('identity: reads the principal of a user-assigned identity; a grant lets it read through the SDK', async () => {
    const id = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-standalone`;
    const uai = Object.entries(emu.userAssignedIdentities).find(([k]) => k.toLowerCase() === id.toLowerCase())![1];
    const run = await h.push({
      inputs: ws(WS, { readers: `identity:${id}`, 'grant-readers': 'true' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    expect(readersOf(run)[vaultUrl()]![`identity:${id}`]!.identities).toEqual([
      expect.objectContaining({ principalId: uai.principalId, clientId: uai.clientId, status: 'granted' }),
    ]);
    expect((await asIdentity(emu, vaultUrl(), uai.clientId).getSecret('API-KEY')).value).toBe(VALUES.API_KEY);
  });

  it('an assignment to a group the compute is in counts (assignedTo follows membership)', async () => {
    const c = principalOf(emu, `${WS}/c-group`);
    const group = emu.groups['ml-readers']!.objectId;
    const vaultScope = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws`;
    const put = await arm.send(
      'PUT',
      `${emu.armUrl}${vaultScope}/${AUTHZ}/roleAssignments/0d0d0d0d-1111-4222-8333-444444444405?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: group,
          principalType: 'Group',
        },
      },
    );
    expect(put.status).toBe(201);
    const run = await h.push({ inputs: ws(WS, { readers: 'compute:c-group' }), values: VALUES });
    expect(run.failure).toBe('');
    expect(readersOf(run)[vaultUrl()]!['compute:c-group']!.identities[0]).toMatchObject({
      principalId: c.principalId,
      status: 'reads',
    });
  });

  it('without the right to assign, the message names the roles and the command, and the secrets are written', async () => {
    await emu.configure({ armRole: 'reader' });
    const c = principalOf(emu, `${WS}/c-noright`);
    const run = await h.push({
      inputs: ws(WS, { readers: 'compute:c-noright', 'grant-readers': 'true', secrets: 'noright=DB_PASSWORD' }),
      values: VALUES,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(
      /could not grant it \(403 AuthorizationFailed\): creating a role assignment needs Role Based Access Control Administrator, User Access Administrator or Owner/,
    );
    expect(run.failure).toContain(
      `a person with such a role runs: az role assignment create --assignee-object-id ${c.principalId}`,
    );
    expect(run.failure).toContain('(the secrets were written)');
    expect(JSON.parse(run.outputs.created!)).toEqual(['noright']);
    expect(await assignmentsOf(c.principalId)).toEqual([]);
  });

  it('unknown is a warning: a compute without an identity', async () => {
    const run = await h.push({ inputs: ws(WS, { readers: 'compute:c-none' }), values: VALUES });
    expect(run.failure).toBe('');
    const r = readersOf(run)[vaultUrl()]!;
    expect(r['compute:c-none']).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/has no managed identity/),
    });
    expect(run.stdout).toMatch(/readers compute:c-none: could not check/);
  });

  it('a reader that does not exist fails, naming what the workspace has; with warn it only warns', async () => {
    const nosuch = `identity:${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nosuch`;
    const run = await h.push({ inputs: ws(WS, { readers: `compute:c-missing\n${nosuch}` }), values: VALUES });
    expect(run.ok).toBe(false);
    expect(await emu.requests('arm')).not.toContainEqual(expect.objectContaining({ method: 'PUT' }));
    expect(run.failure).toMatch(
      /readers compute:c-missing: the compute 'c-missing' does not exist in \S*train-ws; its computes: c-fail, c-grant, c-group, c-none, c-noright, c-notget, c-secret, c-url, c-user, c-wild \(the secrets were written to https:/,
    );
    expect(run.failure).toMatch(
      new RegExp(
        `readers ${nosuch}: no such user-assigned identity; the user-assigned identities of \\S*train-ws and its computes: \\S+/userAssignedIdentities/uai-train \\(the secrets were written`,
      ),
    );
    const r = readersOf(run)[vaultUrl()]!;
    expect(r['compute:c-missing']).toMatchObject({ status: 'missing', identities: [] });
    expect(r[nosuch]).toMatchObject({ status: 'missing', identities: [] });
    // The secrets were written all the same.
    const landed = ['created', 'updated', 'unchanged'].flatMap((o) => JSON.parse(run.outputs[o]!) as string[]);
    expect(landed.sort()).toEqual(['API-KEY', 'DB-PASSWORD']);

    const warned = await h.push({
      inputs: ws(WS, { readers: 'compute:c-missing', 'readers-missing': 'warn' }),
      values: VALUES,
    });
    expect(warned.ok).toBe(true);
    expect(warned.stdout).toMatch(
      /readers compute:c-missing: the compute 'c-missing' does not exist in .*; its computes: c-fail/,
    );
    expectNoValue(run);
  });

  it('a vault whose firewall denies by default gets a note, not a readers failure', async () => {
    await emu.configure({ vault: 'kv-train-ws', firewall: 'deny' });
    try {
      const reader = `principal:${emu.identities.managedIdentity.objectId}`;
      const run = await h.push({ inputs: ws(WS, { readers: reader }), values: VALUES });
      // The runner itself is refused by the firewall (its secrets fail); the reader (the pipeline's identity) reads.
      expect(run.failure).toMatch(/ForbiddenByFirewall/);
      expect(run.failure).not.toContain('readers principal:');
      expect(readersOf(run)[vaultUrl()]![reader]!.status).toBe('reads');
      expect(run.summary).toContain(
        'Note: the vault’s firewall denies by default: the job must reach it through a private endpoint or from an allowed network',
      );
    } finally {
      await emu.configure({ vault: 'kv-train-ws', firewall: 'allow' });
    }
  });

  it('with several targets, compute: and workspace resolve in each workspace target', async () => {
    const run = await h.push({
      inputs: {
        targets: `${WS}\n${POL}`,
        'resource-manager-endpoint': emu.armUrl,
        secrets: 'fleet-secret=API_KEY',
        readers: 'compute:c-pol\nworkspace',
        'readers-missing': 'warn',
      },
      values: VALUES,
    });
    expect(run.failure).toBe('');
    const r = readersOf(run);
    expect(Object.keys(r)).toEqual([vaultUrl(), vaultUrl(POL)]);
    expect(r[vaultUrl()]!['compute:c-pol']).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/does not exist in .*train-ws; its computes: c-fail/),
    });
    expect(r[vaultUrl(POL)]!['compute:c-pol']!.identities[0]!.principalId).toBe(
      principalOf(emu, `${POL}/c-pol`).principalId,
    );
    expect(r[vaultUrl()]!.workspace!.identities.map((i) => i.principalId)).toContain(
      emu.workspaces[WS]!.identity.principalId,
    );
    expect(r[vaultUrl(POL)]!.workspace!.identities.map((i) => i.principalId)).toContain(
      emu.workspaces[POL]!.identity.principalId,
    );
    expect(run.summary.match(/#### Who can read/g)).toHaveLength(2);
  });

  it('a project pushes into its hub’s vault; readers: workspace checks the project’s own identity', async () => {
    const project = `${SUB}/ml-rg/proj-ws`;
    const run = await h.push({
      inputs: ws(project, { readers: 'workspace', 'readers-missing': 'warn', secrets: 'proj-secret=API_KEY' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    const hubVault = vaultUrl(`${SUB}/ml-rg/hub-ws`);
    expect(run.outputs['vault-url']).toBe(hubVault);
    expect(
      (await asIdentity(emu, hubVault, emu.identities.managedIdentity.clientId).getSecret('proj-secret')).value,
    ).toBe(VALUES.API_KEY);
    const ids = readersOf(run)[hubVault]!.workspace!.identities.map((i) => i.principalId);
    expect(ids).toContain(emu.workspaces[project]!.identity.principalId);
    expect(ids).not.toContain(emu.workspaces[`${SUB}/ml-rg/hub-ws`]!.identity.principalId);
  });

  it('a Microsoft-managed vault is a clear error, with no Key Vault request', async () => {
    const run = await h.push({ inputs: ws(`${SUB}/ml-rg/managed-hub`), values: VALUES });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(
      /managed-hub.*no Key Vault of its own.*Microsoft-managed.*cannot be pushed there.*Attach a customer-managed Key Vault/,
    );
    expect(await emu.requests('vault')).toEqual([]);
  });

  it('bad readers lines are refused before any request, naming the input in the platform’s spelling and the line', async () => {
    const run = await h.push({
      inputs: {
        'vault-url': emu.vaultUrl,
        secrets: 'DB_PASSWORD',
        readers: 'compute:gpu\nprincipal:not-a-guid\nserverless',
        'readers-missing': 'maybe',
      },
      values: VALUES,
    });
    expect(run.ok).toBe(false);
    const missingLabel = h.platform === 'github' ? 'readers-missing' : 'readersMissing';
    expect(run.failure).toContain('readers line 1: "compute:gpu" needs a workspace to look in');
    expect(run.failure).toContain('readers line 2: not-a-guid is not an object id');
    expect(run.failure).toContain('readers line 3: serverless needs a workspace to look in');
    expect(run.failure).toContain(`${missingLabel}: maybe is not one of fail, warn`);
    expect(await emu.requests()).toEqual([]);
  });

  it('without readers, the workspace lookup sends its two requests and nothing more', async () => {
    const run = await h.push({ inputs: ws(WS), values: VALUES });
    expect(run.failure).toBe('');
    expect(run.outputs.readers).toBeUndefined();
    expect((await emu.requests('arm')).map((r) => r.method)).toEqual(['GET', 'GET']);
  });
});
