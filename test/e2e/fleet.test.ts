// Several targets in one step, through the real bundles on Node 20 and 24, against the emulator with three
// workspaces in two subscriptions: fan-out with one vault behind a firewall, prune of this owner's retired secrets
// only, list with owners, expiry warnings, and bad target lines refused before any request.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness, type PushRun } from '../helpers/harness.js';
import { vaultClient } from '../helpers/vault-client.js';

const SUB1 = '11111111-2222-4333-8444-555555555501';
const SUB2 = '11111111-2222-4333-8444-555555555502';
const WS = [`${SUB1}/rg/ws1`, `${SUB1}/rg/ws2`, `${SUB2}/rg/ws3`];
const VALUES = { ALPHA: 'alpha-secret-value-1', BRAVO: 'bravo-secret-value-2', RETIRED: 'retired-secret-value-3' };

const list = (run: PushRun, name: string) => JSON.parse(run.outputs[name] ?? 'null') as string[];
const results = (run: PushRun) =>
  JSON.parse(run.outputs.results ?? '{}') as Record<string, { created: string[]; failed: string[]; deleted: string[] }>;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** No value anywhere but in the masking commands themselves. */
function expectNoValue(run: PushRun): void {
  const stdout = run.stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('::add-mask::') && !l.includes('##vso[task.setsecret]'))
    .join('\n');
  for (const value of Object.values(VALUES)) {
    expect(stdout + run.stderr + run.summary + JSON.stringify(run.outputs)).not.toContain(value);
  }
}

