import { pushSecrets, type EngineDeps } from '../../../src/core/engine/engine.js';
import { ownershipTags } from '../../../src/core/common/ownership.js';
import type { Logger } from '../../../src/core/common/ports.js';
import type { Owner, PushRequest, SecretSpec } from '../../../src/core/common/types.js';
import { fakeClock, type FakeClock } from '../../helpers/fake-clock.js';
import { FakeStore, restError } from '../../helpers/fake-store.js';
import { labeller } from '../../../src/core/inputs/inputs.js';
import { isSignInFailure, tagSignInFailures } from '../../../src/core/errors/sign-in-failure.js';

const owner: Owner = { id: 'github.com/contoso/train' };
const ours = ownershipTags(owner);

function spec(name: string, value = `value-of-${name}`): SecretSpec {
  return { name, value, origin: `secrets line (${name})` };
}

function request(secrets: SecretSpec[], patch: Partial<PushRequest> = {}): PushRequest {
  return {
    vaultUrl: 'https://kv.vault.azure.net',
    secrets,
    tags: { team: 'ml' },
    onDeleted: 'recover',
    adoptUnowned: false,
    dryRun: false,
    maxConcurrency: 4,
    ...patch,
  };
}

/** The backoffs the engine logged, in seconds (the clock's sleeps also hold rate-window waits). */
function retryDelays(text: string): string[] {
  return [...text.matchAll(/retrying in (\d+\.\d) s/g)].map((m) => m[1]!);
}

function recordingLogger() {
  const lines: Array<[string, string]> = [];
  const logger: Logger = {
    debug: (m) => lines.push(['debug', m]),
    info: (m) => lines.push(['info', m]),
    warning: (m) => lines.push(['warning', m]),
  };
  return { logger, lines, text: () => lines.map(([, m]) => m).join('\n') };
}

function setup() {
  const clock = fakeClock();
  const store = new FakeStore(clock);
  const log = recordingLogger();
  const run = (req: PushRequest, extra: Partial<EngineDeps> = {}) =>
    pushSecrets(req, {
      ...extra,
      store,
      logger: log.logger,
      owner,
      label: labeller('github'),
      scheduler: { clock, random: () => 0.5 },
    });
  return { clock, store, log, run };
}

/** Seeds a secret as this tool would have written it for `request()`. */
function seedOurs(store: FakeStore, s: SecretSpec, extra: Record<string, string> = {}) {
  store.seed(s.name, { value: s.value, tags: { team: 'ml', ...ours, ...extra } });
}

