// Prune: selection is this owner's (and scope's) secrets that left the input, never another's or an unowned one;
// the run lists, shows the plan, sends one DELETE per secret (soft delete), and refuses an empty input.
import { pruneVault, selectRetired, PruneListError } from '../../../src/core/engine/prune.js';
import { ownershipTags, scopedOwner } from '../../../src/core/common/ownership.js';
import type { ListedSecret, Logger } from '../../../src/core/common/ports.js';
import { labeller } from '../../../src/core/inputs/inputs.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeStore, restError } from '../../helpers/fake-store.js';

const repo = { id: 'github.com/contoso/train' };
const nightly = scopedOwner(repo, 'nightly');
const listed = (name: string, tags: Record<string, string>, extra: Partial<ListedSecret> = {}): ListedSecret => ({
  name,
  enabled: true,
  tags,
  ...extra,
});

describe('selectRetired', () => {
  const vault = [
    listed('kept', ownershipTags(repo)),
    listed('retired-b', ownershipTags(repo)),
    listed('Retired-A', ownershipTags(repo)),
    listed('unowned', {}),
    listed('workspace-key', { 'managed-by': 'azureml' }),
    listed('other-repo', ownershipTags({ id: 'github.com/contoso/other' })),
    listed('other-scope', ownershipTags(nightly)),
    listed('cert-backed', ownershipTags(repo), { managed: true }),
    listed('disabled-old', ownershipTags(repo), { enabled: false }),
  ];

  it('picks only this owner’s secrets no longer pushed (names compare case-insensitively), sorted', () => {
    expect(selectRetired(vault, ['KEPT'], repo).map((s) => s.name)).toEqual(['disabled-old', 'Retired-A', 'retired-b']);
  });

  it('a scope owns only its own secrets: the repository’s unscoped ones are not its to prune', () => {
    expect(selectRetired(vault, ['kept'], nightly).map((s) => s.name)).toEqual(['other-scope']);
  });
});

function setup() {
  const store = new FakeStore(fakeClock());
  const lines: string[] = [];
  const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warning: (m) => lines.push(`W ${m}`) };
  const deps = { store, logger, owner: repo, label: labeller('github'), dryRun: false, maxConcurrency: 4 };
  store.seed('kept', { value: 'x', tags: ownershipTags(repo) });
  store.seed('retired', { value: 'x', tags: ownershipTags(repo) });
  store.seed('unowned', { value: 'x' });
  store.seed('theirs', { value: 'x', tags: ownershipTags(nightly) });
  return { store, lines, deps };
}
const specs = (...names: string[]) => names.map((name) => ({ name, value: 'v', origin: name }));

describe('pruneVault', () => {
  it('dry run: lists delete lines and deletes nothing', async () => {
    const { store, lines, deps } = setup();
    const out = await pruneVault(specs('kept'), { ...deps, dryRun: true });
    expect(out).toEqual([expect.objectContaining({ name: 'retired', status: 'planned' })]);
    expect(lines).toContain('  retired: delete — written by github.com/contoso/train, no longer in the input');
    expect(store.ops('remove')).toEqual([]);
  });

  it('soft-deletes the retired secret only', async () => {
    const { store, deps } = setup();
    const out = await pruneVault(specs('kept'), deps);
    expect(out).toEqual([expect.objectContaining({ name: 'retired', status: 'done' })]);
    expect(store.ops('remove')).toEqual(['retired']);
    expect(store.latest('retired')).toBeUndefined();
    for (const name of ['kept', 'unowned', 'theirs']) expect(store.latest(name)).toBeDefined();
  });

  it('a failed DELETE is that secret’s failure, with a cause', async () => {
    const { store, deps } = setup();
    store.fail('retired', 'remove', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' }));
    const [out] = await pruneVault(specs('kept'), deps);
    expect(out).toMatchObject({
      name: 'retired',
      status: 'failed',
      error: expect.stringMatching(/^delete failed: access denied by Azure RBAC/),
    });
  });

  it('a vault that cannot be listed fails the prune as a whole', async () => {
    const { store, deps } = setup();
    store.fail('', 'list', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByFirewall' }));
    await expect(pruneVault(specs('kept'), deps)).rejects.toThrow(
      /prune: list failed: blocked by the vault's network rules/,
    );
  });

  it('refuses an empty input', async () => {
    const { store, deps } = setup();
    await expect(pruneVault([], deps)).rejects.toThrow(PruneListError);
    expect(store.calls).toEqual([]);
  });
});
