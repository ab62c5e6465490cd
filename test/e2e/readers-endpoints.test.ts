// Can the deployment read it? endpoint: and serverless readers, the references output and the deployments' stale
// pins through the real bundles on Node 20 and 24 against the emulator: an endpoint's identity is missing, then
// granted, and the data plane agrees (403 before, the value after); a rotation leaves a deployment pinning the old
// version, reported with the command that updates it (warn, fail, ignore); a reference to a secret the vault lacks
// fails; an access-policy vault makes the endpoint missing with the switch to RBAC and gets no access policy.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness, type PushRun } from '../helpers/harness.js';
import { POL, WS, asIdentity } from '../helpers/readers-fixture.js';
import { ENDPOINT_FLAGS, SRV, endpointOf, putDeployment } from '../helpers/endpoints-fixture.js';

interface Verdict {
  status: string;
  identities: { principalId: string; status: string; via?: string; reason?: string }[];
  reason?: string;
  deployments?: {
    checked: string[];
    stale: { deployment: string; variable: string; secret: string; pinned: string; current: string; command: string }[];
    absent: { deployment: string; variable: string; secret: string }[];
    connections: { deployment: string; variable: string; reference: string }[];
  };
}
/** What a run printed, reported and output, without the masking commands themselves (they carry the values). */
const shown = (run: PushRun) =>
  run.stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('::add-mask::') && !l.includes('##vso[task.setsecret]'))
    .join('\n') +
  run.stderr +
  run.summary +
  JSON.stringify(run.outputs);
const readersOf = (run: PushRun) => JSON.parse(run.outputs.readers ?? '{}') as Record<string, Record<string, Verdict>>;