describe('pushSecrets: one secret per case', () => {
  type Case = {
    title: string;
    arrange?: (store: FakeStore, s: SecretSpec, clock: FakeClock) => void;
    req?: Partial<PushRequest>;
    action: string;
    status: string;
    reason?: RegExp;
    error?: RegExp;
    ops: string[];
    written?: boolean;
    /** The action the plan names, when it differs from the outcome's: a real run plans "create" for a
     * name without a live secret, and the write finds the soft-deleted one. */
    planned?: string;
  };
  const cases: Case[] = [
    { title: 'absent → create', action: 'create', status: 'done', ops: ['read', 'write'], written: true },
    {
      title: 'owned, value differs → update',
      arrange: (st, s) => st.seed(s.name, { value: 'old', tags: { team: 'ml', ...ours } }),
      action: 'update',
      status: 'done',
      reason: /differs: value/,
      ops: ['read', 'write'],
      written: true,
    },
    {
      title: 'equal → unchanged, nothing written',
      arrange: (st, s) => seedOurs(st, s),
      action: 'unchanged',
      status: 'done',
      ops: ['read'],
    },
    {
      title: 'soft-deleted, equal after recovery → recovered, not written',
      planned: 'create',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.softDelete(s.name);
      },
      action: 'recover',
      status: 'done',
      reason: /recovered, and it matches/,
      ops: ['read', 'write', 'readDeleted', 'recover', 'read'],
    },
    {
      title: 'soft-deleted, differs after recovery → recovered and written',
      planned: 'create',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'old', tags: { team: 'ml', ...ours } });
        st.softDelete(s.name);
      },
      action: 'recover',
      status: 'done',
      reason: /recovered, then written \(differs: value\)/,
      ops: ['read', 'write', 'readDeleted', 'recover', 'read', 'write'],
      written: true,
    },
    {
      title: 'soft-deleted and unowned → blocked, not recovered',
      planned: 'create',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'workspace-own', tags: {} });
        st.softDelete(s.name);
      },
      action: 'blocked',
      status: 'failed',
      error: /soft-deleted, and not recovering or purging it: it exists without the ownership tag/,
      ops: ['read', 'write', 'readDeleted'],
    },
    {
      title: 'soft-deleted and unowned, on-deleted purge → blocked, not purged',
      planned: 'create',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'workspace-own', tags: {} });
        st.softDelete(s.name);
      },
      req: { onDeleted: 'purge' },
      action: 'blocked',
      status: 'failed',
      error: /not recovering or purging/,
      ops: ['read', 'write', 'readDeleted'],
    },
    {
      title: 'soft-deleted, owner unknown, turns out unowned after recovery → failed, not written',
      planned: 'create',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'workspace-own', tags: {} });
        st.softDelete(s.name);
        st.deletedTagsUnknown = true;
      },
      action: 'recover',
      status: 'failed',
      error: /recovered, but not overwriting it/,
      ops: ['read', 'write', 'readDeleted', 'recover', 'read'],
    },
    {
      title: 'soft-deleted, owner unknown, on-deleted purge → blocked',
      planned: 'create',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.softDelete(s.name);
        st.deletedTagsUnknown = true;
      },
      req: { onDeleted: 'purge' },
      action: 'blocked',
      status: 'failed',
      error: /owner cannot be read/,
      ops: ['read', 'write', 'readDeleted'],
    },
    {
      title: 'soft-deleted and unowned + adopt-unowned → recovered and written',
      planned: 'create',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'workspace-own', tags: {} });
        st.softDelete(s.name);
      },
      req: { adoptUnowned: true },
      action: 'recover',
      status: 'done',
      reason: /recovered, then written \(adopting it/,
      ops: ['read', 'write', 'readDeleted', 'recover', 'read', 'write'],
      written: true,
    },
    {
      title: 'soft-deleted, on-deleted purge → purged and created',
      arrange: (st, s) => {
        st.seed(s.name, { value: 'old', tags: { ...ours } });
        st.softDelete(s.name);
      },
      req: { onDeleted: 'purge' },
      action: 'create',
      status: 'done',
      reason: /purged and created anew/,
      ops: ['read', 'write', 'readDeleted', 'purge', 'write'],
      written: true,
    },
    {
      title: 'soft-deleted, on-deleted fail → blocked',
      planned: 'create',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.softDelete(s.name);
      },
      req: { onDeleted: 'fail' },
      action: 'blocked',
      status: 'failed',
      error: /soft-deleted; recover or purge it/,
      ops: ['read', 'write'],
    },
    {
      title: 'unowned → blocked',
      arrange: (st, s) => st.seed(s.name, { value: 'workspace-own', tags: {} }),
      action: 'blocked',
      status: 'failed',
      error: /not overwriting it.*adopt-unowned/,
      ops: ['read'],
    },
    {
      title: 'owned by another pipeline → blocked',
      arrange: (st, s) =>
        st.seed(s.name, { value: 'x', tags: ownershipTags({ id: 'dev.azure.com/contoso/ml/pipelines/7' }) }),
      action: 'blocked',
      status: 'failed',
      error: /owned by dev\.azure\.com\/contoso\/ml\/pipelines\/7/,
      ops: ['read'],
    },
    {
      title: 'unowned + adopt-unowned → update with our tags',
      arrange: (st, s) => st.seed(s.name, { value: 'workspace-own', tags: {} }),
      req: { adoptUnowned: true },
      action: 'update',
      status: 'done',
      reason: /adopting it/,
      ops: ['read', 'write'],
      written: true,
    },
    {
      title: 'disabled → blocked',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.disable(s.name);
      },
      action: 'blocked',
      status: 'failed',
      error: /disabled/,
      ops: ['read'],
    },
    {
      title: 'read denied → failed with the role to grant',
      arrange: (st, s) =>
        st.fail(s.name, 'read', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' })),
      action: 'blocked',
      status: 'failed',
      reason: /could not read/,
      error: /^read failed: .*Key Vault Secrets Officer/,
      ops: ['read'],
    },
    {
      title: 'write denied → failed with the role to grant',
      arrange: (st, s) =>
        st.fail(s.name, 'write', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' })),
      action: 'create',
      status: 'failed',
      error: /^write failed: .*ForbiddenByRbac.*Key Vault Secrets Officer/,
      ops: ['read', 'write'],
    },
    {
      title: 'recover denied → failed',
      planned: 'create',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.softDelete(s.name);
        st.fail(s.name, 'recover', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByPolicy' }));
      },
      action: 'recover',
      status: 'failed',
      error: /^recover failed: .*recover and get/,
      ops: ['read', 'write', 'readDeleted', 'recover'],
    },
    {
      title: 'dry run, absent → planned, nothing written',
      req: { dryRun: true },
      action: 'create',
      status: 'planned',
      ops: ['read', 'readDeleted'],
    },
    {
      title: 'dry run, soft-deleted → planned, not recovered',
      arrange: (st, s) => {
        seedOurs(st, s);
        st.softDelete(s.name);
      },
      req: { dryRun: true },
      action: 'recover',
      status: 'planned',
      ops: ['read', 'readDeleted'],
    },
    {
      title: 'dry run, unowned → blocked is still reported as failing',
      arrange: (st, s) => st.seed(s.name, { value: 'x', tags: {} }),
      req: { dryRun: true },
      action: 'blocked',
      status: 'failed',
      ops: ['read'],
    },
  ];

  it.each(cases)('$title', async (c) => {
    const { store, clock, run, log } = setup();
    const s = spec('DB-PASSWORD', 'hunter2-secret-value');
    c.arrange?.(store, s, clock);
    const result = await run(request([s], c.req));
    const [outcome] = result.outcomes;
    expect(outcome).toMatchObject({ name: s.name, origin: s.origin, action: c.action, status: c.status });
    if (c.reason) expect(outcome!.reason).toMatch(c.reason);
    if (c.error) expect(outcome!.error).toMatch(c.error);
    if (c.status === 'failed') expect(outcome!.error).toBeTruthy();
    expect(store.calls.map((x) => x.op)).toEqual(c.ops);
    if (c.written) {
      expect(outcome!.version).toBe(store.latest(s.name)!.version);
      expect(store.latest(s.name)).toMatchObject({ value: s.value, tags: { team: 'ml', ...ours } });
    } else {
      expect(outcome!.version).toBeUndefined();
    }
    expect(result.dryRun).toBe(c.req?.dryRun ?? false);
    // The plan: one info line per secret with name and action; no value anywhere.
    const planned = c.planned ?? outcome!.action;
    expect(log.lines.filter(([lvl, m]) => lvl === 'info' && m.includes(`${s.name}: ${planned} — `))).toHaveLength(1);
    expect(log.text()).not.toContain(s.value);
    expect(JSON.stringify(result)).not.toContain(s.value);
  });
});

