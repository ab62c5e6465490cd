import { decide, desiredProperties, EXPIRES_IN_TOLERANCE_MS, type PlanRequest } from '../../../src/core/engine/plan.js';
import { isOwnedBy, ownershipTags, OWNER_TAG, OWNERSHIP_TAG } from '../../../src/core/common/ownership.js';
import type { CurrentState, StoredSecret } from '../../../src/core/common/ports.js';
import type { Owner, SecretSpec } from '../../../src/core/common/types.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const label = labeller('github');

const owner: Owner = { id: 'github.com/contoso/train' };
const now = new Date('2026-03-01T12:00:00Z');
const spec: SecretSpec = { name: 'DB-PASSWORD', value: 'correct horse', origin: 'secrets line 1 (DB_PASSWORD)' };
const baseReq: PlanRequest = { tags: { team: 'ml' }, onDeleted: 'recover', adoptUnowned: false };
const DAY = 86_400_000;
const ours = ownershipTags(owner);

/** A stored secret exactly as this request would have written it. */
function stored(patch: Partial<StoredSecret> = {}): StoredSecret {
  return {
    value: spec.value,
    version: 'abc',
    enabled: true,
    tags: { team: 'ml', ...ownershipTags(owner) },
    createdOn: new Date('2026-02-01T00:00:00Z'),
    ...patch,
  };
}
const present = (patch: Partial<StoredSecret> = {}): CurrentState => ({ kind: 'present', secret: stored(patch) });

describe('decide', () => {
  const cases: Array<{
    title: string;
    current: CurrentState;
    req?: Partial<PlanRequest>;
    action: string;
    reason: RegExp;
  }> = [
    { title: 'absent → create', current: { kind: 'absent' }, action: 'create', reason: /not in the vault/ },
    {
      title: 'deleted (ours), on-deleted recover',
      current: { kind: 'deleted', tags: ours },
      action: 'recover',
      reason: /recover it \(on-deleted: recover\)/,
    },
    {
      title: 'deleted (owner unknown), on-deleted recover: recover, check after',
      current: { kind: 'deleted' },
      action: 'recover',
      reason: /recover it/,
    },
    {
      title: 'deleted (ours), on-deleted purge',
      current: { kind: 'deleted', tags: ours },
      req: { onDeleted: 'purge' },
      action: 'create',
      reason: /purge it \(on-deleted: purge\)/,
    },
    {
      title: 'deleted (owner unknown), on-deleted purge → blocked',
      current: { kind: 'deleted' },
      req: { onDeleted: 'purge' },
      action: 'blocked',
      reason: /owner cannot be read/,
    },
    {
      title: 'deleted (unowned) → blocked before recovering',
      current: { kind: 'deleted', tags: {} },
      action: 'blocked',
      reason: /soft-deleted, and not recovering or purging it: it exists without/,
    },
    {
      title: 'deleted (other owner), purge → blocked',
      current: { kind: 'deleted', tags: ownershipTags({ id: 'x/y' }) },
      req: { onDeleted: 'purge' },
      action: 'blocked',
      reason: /owned by x\/y/,
    },
    {
      title: 'deleted (unowned) + adopt → recover',
      current: { kind: 'deleted', tags: {} },
      req: { adoptUnowned: true, onDeleted: 'purge' },
      action: 'create',
      reason: /purge it/,
    },
    {
      title: 'deleted, on-deleted fail',
      current: { kind: 'deleted' },
      req: { onDeleted: 'fail' },
      action: 'blocked',
      reason: /soft-deleted; recover or purge it, or set on-deleted/,
    },
    { title: 'disabled', current: { kind: 'disabled' }, action: 'blocked', reason: /disabled.*cannot be read/ },
    { title: 'present but disabled flag', current: present({ enabled: false }), action: 'blocked', reason: /disabled/ },
    { title: 'equal → unchanged', current: present(), action: 'unchanged', reason: /same value/ },
    { title: 'value differs', current: present({ value: 'old' }), action: 'update', reason: /^differs: value$/ },
    {
      title: 'content type differs',
      current: present({ contentType: 'text/plain' }),
      action: 'update',
      reason: /^differs: content type$/,
    },
    {
      title: 'content type wanted',
      current: present(),
      req: { contentType: 'text/plain' },
      action: 'update',
      reason: /content type/,
    },
    {
      title: 'extra user tag in vault',
      current: present({ tags: { team: 'ml', x: '1', ...ownershipTags(owner) } }),
      action: 'update',
      reason: /^differs: tags$/,
    },
    {
      title: 'user tag value differs',
      current: present({ tags: { team: 'ops', ...ownershipTags(owner) } }),
      action: 'update',
      reason: /tags/,
    },
    {
      title: 'expiry removed',
      current: present({ expiresOn: new Date('2026-06-01T00:00:00Z') }),
      action: 'update',
      reason: /^differs: expiry$/,
    },
    {
      title: 'expires-on equal (same second)',
      current: present({ expiresOn: new Date('2026-06-01T00:00:00Z') }),
      req: { expiresOn: new Date('2026-06-01T00:00:00.700Z') },
      action: 'unchanged',
      reason: /same/,
    },
    {
      title: 'expires-on differs',
      current: present({ expiresOn: new Date('2026-06-01T00:00:00Z') }),
      req: { expiresOn: new Date('2026-06-02T00:00:00Z') },
      action: 'update',
      reason: /expiry/,
    },
    {
      title: 'not-before differs',
      current: present(),
      req: { notBefore: new Date('2026-03-02T00:00:00Z') },
      action: 'update',
      reason: /^differs: not-before$/,
    },
    {
      title: 'several differ, names only',
      current: present({ value: 'old', contentType: 'x' }),
      req: { notBefore: now },
      action: 'update',
      reason: /^differs: value, content type, not-before$/,
    },
    {
      title: 'expires-in: created + 90 d, within tolerance',
      current: present({
        expiresOn: new Date(Date.parse('2026-02-01T00:00:00Z') + 90 * DAY + EXPIRES_IN_TOLERANCE_MS - 1000),
      }),
      req: { expiresInMs: 90 * DAY },
      action: 'unchanged',
      reason: /same/,
    },
    {
      title: 'expires-in: beyond tolerance',
      current: present({
        expiresOn: new Date(Date.parse('2026-02-01T00:00:00Z') + 90 * DAY + EXPIRES_IN_TOLERANCE_MS + 1000),
      }),
      req: { expiresInMs: 90 * DAY },
      action: 'update',
      reason: /expiry/,
    },
    {
      title: 'expires-in: no expiry stored',
      current: present(),
      req: { expiresInMs: 90 * DAY },
      action: 'update',
      reason: /expiry/,
    },
    {
      title: 'unowned → blocked',
      current: present({ tags: { team: 'ml' } }),
      action: 'blocked',
      reason: /without the ownership tag managed-by=aml-vault-push.*adopt-unowned/,
    },
    {
      title: 'owned by another pipeline → blocked, names it',
      current: present({ tags: { team: 'ml', ...ownershipTags({ id: 'github.com/contoso/other' }) } }),
      action: 'blocked',
      reason: /owned by github\.com\/contoso\/other.*adopt-unowned/,
    },
    {
      title: 'managed-by without owner → blocked',
      current: present({ tags: { [OWNERSHIP_TAG]: 'aml-vault-push' } }),
      action: 'blocked',
      reason: /no aml-vault-push-owner tag/,
    },
    {
      title: 'unowned + adopt → update (tags)',
      current: present({ tags: { team: 'ml' } }),
      req: { adoptUnowned: true },
      action: 'update',
      reason: /adopting it.*differs: tags$/,
    },
    {
      title: 'owned, tag keys in other case → owned, tags rewritten',
      current: present({ tags: { team: 'ml', 'Managed-By': 'aml-vault-push', 'AML-VAULT-PUSH-OWNER': owner.id } }),
      action: 'update',
      reason: /^differs: tags$/,
    },
  ];

  it.each(cases)('$title', ({ current, req, action, reason }) => {
    const decision = decide(spec, current, { ...baseReq, ...req }, owner, now, label);
    expect(decision.action).toBe(action);
    expect(decision.reason).toMatch(reason);
    expect(decision.reason).not.toContain(spec.value);
  });

  it('never puts the stored value in a reason', () => {
    const d = decide(
      spec,
      present({ value: 'the-old-value', tags: {} }),
      { ...baseReq, adoptUnowned: true },
      owner,
      now,
      label,
    );
    expect(d.reason).not.toContain('the-old-value');
  });
});