describe.each(HARNESSES)('endpoint readers through $label', ({ make }) => {
  let emu: Emulator;
  let h: Harness;
  const vaultUrl = (ws = WS) => emu.workspaces[ws]!.vaultUrl.replace(/\/$/, '');
  const ws = (target: string, patch: Record<string, string>) => {
    const [sub, rg, name] = target.split('/');
    return {
      'workspace-name': name!,
      'resource-group': rg!,
      'subscription-id': sub!,
      'resource-manager-endpoint': emu.armUrl,
      ...patch,
    };
  };

  beforeAll(async () => {
    emu = await startEmulator(ENDPOINT_FLAGS);
    h = make(emu.env);
    await emu.configure({ vault: 'kv-pol-ws', vaultPermissions: 'policies' });
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => {
    await emu.configure({ armRole: 'owner' });
    await emu.clearRequests();
  });

  it('an endpoint without a role is missing with the fix; a grant lets its identity read; the references name the current versions', async () => {
    const values = { EP_KEY: `ep-key-${h.label.length}-Qz` };
    const e = endpointOf(emu, `${WS}/score-sys`);
    const inputs = ws(WS, { secrets: 'ep-key=EP_KEY', readers: 'endpoint:score-sys' });
    const missing = await h.push({ inputs, values });
    expect(missing.ok).toBe(false);
    expect(missing.failure).toContain(`readers endpoint:score-sys: cannot read the secrets of ${vaultUrl()}`);
    expect(missing.failure).toContain(`az role assignment create --assignee-object-id ${e.principalId}`);
    await expect(asIdentity(emu, vaultUrl(), e.clientId).getSecret('ep-key')).rejects.toMatchObject({
      statusCode: 403,
    });

    const granted = await h.push({ inputs: { ...inputs, 'grant-readers': 'true' }, values });
    expect(granted.failure).toBe('');
    expect(readersOf(granted)[vaultUrl()]!['endpoint:score-sys']!.status).toBe('granted');
    expect((await asIdentity(emu, vaultUrl(), e.clientId).getSecret('ep-key')).value).toBe(values.EP_KEY);

    const refs = JSON.parse(granted.outputs.references!) as Record<string, string>;
    const version = (await asIdentity(emu, vaultUrl(), e.clientId).getSecret('ep-key')).properties.version!;
    const host = new URL(vaultUrl()).host.toLowerCase();
    expect(refs).toEqual({ 'ep-key': `\${{keyvault:https://${host}/secrets/ep-key/${version}}}` });
    expect(granted.summary).toContain('#### References');
    expect(granted.summary).toContain(`| ep-key | \`\${{keyvault:https://${host}/secrets/ep-key/${version}}}\` |`);
    for (const run of [missing, granted]) expect(shown(run)).not.toContain(values.EP_KEY);
  });

  it('a user-assigned endpoint identity is checked and granted like the others', async () => {
    const e = endpointOf(emu, `${WS}/score-uai`);
    const run = await h.push({
      inputs: ws(WS, { secrets: 'uai-key=UAI_KEY', readers: 'endpoint:score-uai', 'grant-readers': 'true' }),
      values: { UAI_KEY: 'uai-key-value-7' },
    });
    expect(run.failure).toBe('');
    expect(readersOf(run)[vaultUrl()]!['endpoint:score-uai']!.identities).toEqual([
      expect.objectContaining({ principalId: e.principalId, status: 'granted' }),
    ]);
    expect((await asIdentity(emu, vaultUrl(), e.clientId).getSecret('uai-key')).value).toBe('uai-key-value-7');
  });

  it('after a rotation a deployment pinning the old version is reported with the update command: warn, fail, ignore', async () => {
    const inputs = ws(WS, {
      secrets: 'stale-key=STALE_KEY',
      readers: 'endpoint:score-stale',
      'grant-readers': 'true',
    });
    const first = await h.push({ inputs, values: { STALE_KEY: 'stale-one' } });
    expect(first.failure).toBe('');
    const oldRef = (JSON.parse(first.outputs.references!) as Record<string, string>)['stale-key']!;
    await putDeployment(emu, `${WS}/score-stale`, 'blue', {
      STALE_KEY: oldRef,
      OPENAI: '${{azureml://connections/openai/credentials/key}}',
      PLAIN: 'not-a-reference',
    });
    const same = await h.push({ inputs, values: { STALE_KEY: 'stale-one' } });
    expect(same.failure).toBe('');
    expect(readersOf(same)[vaultUrl()]!['endpoint:score-stale']!.deployments).toMatchObject({
      checked: ['blue'],
      stale: [],
      connections: [
        { deployment: 'blue', variable: 'OPENAI', reference: '${{azureml://connections/openai/credentials/key}}' },
      ],
    });

    const rotated = await h.push({ inputs, values: { STALE_KEY: 'stale-two' } });
    expect(rotated.ok).toBe(true);
    const newRef = (JSON.parse(rotated.outputs.references!) as Record<string, string>)['stale-key']!;
    const [oldVersion, newVersion] = [oldRef, newRef].map((r) => /\/([0-9a-f]+)\}\}$/.exec(r)![1]!);
    expect(newVersion).not.toBe(oldVersion);
    const command =
      `az ml online-deployment update --name blue --endpoint-name score-stale --resource-group ml-rg ` +
      `--workspace-name train-ws --set 'environment_variables.STALE_KEY=${newRef}'`;
    expect(readersOf(rotated)[vaultUrl()]!['endpoint:score-stale']!.deployments!.stale).toEqual([
      {
        deployment: 'blue',
        variable: 'STALE_KEY',
        secret: 'stale-key',
        pinned: oldVersion,
        current: newVersion,
        command,
      },
    ]);
    expect(rotated.stdout).toContain(`the deployment blue pins stale-key version ${oldVersion} in STALE_KEY`);
    expect(rotated.stdout).toContain(command);
    expect(rotated.summary).toContain('#### Deployments of endpoint:score-stale');

    const failing = await h.push({
      inputs: { ...inputs, 'stale-references': 'fail' },
      values: { STALE_KEY: 'stale-two' },
    });
    expect(failing.ok).toBe(false);
    expect(failing.failure).toContain(command);

    await emu.clearRequests();
    const ignored = await h.push({
      inputs: { ...inputs, 'stale-references': 'ignore' },
      values: { STALE_KEY: 'stale-two' },
    });
    expect(ignored.failure).toBe('');
    expect(readersOf(ignored)[vaultUrl()]!['endpoint:score-stale']!.deployments).toBeUndefined();
    expect((await emu.requests('arm')).filter((r) => /\/deployments/.test(r.path))).toEqual([]);
    for (const run of [first, same, rotated, failing, ignored])
      for (const v of ['stale-one', 'stale-two']) expect(shown(run)).not.toContain(v);
  });

  it('a deployment referencing a secret the vault lacks fails the step under warn', async () => {
    const host = new URL(vaultUrl()).host;
    await putDeployment(emu, `${WS}/score-gone`, 'green', {
      GONE: `\${{keyvault:https://${host}/secrets/never-pushed/0123456789abcdef0123456789abcdef}}`,
    });
    const run = await h.push({
      inputs: ws(WS, { secrets: 'gone-key=GONE_KEY', readers: 'endpoint:score-gone', 'grant-readers': 'true' }),
      values: { GONE_KEY: 'gone-value' },
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toContain(
      `readers endpoint:score-gone: the deployment green references the secret never-pushed in GONE, which ${vaultUrl()} does not have: the deployment would not start`,
    );
  });

  it('on an access-policy vault an endpoint is missing: injection needs RBAC; grant-readers adds no access policy', async () => {
    const e = endpointOf(emu, `${POL}/score-pol`);
    const run = await h.push({
      inputs: ws(POL, { secrets: 'pol-ep=POL_EP', readers: 'endpoint:score-pol', 'grant-readers': 'true' }),
      values: { POL_EP: 'pol-ep-value' },
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(
      /secret injection reads only vaults that use the Azure RBAC permission model, and this vault uses access policies/,
    );
    expect(run.failure).toContain('az keyvault update --name kv-pol-ws --enable-rbac-authorization true');
    expect(run.failure).toContain(`az role assignment create --assignee-object-id ${e.principalId}`);
    expect(readersOf(run)[vaultUrl(POL)]!['endpoint:score-pol']!.identities[0]!.status).toBe('missing');
    expect((await emu.requests('arm')).filter((r) => r.method !== 'GET')).toEqual([]);
    await expect(asIdentity(emu, vaultUrl(POL), e.clientId).getSecret('pol-ep')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('an endpoint that does not exist is missing, naming the endpoints there are', async () => {
    const run = await h.push({
      inputs: ws(WS, { secrets: 'x-key=X_KEY', readers: 'endpoint:no-such-ep', 'readers-missing': 'warn' }),
      values: { X_KEY: 'x-value' },
    });
    expect(run.ok).toBe(true);
    expect(readersOf(run)[vaultUrl()]!['endpoint:no-such-ep']).toMatchObject({
      status: 'missing',
      identities: [],
      reason: expect.stringMatching(
        /the online endpoint 'no-such-ep' does not exist in \S*train-ws; its online endpoints: score-gone, score-stale, score-sys, score-uai/,
      ),
    });
  });

  it('serverless: the workspace’s user-assigned identity; a workspace with none says jobs run as the submitter', async () => {
    const granted = await h.push({
      inputs: ws(SRV, { secrets: 'srv-key=SRV_KEY', readers: 'serverless', 'grant-readers': 'true' }),
      values: { SRV_KEY: 'srv-value' },
    });
    expect(granted.failure).toBe('');
    const v = readersOf(granted)[vaultUrl(SRV)]!.serverless!;
    expect(v.status).toBe('granted');
    expect(v.identities).toHaveLength(1);
    expect(v.identities[0]!.principalId).not.toBe(emu.workspaces[SRV]!.identity.principalId);

    const none = await h.push({
      inputs: ws(POL, { secrets: 'srv-key=SRV_KEY', readers: 'serverless' }),
      values: { SRV_KEY: 'srv-value' },
    });
    expect(none.failure).toBe('');
    expect(readersOf(none)[vaultUrl(POL)]!.serverless).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/has no user-assigned identity.*they run as the user who submits them/),
    });
  });

  it('bad endpoint and serverless lines are refused before any request', async () => {
    const run = await h.push({
      inputs: {
        'vault-url': emu.vaultUrl,
        secrets: 'X_KEY',
        readers: 'endpoint:\nendpoint:1score\nendpoint:score\nserverless',
        'stale-references': 'sometimes',
      },
      values: { X_KEY: 'x-value' },
    });
    expect(run.ok).toBe(false);
    const staleLabel = h.platform === 'github' ? 'stale-references' : 'staleReferences';
    expect(run.failure).toContain('readers line 1: endpoint: names nothing');
    expect(run.failure).toContain('readers line 2: 1score is not an online endpoint name');
    expect(run.failure).toContain('readers line 3: "endpoint:score" needs a workspace to look in');
    expect(run.failure).toContain('readers line 4: serverless needs a workspace to look in');
    expect(run.failure).toContain(`${staleLabel}: sometimes is not one of warn, fail, ignore`);
    expect(await emu.requests()).toEqual([]);
  });
});