describe('pushSecrets: many secrets', () => {
  it('a failure does not stop the others; outcomes keep input order', async () => {
    const { store, run } = setup();
    const secrets = ['A', 'B', 'C', 'D', 'E'].map((n) => spec(n));
    store.fail('B', 'write', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByFirewall' }));
    store.fail('D', 'read', restError({ statusCode: 500, code: 'InternalError' }));
    const result = await run(request(secrets));
    expect(result.outcomes.map((o) => [o.name, o.status])).toEqual([
      ['A', 'done'],
      ['B', 'failed'],
      ['C', 'done'],
      ['D', 'failed'],
      ['E', 'done'],
    ]);
    expect(result.outcomes[1]!.error).toMatch(/ForbiddenByFirewall.*firewall/);
    expect(result.outcomes[3]!.error).toMatch(/unavailable \(500\) after the retries/);
    expect(store.ops('write').sort()).toEqual(['A', 'B', 'C', 'E']);
  });

  it('reads everything before the first write', async () => {
    const { store, run } = setup();
    await run(request(['A', 'B', 'C', 'D', 'E', 'F'].map((n) => spec(n))));
    const ops = store.calls.map((c) => c.op);
    expect(ops.lastIndexOf('read')).toBeLessThan(ops.indexOf('write'));
  });

  it('a rerun writes no new version', async () => {
    const { store, run } = setup();
    const secrets = ['A', 'B', 'C'].map((n) => spec(n));
    const req = request(secrets, {
      contentType: 'text/plain',
      expiresInMs: 90 * 86_400_000,
      notBefore: new Date('2026-01-01T00:00:00Z'),
    });
    await run(req);
    const again = await run(req);
    expect(again.outcomes.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(secrets.map((s) => store.versionCount(s.name))).toEqual([1, 1, 1]);
  });

  it('writes expires-in relative to the write time, with content type and not-before', async () => {
    const { store, clock, run } = setup();
    const notBefore = new Date('2026-01-01T00:00:00Z');
    await run(request([spec('A')], { contentType: 'application/json', expiresInMs: 3_600_000, notBefore }));
    expect(store.latest('A')).toMatchObject({
      contentType: 'application/json',
      expiresOn: new Date(clock.now() + 3_600_000),
      notBefore,
      tags: { team: 'ml', ...ours },
    });
  });

  it('bounds concurrency by max-concurrency', async () => {
    const { store, run } = setup();
    await run(
      request(
        Array.from({ length: 20 }, (_, i) => spec(`S${i}`)),
        { maxConcurrency: 3 },
      ),
    );
    expect(store.maxInFlight).toBe(3);
  });
});

describe('pushSecrets: races and throttling', () => {
  it('deleted between read and write → handled by on-deleted recover', async () => {
    const { store, run } = setup();
    const s = spec('A');
    store.seed('A', { value: 'old', tags: { team: 'ml', ...ours } });
    const read = store.read.bind(store);
    let first = true;
    store.read = async (name) => {
      const state = await read(name);
      if (first) store.softDelete(name);
      first = false;
      return state;
    };
    const [outcome] = (await run(request([s]))).outcomes;
    expect(outcome).toMatchObject({ action: 'recover', status: 'done' });
    expect(outcome!.reason).toMatch(/soft-deleted while this run was writing it; recovered, then written/);
    expect(store.calls.map((c) => c.op)).toEqual(['read', 'write', 'readDeleted', 'recover', 'read', 'write']);
    expect(store.latest('A')!.value).toBe(s.value);
  });

  it.each(['recover', 'purge'] as const)(
    'deleted by someone else between read and write, on-deleted %s → blocked, not touched',
    async (onDeleted) => {
      const { store, run } = setup();
      const read = store.read.bind(store);
      let reads = 0;
      store.read = async (name) => {
        const state = await read(name);
        // After our read found nothing, another pipeline's secret appears soft-deleted under the name.
        if (reads++ === 0) {
          store.seed(name, { value: 'theirs', tags: ownershipTags({ id: 'github.com/other/repo' }) });
          store.softDelete(name);
        }
        return state;
      };
      const [outcome] = (await run(request([spec('A')], { onDeleted }))).outcomes;
      expect(outcome).toMatchObject({ action: 'blocked', status: 'failed' });
      expect(outcome!.error).toMatch(/github\.com\/other\/repo/);
      expect(store.calls.map((c) => c.op)).not.toContain('purge');
      expect(store.calls.map((c) => c.op)).not.toContain('recover');
    },
  );

  it('deleted between read and write, on-deleted fail → failed, explains', async () => {
    const { store, run } = setup();
    store.seed('A', { value: 'old', tags: { team: 'ml', ...ours } });
    const read = store.read.bind(store);
    store.read = async (name) => {
      const state = await read(name);
      store.softDelete(name);
      return state;
    };
    const [outcome] = (await run(request([spec('A')], { onDeleted: 'fail' }))).outcomes;
    expect(outcome).toMatchObject({ action: 'blocked', status: 'failed' });
    expect(outcome!.error).toMatch(/soft-deleted; recover or purge it, or set on-deleted/);
    expect(store.calls.map((c) => c.op)).toEqual(['read', 'write']);
  });

  it('429 on a write: backs off 1 s, 2 s and succeeds', async () => {
    const { store, clock, run, log } = setup();
    store.fail('A', 'write', restError({ statusCode: 429, code: 'Throttled' }), 2);
    const [outcome] = (await run(request([spec('A')]))).outcomes;
    expect(outcome).toMatchObject({ action: 'create', status: 'done' });
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(store.ops('write')).toEqual(['A', 'A', 'A']);
    expect(log.text()).toMatch(/A \(write\): throttled \(429\), retrying in 1\.0 s \(attempt 2 of 9\)/);
  });

  it('429 on every write of a wave: concurrency halves once, Retry-After is honoured', async () => {
    const { store, run, log } = setup();
    const names = ['A', 'B', 'C', 'D'];
    for (const n of names)
      store.fail(n, 'write', restError({ statusCode: 429, code: 'Throttled', headers: { 'Retry-After': '3' } }), 1);
    const result = await run(
      request(
        names.map((n) => spec(n)),
        { maxConcurrency: 4 },
      ),
    );
    expect(result.outcomes.every((o) => o.status === 'done')).toBe(true);
    expect(retryDelays(log.text())).toEqual(['3.0', '3.0', '3.0', '3.0']);
    expect(log.lines.filter(([, m]) => /lowering concurrency/.test(m)).map(([, m]) => m)).toEqual([
      'Key Vault is throttling: lowering concurrency to 2',
    ]);
  });

  it('429 that never ends → failed after 8 retries with a throttling cause; others still done', async () => {
    const { store, run, log } = setup();
    store.fail('A', 'write', restError({ statusCode: 429, code: 'Throttled' }));
    const result = await run(request([spec('A'), spec('B')]));
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'done']);
    expect(result.outcomes[0]!.error).toMatch(/429 Throttled.*max-concurrency/);
    expect(retryDelays(log.text())).toEqual(['1.0', '2.0', '4.0', '4.0', '4.0', '4.0', '4.0', '4.0']);
  });
});

