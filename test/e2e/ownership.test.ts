// One owner for a team: a secret set with the CLI from a checkout of the repository is the repository's, so the
// repository's workflow (the GitHub bundle, as the runner starts it) updates it without adopt-unowned; outside a
// checkout the CLI's owner is the person's, and the workflow leaves it alone. --owner hands a secret over, and a bad
// --owner is refused before any request, without repeating it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runCli } from '../helpers/bundles.js';
import { gitHubHarness } from '../helpers/harness.js';
import { vaultClient } from '../helpers/vault-client.js';

/** The repository the GitHub harness runs for (GITHUB_REPOSITORY=contoso/train on github.com). */
const REMOTE = 'git@github.com:contoso/train.git';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator([]);
});
afterAll(async () => emu?.stop());

/** A checkout as `git clone` leaves it (only what the CLI reads: .git/config), with a subdirectory to run in. */
function checkout(remote: string): string {
  const root = mkdtempSync(join(tmpdir(), 'aml-checkout-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(
    join(root, '.git/config'),
    `[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  );
  mkdirSync(join(root, 'src/train'), { recursive: true });
  return join(root, 'src/train');
}

describe.each(NODE_RUNTIMES)('on $label', (node) => {
  const cli = (args: string[], value: string, cwd?: string) =>
    runCli(
      node.path,
      ['--vault-url', emu.vaultUrl, ...args],
      { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, LOCAL_VALUE: value },
      cwd,
    );
  const pipeline = (name: string) =>
    gitHubHarness(node, emu.env).push({
      inputs: { 'vault-url': emu.vaultUrl, secrets: `${name}=PIPELINE_VALUE` },
      values: { PIPELINE_VALUE: `pipeline-value-${node.label}` },
    });
  const tags = async (name: string) => (await vaultClient(emu).getSecret(name)).properties.tags ?? {};

  it('set from a checkout of the repository, updated by its workflow without adopt-unowned', async () => {
    const name = `team-secret-${node.label}`;
    const local = await cli(['--secrets', `${name}=LOCAL_VALUE`], 'laptop-value', checkout(REMOTE));
    expect(local.code).toBe(0);
    expect((await tags(name))['aml-vault-push-owner']).toBe('github.com/contoso/train');

    const run = await pipeline(name);
    expect(run.ok).toBe(true);
    expect(JSON.parse(run.outputs.updated!)).toEqual([name]);
    expect((await vaultClient(emu).getSecret(name)).value).toBe(`pipeline-value-${node.label}`);
  });

  it('set outside a checkout: the person owns it and the workflow does not overwrite it', async () => {
    const name = `personal-secret-${node.label}`;
    expect((await cli(['--secrets', `${name}=LOCAL_VALUE`], 'laptop-value')).code).toBe(0);
    expect((await tags(name))['aml-vault-push-owner']).toMatch(/^cli\/.+@.+$/);
    const run = await pipeline(name);
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/not overwriting it: it is owned by cli\/.*adopt-unowned: true/);
  });

  it('--owner hands a secret over to the repository from anywhere', async () => {
    const name = `handed-over-${node.label}`;
    const local = await cli(['--secrets', `${name}=LOCAL_VALUE`, '--owner', 'github.com/contoso/train'], 'v1');
    expect(local.code).toBe(0);
    expect((await pipeline(name)).ok).toBe(true);
  });

  it('a bad --owner is refused before any request, and not repeated', async () => {
    await emu.clearRequests();
    const bad = 'github.com/contoso/train#scope';
    const run = await cli(['--secrets', 'x=LOCAL_VALUE', '--owner', bad], 'v');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--owner: is not an owner id/);
    expect(run.stderr).not.toContain(bad);
    expect(await emu.requests()).toEqual([]);
  });
});