describe.each(HARNESSES)('fleet through $label', ({ make }) => {
  let emu: Emulator;
  let h: Harness;
  const url = (i: number) => emu.workspaces[WS[i]!]!.vaultUrl.replace(/\/$/, '');
  const vault = (i: number) => vaultClient(emu, url(i));
  const base = (patch: Record<string, string> = {}) => ({
    targets: WS.join('\n'),
    'resource-manager-endpoint': emu.armUrl,
    ...patch,
  });

  beforeAll(async () => {
    emu = await startEmulator(WS.flatMap((w) => ['--workspace', w]));
    h = make(emu.env);
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => {
    await emu.configure({ firewall: 'allow', latencyMs: 0 });
    await emu.clearRequests();
  });

  it('pushes to every workspace; one behind a firewall fails alone and fails the step', async () => {
    await emu.configure({ vault: 'kv-ws2', firewall: 'deny' });
    const run = await h.push({ inputs: base({ secrets: 'ALPHA\nBRAVO' }), values: VALUES });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(new RegExp(`\\[${WS[1]}\\] ALPHA .*ForbiddenByFirewall`));
    expect(run.failure).not.toContain(WS[0]);
    const r = results(run);
    expect(Object.keys(r)).toEqual([url(0), url(1), url(2)]);
    expect(r[url(0)]!.created.sort()).toEqual(['ALPHA', 'BRAVO']);
    expect(r[url(1)]!.failed.sort()).toEqual(['ALPHA', 'BRAVO']);
    expect(r[url(2)]!.created.sort()).toEqual(['ALPHA', 'BRAVO']);
    expect(list(run, 'failed').sort()).toEqual(['ALPHA', 'BRAVO']);
    expect(run.outputs['vault-url']).toBe([url(0), url(1), url(2)].join('\n'));
    for (const i of [0, 2]) expect((await vault(i).getSecret('ALPHA')).value).toBe(VALUES.ALPHA);
    expect(run.summary).toContain('## aml-vault-push: 3 targets, 1 failed');
    expectNoValue(run);
  });

  it('a workspace named twice in other spellings is refused; the same vault by URL is pushed once', async () => {
    const run = await h.push({
      inputs: { ...base({ secrets: 'dup-alpha=ALPHA' }), targets: `${WS[0]}\n${url(0).toUpperCase()}` },
      values: VALUES,
    });
    expect(run.failure).toBe('');
    expect(Object.keys(results(run))).toEqual([url(0)]);
    expect(run.stdout).toMatch(/is the same vault as .*ws1.*: pushed once/);
  });

  it('prune: the dry run shows it, then only this scope’s retired secret is soft-deleted', async () => {
    const scoped = (scope: string, secrets: string) => base({ secrets, 'owner-scope': scope });
    expect(
      (await h.push({ inputs: scoped('app', 'p-alpha=ALPHA\np-bravo=BRAVO\np-retired=RETIRED'), values: VALUES })).ok,
    ).toBe(true);
    expect((await h.push({ inputs: scoped('other', 'p-other=RETIRED'), values: VALUES })).ok).toBe(true);
    await vault(0).setSecret('hand-made', 'x'); // unowned

    const dry = await h.push({
      inputs: { ...scoped('app', 'p-alpha=ALPHA\np-bravo=BRAVO'), prune: 'true', 'dry-run': 'true' },
      values: VALUES,
    });
    expect(dry.ok).toBe(true);
    expect(list(dry, 'deleted')).toEqual(['p-retired']);
    expect(dry.stdout).toContain('p-retired: delete — written by');
    expect(dry.summary).toContain('| p-retired | delete |');
    expect((await vault(0).getSecret('p-retired')).value).toBe(VALUES.RETIRED);

    const real = await h.push({
      inputs: { ...scoped('app', 'p-alpha=ALPHA\np-bravo=BRAVO'), prune: 'true' },
      values: VALUES,
    });
    expect(real.failure).toBe('');
    for (const i of [0, 1, 2]) {
      expect(results(real)[url(i)]!.deleted).toEqual(['p-retired']);
      expect((await vault(i).getDeletedSecret('p-retired')).name).toBe('p-retired');
      expect((await vault(i).getSecret('p-other')).value).toBe(VALUES.RETIRED);
    }
    expect((await vault(0).getSecret('hand-made')).value).toBe('x');
    expectNoValue(real);
  });

  it('prune refuses an input that resolves to no secrets, before any request', async () => {
    const run = await h.push({
      inputs: base({ 'secrets-json': '{"ALPHA":"alpha-secret-value-1"}', exclude: '*', prune: 'true' }),
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/no secrets to push.*prune.*nothing is pruned/s);
    expect(await emu.requests()).toEqual([]);
  });

  it('list shows every secret with its owner, never a value', async () => {
    await h.push({ inputs: base({ secrets: 'l-alpha=ALPHA', 'owner-scope': 'lister' }), values: VALUES });
    await vault(2).setSecret('unowned-one', 'bravo-secret-value-2');
    await emu.clearRequests();
    const run = await h.push({ inputs: base({ mode: 'list', 'owner-scope': 'lister' }) });
    expect(run.failure).toBe('');
    expect(run.summary).toContain('### aml-vault-push list: ');
    expect(run.summary).toMatch(/\| l-alpha \| yes \| \d{4}-\d\d-\d\d \| {2}\| {2}\| ours \|/);
    expect(run.summary).toMatch(/\| ALPHA \| yes \| [^|]+ \| {2}\| {2}\| \S*contoso\S*\/train \|/);
    expect(run.summary).toMatch(/\| unowned-one \| yes \| [^|]+ \| {2}\| {2}\| unowned \|/);
    expect((await emu.requests('vault')).filter((q) => q.method !== 'GET')).toEqual([]);
    expectNoValue(run);
  });

  it('warns about our secrets that expire soon: an annotation, and a column in the summary', async () => {
    const run = await h.push({
      inputs: base({ secrets: 'short-lived=ALPHA', 'expires-in': '2d', 'warn-expiry-days': '7' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    const warning =
      h.platform === 'github'
        ? /^::warning::short-lived in .* expires on/m
        : /##vso\[task\.issue type=warning[^\]]*\]short-lived in .* expires on/;
    expect(run.stdout).toMatch(warning);
    expect(run.summary).toMatch(/\| short-lived \| create \| \w+ \| ⚠️ \d{4}-\d\d-\d\d \(in 1 d\) \|/);
  });

  it('a long run reports progress, each report a collapsed group', async () => {
    await emu.configure({ vault: 'kv-ws1', latencyMs: 250 });
    const secrets = Array.from({ length: 14 }, (_, i) => `slow-${i}=ALPHA`).join('\n');
    const run = await h.push({
      inputs: base({ targets: WS[0]!, secrets, 'max-concurrency': '1' }),
      values: VALUES,
    });
    expect(run.failure).toBe('');
    const [open, close] = h.platform === 'github' ? ['::group::', '::endgroup::'] : ['##[group]', '##[endgroup]'];
    const group = new RegExp(
      `^${escape(open)}Progress: \\d+/14 secrets done, \\d+\\.\\d/s, 0 retries, \\d+ s\\r?\\n` +
        `${escape(WS[0]!)}: \\d+/14, 0 retries\\r?\\n${escape(close)}$`,
      'm',
    );
    expect(run.stdout).toMatch(group);
  });

  it('bad target lines are rejected, naming the input and line, with zero requests', async () => {
    const run = await h.push({
      inputs: base({
        secrets: 'ALPHA',
        targets: `${WS[0]}\nnot a target\n${WS[0]!.toUpperCase()}`,
        'vault-name': 'kv1',
      }),
      values: VALUES,
    });
    expect(run.ok).toBe(false);
    const [targets, vaultName] = h.platform === 'github' ? ['targets', 'vault-name'] : ['targets', 'vaultName'];
    expect(run.failure).toContain(`${targets}: set either ${targets} or ${vaultName}, not both`);
    expect(run.failure).toContain(`${targets} line 2: is not a target`);
    expect(run.failure).toContain(`${targets} line 3: the same target as line 1`);
    expect(await emu.requests()).toEqual([]);
  });
});
