// The CLI's command line (flags, mistakes, did-you-mean) and its lines for a person, with plain objects.
import { readArgv } from '../../src/adapters/cli/commands/argv.js';
import { readCommandLine } from '../../src/adapters/cli/commands/command-line.js';
import { closest, editDistance } from '../../src/adapters/cli/commands/did-you-mean.js';
import { flagSpecs } from '../../src/adapters/cli/usage.js';
import { fewWords, pushText } from '../../src/adapters/cli/output/terminal-lines.js';
import type { FleetResult, TargetResult } from '../../src/core/run/fleet.js';
import type { SecretOutcome } from '../../src/core/common/types.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit; suggests only what is close', () => {
    expect(editDistance('dyr-run', 'dry-run')).toBe(1);
    expect(editDistance('resource-manager-endpont', 'resource-manager-endpoint')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('lsit', ['push', 'list', 'set', 'delete'])).toBe('list');
    expect(closest('hunter2', ['push', 'list', 'set', 'delete'])).toBeUndefined();
    expect(closest('vault-nmae', Object.keys(flagSpecs()))).toBe('vault-name');
  });
});

describe('readArgv', () => {
  const specs = flagSpecs();
  it('takes --flag VALUE, --flag=VALUE (a value may start with -), repeats, switches and -- ', () => {
    expect(
      readArgv(['set', 'N', '--vault-name', 'kv', '--tags=a=-1', '--tags', 'b=2', '--dry-run', '--', '--x'], specs),
    ).toEqual({
      values: { 'vault-name': 'kv', tags: ['a=-1', 'b=2'], 'dry-run': true },
      positionals: ['set', 'N', '--x'],
    });
  });

  it('names the first mistake as typed, never what follows =', () => {
    expect(readArgv(['--vault-nmae', 'kv'], specs)).toEqual({
      problem: 'unknown flag --vault-nmae (did you mean --vault-name?)',
    });
    expect(readArgv(['--frobnicate'], specs)).toEqual({ problem: 'unknown flag --frobnicate' });
    expect(readArgv(['--vault-url', '--secrets', 'A'], specs)).toEqual({
      problem: '--vault-url needs a value: --vault-url URL',
    });
    expect(readArgv(['--prune=hunter2'], specs)).toEqual({
      problem: '--prune takes no value: write --prune alone to turn it on, leave it out for off',
    });
    expect(readArgv(['--prune', 'FALSE'], specs)).toMatchObject({
      problem: expect.stringContaining("drop the 'FALSE'"),
    });
    expect(readArgv(['--vault-name:', 'kv'], specs)).toEqual({
      problem: 'unknown flag --vault-name: (no colon: write --vault-name NAME)',
    });
    const value = readArgv(['--value=hunter2'], specs);
    expect(value).toMatchObject({ problem: expect.stringContaining('never taken from the command line') });
    expect(JSON.stringify(value)).not.toContain('hunter2');
    expect(readArgv(['-x'], specs)).toEqual({ problem: 'unknown flag -x' });
  });

  it('help wins over a mistake; the command of a mistake names its help', () => {
    expect(readCommandLine(['delete', '--bogus', '--help'])).toEqual({
      help: expect.stringMatching(/^Usage: aml-vault-push delete/),
    });
    expect(readCommandLine(['list', '--bogus'])).toEqual({ problem: 'unknown flag --bogus', command: 'list' });
    expect(readCommandLine(['--bogus'])).toEqual({ problem: 'unknown flag --bogus', command: 'push' });
    expect(readCommandLine(['help', 'sett'])).toEqual({ problem: 'unknown command sett (did you mean set?)' });
  });
});

const outcome = (o: Partial<SecretOutcome> & Pick<SecretOutcome, 'name' | 'action'>): SecretOutcome => ({
  origin: o.name,
  reason: '',
  status: 'done',
  ...o,
});
const target = (t: Partial<TargetResult>): TargetResult => ({
  target: 'https://kv-train.vault.azure.net',
  vaultUrl: 'https://kv-train.vault.azure.net',
  outcomes: [],
  deleted: [],
  ...t,
});
const fleet = (targets: TargetResult[], dryRun = false): FleetResult => ({
  mode: 'push',
  dryRun,
  secrets: [...new Set(targets.flatMap((t) => t.outcomes.map((o) => o.name)))],
  targets,
  expiring: [],
});