describe('pushSecrets: a failed sign-in', () => {
  /** What @azure/identity throws when the CI's OIDC endpoint answers 404, after it left our tagged credential. */
  async function signInError(): Promise<unknown> {
    const credential = tagSignInFailures({
      getToken: async () => {
        throw Object.assign(new Error('AzurePipelinesCredential: Authentication Failed. Status code: 404'), {
          name: 'AuthenticationError',
          statusCode: 404,
        });
      },
    });
    return credential.getToken('https://vault.azure.net/.default').catch((e: unknown) => e);
  }

  it.each([true, false])(
    'dry run %s: fails every secret with the sign-in message after one attempt, and plans no create',
    async (dryRun) => {
      const { store, run, log } = setup();
      const error = await signInError();
      expect(isSignInFailure(error)).toBe(true);
      for (const n of ['A', 'B', 'C']) store.fail(n, '*', error as Error);
      const result = await run(
        request(
          ['A', 'B', 'C'].map((n) => spec(n)),
          { dryRun },
        ),
      );
      expect(result.outcomes.map((o) => [o.name, o.action, o.status])).toEqual([
        ['A', 'blocked', 'failed'],
        ['B', 'blocked', 'failed'],
        ['C', 'blocked', 'failed'],
      ]);
      for (const o of result.outcomes) expect(o.error).toMatch(/^read failed: could not sign in to Azure.*404/);
      // One read signs in; after it failed, nothing else is sent.
      expect(store.calls).toEqual([{ op: 'read', name: 'A' }]);
      expect(log.text()).not.toMatch(/create|not in the vault/);
    },
  );
});