describe('desiredProperties', () => {
  it('adds ownership tags over user tags and computes expires-in from now', () => {
    const props = desiredProperties(
      { ...baseReq, tags: { team: 'ml', [OWNER_TAG]: 'spoofed' }, expiresInMs: DAY, contentType: 'text/plain' },
      owner,
      now,
    );
    expect(props).toEqual({
      contentType: 'text/plain',
      tags: { team: 'ml', ...ownershipTags(owner) },
      expiresOn: new Date(now.getTime() + DAY),
    });
  });

  it('prefers an absolute expiry', () => {
    const expiresOn = new Date('2027-01-01T00:00:00Z');
    expect(desiredProperties({ ...baseReq, expiresOn, expiresInMs: DAY }, owner, now).expiresOn).toEqual(expiresOn);
  });

  it('a version written now with expires-in is unchanged on a rerun a day later', () => {
    const req = { ...baseReq, expiresInMs: 90 * DAY };
    const props = desiredProperties(req, owner, now);
    const written: StoredSecret = {
      value: spec.value,
      version: 'v',
      enabled: true,
      createdOn: new Date(now.getTime() + 2000),
      ...props,
    };
    expect(
      decide(spec, { kind: 'present', secret: written }, req, owner, new Date(now.getTime() + DAY), label).action,
    ).toBe('unchanged');
  });
});

describe('isOwnedBy', () => {
  it.each([
    [{ ...ownershipTags(owner) }, true],
    [{ 'MANAGED-BY': 'aml-vault-push', 'Aml-Vault-Push-Owner': owner.id }, true],
    [{ [OWNERSHIP_TAG]: 'aml-vault-push' }, false],
    [{ [OWNER_TAG]: owner.id }, false],
    [{ [OWNERSHIP_TAG]: 'someone-else', [OWNER_TAG]: owner.id }, false],
    [{ ...ownershipTags({ id: 'github.com/contoso/TRAIN' }) }, false],
    [{}, false],
  ])('%j → %s', (tags, expected) => {
    expect(isOwnedBy(tags, owner)).toBe(expected);
  });
});