describe('pushText', () => {
  it('a line per secret: its version, or a pointer to the message that says why; its injection reference; then the total', () => {
    const text = pushText(
      fleet([
        target({
          outcomes: [
            outcome({ name: 'HF-TOKEN', action: 'create', version: 'v1' }),
            outcome({ name: 'DB', action: 'unchanged', currentVersion: 'v0' }),
            outcome({ name: 'OLD', action: 'recover', version: 'v3' }),
            outcome({
              name: 'THEIRS',
              action: 'blocked',
              reason: 'not overwriting it: it is owned by ci/main; set --adopt-unowned',
            }),
            outcome({ name: 'X', action: 'update', status: 'failed', error: 'write failed: 403\r\n Forbidden; more' }),
          ],
        }),
      ]),
    );
    expect(text).toBe(
      [
        'created     HF-TOKEN  version v1',
        'unchanged   DB',
        'recovered   OLD       version v3',
        'blocked     THEIRS    the message above says why',
        'failed      X         the message above says why',
        'reference   HF-TOKEN  ${{keyvault:https://kv-train.vault.azure.net/secrets/HF-TOKEN/v1}}',
        'reference   DB        ${{keyvault:https://kv-train.vault.azure.net/secrets/DB/v0}}',
        'reference   OLD       ${{keyvault:https://kv-train.vault.azure.net/secrets/OLD/v3}}',
        '5 secrets in kv-train: 1 created, 1 unchanged, 1 recovered, 1 blocked, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('an endpoint reader: its stale pins and a reference to an absent secret, pointing at the message with the command', () => {
    const command =
      "az ml online-deployment update --name blue --endpoint-name score --set 'environment_variables.K=R'";
    const text = pushText(
      fleet([
        target({
          outcomes: [outcome({ name: 'K', action: 'update', version: 'v2' })],
          readers: {
            verdicts: {
              'endpoint:score': {
                status: 'reads',
                identities: [{ principalId: 'p', status: 'reads', via: 'Key Vault Secrets User at /v' }],
                deployments: {
                  checked: ['blue'],
                  stale: [{ deployment: 'blue', variable: 'K', secret: 'K', pinned: 'v1', current: 'v2', command }],
                  absent: [{ deployment: 'blue', variable: 'G', secret: 'gone' }],
                  connections: [],
                },
              },
            },
            notes: [],
            missing: 'fail',
            stale: 'warn',
            dryRun: false,
          },
        }),
      ]),
    );
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'reads       endpoint:score  Key Vault Secrets User at /v',
        'stale pin   endpoint:score  blue K pins v1, the vault holds v2; the message above has the command that updates it',
        'absent      endpoint:score  blue G references gone, which the vault does not have (the message above)',
        'reference   K               ${{keyvault:https://kv-train.vault.azure.net/secrets/K/v2}}',
      ]),
    );
  });

  it('readers: the verdict, what lets it read, or the command that fixes it', () => {
    const fix = 'az role assignment create --assignee-object-id 1234 --role "Key Vault Secrets User" --scope /x';
    const text = pushText(
      fleet([
        target({
          outcomes: [outcome({ name: 'A', action: 'unchanged' })],
          readers: {
            verdicts: {
              'compute:gpu': {
                status: 'reads',
                identities: [{ principalId: 'p', status: 'reads', via: 'access policy' }],
              },
              'app:1234': {
                status: 'missing',
                identities: [],
                reason: `no role assignment lets it read; to let it read, run: ${fix}`,
              },
              'compute:x': { status: 'unknown', identities: [], reason: 'no right to read the role assignments; more' },
            },
            notes: [],
            missing: 'fail',
            stale: 'warn',
            dryRun: false,
          },
        }),
      ]),
    );
    expect(text.split('\n')).toEqual([
      'unchanged   A',
      'reads       compute:gpu  access policy',
      'missing     app:1234     cannot read; the message above has the command that grants it',
      'unknown     compute:x    no right to read the role assignments',
      '1 secret in kv-train: 1 unchanged',
      '',
    ]);
  });

  it('a dry run says what would happen; several vaults each under its URL; a vault not found fails alone', () => {
    const planned = [outcome({ name: 'A', action: 'create', status: 'planned' })];
    const text = pushText(
      fleet(
        [
          target({ outcomes: planned, deleted: [{ name: 'B', status: 'planned', reason: 'retired' }] }),
          target({ target: 'SUB/rg/ws', vaultUrl: undefined, error: "workspace 'ws' was not found; check the name" }),
        ],
        true,
      ),
    );
    expect(text.split('\n')).toEqual([
      'https://kv-train.vault.azure.net',
      '  would create A',
      '  would delete B',
      'SUB/rg/ws',
      '  failed      SUB/rg/ws  the message above says why',
      'Dry run, nothing written: 1 secret in 2 vaults: 1 would create, 1 would delete, 1 failed',
      '',
    ]);
  });

  it('inputs that stopped the run: nothing here (the problems are on standard error)', () => {
    expect(pushText({ ...fleet([]), problems: ['x'] })).toBe('');
    expect(fewWords('a'.repeat(100))).toHaveLength(80);
  });
});