describe('pushSecrets: stopped', () => {
  it('a cancel mid-apply: what landed is done, the call in flight is "interrupted", the rest "not attempted"', async () => {
    const { store, run } = setup();
    const stop = new AbortController();
    const write = store.write.bind(store);
    // B's write never answers; once it is in flight, the job is cancelled.
    store.write = (name, value, props) => {
      if (name !== 'B') return write(name, value, props);
      stop.abort(new Error('the job was cancelled (SIGTERM)'));
      return new Promise(() => {});
    };
    const secrets = ['A', 'B', 'C', 'D'].map((n) => spec(n));
    const result = await run(request(secrets, { maxConcurrency: 1 }), { signal: stop.signal });
    expect(result.outcomes.map((o) => [o.name, o.status])).toEqual([
      ['A', 'done'],
      ['B', 'failed'],
      ['C', 'failed'],
      ['D', 'failed'],
    ]);
    expect(result.outcomes[1]!.error).toMatch(
      /^write interrupted: the job was cancelled \(SIGTERM\); it may or may not/,
    );
    for (const o of result.outcomes.slice(2)) expect(o.error).toBe('not attempted: the job was cancelled (SIGTERM)');
    // Nothing was sent for C and D.
    expect(store.ops('write')).toEqual(['A']);
    expect(['A', 'B', 'C', 'D'].map((n) => store.versionCount(n))).toEqual([1, 0, 0, 0]);
  });
});
