// The CLI bundle as a developer runs it: workspace → vault with DefaultAzureCredential (here the
// emulator's managed identity), the result on stdout (lines for a person, JSON with --json), the plan on stderr, no
// value anywhere; the help of the tool and of each command; a mistake on the command line as one line, exit 2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../helpers/emulator.js';

const root = join(__dirname, '../..');
const SUB = '5d8f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/ml-rg/cli-ws`]);
});
afterAll(async () => emu?.stop());

function cli(args: string[], values: Record<string, string>) {
  return spawnSync(process.execPath, [join(root, 'dist/cli/index.mjs'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...values },
    timeout: 60_000,
  });
}

it('pushes to the workspace vault found over Resource Manager', () => {
  const args = [
    '--workspace-name',
    'cli-ws',
    '--resource-group',
    'ml-rg',
    '--subscription-id',
    SUB,
    '--resource-manager-endpoint',
    emu.armUrl,
    '--secrets',
    'HF_TOKEN',
    '--owner',
    'dev/laptop',
    '--json',
  ];
  const run = cli(args, { HF_TOKEN: 'hf-cli-secret-value' });
  expect(run.stderr).not.toMatch(/error:/);
  expect(run.status).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(result['vault-url']).toBe(emu.workspaces[`${SUB}/ml-rg/cli-ws`]!.vaultUrl.replace(/\/$/, ''));
  expect(result.created).toEqual(['HF-TOKEN']);
  expect(run.stderr).toMatch(/Looking up the Key Vault of workspace 'cli-ws'/);
  expect(run.stdout + run.stderr).not.toContain('hf-cli-secret-value');
});

it('exits 1 with the problem named by flag, before any request', async () => {
  await emu.clearRequests();
  const run = cli(
    [
      '--workspace-name',
      'cli-ws',
      '--resource-group',
      'ml-rg',
      '--subscription-id',
      'not-a-guid',
      '--secrets',
      'HF_TOKEN',
    ],
    { HF_TOKEN: 'x' },
  );
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/--subscription-id: .*is not a subscription id/);
  expect(await emu.requests()).toEqual([]);
});

describe('help and mistakes: one line, exit 2, no request', () => {
  it('-h and --help, for the tool and for each command: a usage line, grouped flags, examples', () => {
    const tool = cli(['--help'], {});
    expect(tool.status).toBe(0);
    expect(tool.stdout).toMatch(/^Usage: aml-vault-push COMMAND/);
    expect(tool.stdout).toMatch(/Run 'aml-vault-push COMMAND --help'/);
    expect(cli(['-h'], {}).stdout).toBe(tool.stdout);
    expect(cli(['help'], {}).stdout).toBe(tool.stdout);
    expect(cli([], {})).toMatchObject({ status: 0, stdout: tool.stdout, stderr: '' });
    const flagsOf = (text: string) => [...text.matchAll(/^ {2}(?:-h, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    const expected: Record<string, { usage: RegExp; has: string[]; lacks: string[] }> = {
      push: { usage: /^Usage: aml-vault-push \[push\] --secrets/, has: ['--secrets', '--prune'], lacks: ['--file'] },
      set: { usage: /^Usage: aml-vault-push set NAME/, has: ['--file', '--env', '--expires-in'], lacks: ['--secrets'] },
      list: { usage: /^Usage: aml-vault-push list/, has: ['--json', '--vault-name'], lacks: ['--dry-run', '--tags'] },
      delete: { usage: /^Usage: aml-vault-push delete NAME/, has: ['--dry-run', '--adopt-unowned'], lacks: ['--tags'] },
    };
    for (const [command, want] of Object.entries(expected)) {
      const help = cli([command, '--help'], {});
      expect([command, help.status, help.stderr]).toEqual([command, 0, '']);
      expect(help.stdout).toMatch(want.usage);
      expect(help.stdout).toMatch(/^Target:$/m);
      expect(help.stdout).toMatch(/^Examples:\n( {2}.*aml-vault-push.*\n){2,4}$/m);
      const flags = flagsOf(help.stdout);
      for (const f of want.has) expect([command, f, flags.includes(f)]).toEqual([command, f, true]);
      for (const f of want.lacks) expect([command, f, flags.includes(f)]).toEqual([command, f, false]);
      expect(cli(['help', command], {}).stdout).toBe(help.stdout);
      expect(cli([command, '-h', '--bogus'], {}).stdout).toBe(help.stdout); // help wins over a mistake
    }
  });

  it('an unknown flag or command, a missing value, a value given to a switch: one line naming it as typed', async () => {
    await emu.clearRequests();
    const cases: [string[], string][] = [
      [
        ['--resource-manager-endpont', 'https://x', '--secrets', 'A'],
        "error: unknown flag --resource-manager-endpont (did you mean --resource-manager-endpoint?)\nRun 'aml-vault-push push --help' for the flags.\n",
      ],
      [['lsit'], "error: unknown command lsit (did you mean list?)\nRun 'aml-vault-push --help' for the commands.\n"],
      [
        ['set', 'db', '--vault-name'],
        "error: --vault-name needs a value: --vault-name NAME\nRun 'aml-vault-push set --help' for the flags.\n",
      ],
      [
        ['--secrets', 'A', '--allow-empty', 'true'],
        "error: --allow-empty takes no value: write --allow-empty alone to turn it on, leave it out for off (drop the 'true' after it)\nRun 'aml-vault-push push --help' for the flags.\n",
      ],
      [
        ['--secrets', 'A', '--allow-empty:', 'true'],
        "error: unknown flag --allow-empty: (no colon: write --allow-empty)\nRun 'aml-vault-push push --help' for the flags.\n",
      ],
      [
        ['delete', 'db', '--dry-run=yes'],
        "error: --dry-run takes no value: write --dry-run alone to turn it on, leave it out for off\nRun 'aml-vault-push delete --help' for the flags.\n",
      ],
      [
        ['list', '--file', 'key.pem'],
        "error: --file goes with set, not list\nRun 'aml-vault-push list --help' for the flags.\n",
      ],
    ];
    for (const [args, stderr] of cases) {
      const run = cli(args, {});
      expect({ args, status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        args,
        status: 2,
        stdout: '',
        stderr,
      });
    }
    // A word that is not close to a command may be a value typed by mistake: never repeated.
    const value = cli(['s3cr3t-Xq7Zv9Kp'], {});
    expect(value.status).toBe(2);
    expect(value.stderr).not.toContain('s3cr3t');
    expect(value.stderr.split('\n')).toHaveLength(3);
    expect(await emu.requests()).toEqual([]);
  });
});

describe('the result: lines for a person, JSON with --json', () => {
  const ws = () => ['--workspace-name', 'cli-ws', '--resource-group', 'ml-rg', '--subscription-id', SUB];
  const flags = () => [...ws(), '--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/lines'];

  it('push: a line per secret with its version id, its injection reference, then the total; no JSON', async () => {
    const run = cli([...flags(), '--secrets', 'LINE_A', '--secrets', 'LINE_B'], {
      LINE_A: 'line-a-value',
      LINE_B: 'line-b-value',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^created {5}LINE-A {2}version ([0-9a-f]{32})\ncreated {5}LINE-B {2}version ([0-9a-f]{32})\nreference {3}LINE-A {2}\$\{\{keyvault:https:\/\/localhost:\d+\/secrets\/LINE-A\/\1\}\}\nreference {3}LINE-B {2}\$\{\{keyvault:https:\/\/localhost:\d+\/secrets\/LINE-B\/\2\}\}\n2 secrets in localhost:\d+: 2 created\n$/,
    );
    const again = cli([...flags(), '--secrets', 'LINE_A'], { LINE_A: 'line-a-value' });
    expect(again.stdout).toMatch(
      /^unchanged {3}LINE-A\nreference {3}LINE-A {2}\$\{\{keyvault:https:\/\/localhost:\d+\/secrets\/LINE-A\/[0-9a-f]{32}\}\}\n1 secret in localhost:\d+: 1 unchanged\n$/,
    );
    const blocked = cli([...flags(), '--owner', 'dev/other', '--secrets', 'LINE_A'], { LINE_A: 'new-value' });
    expect(blocked.status).toBe(1);
    expect(blocked.stdout).toMatch(
      /^blocked {5}LINE-A {2}the message above says why\n1 secret in localhost:\d+: 1 blocked\n$/,
    );
    expect(run.stdout + again.stdout + blocked.stdout).not.toMatch(/line-a-value|new-value|^\{/m);
  });

  it('list: a table, or its own JSON; an input error prints nothing on standard output, with or without --json', () => {
    const table = cli(['list', ...flags()], {});
    expect(table.stdout).toMatch(/^ {2}NAME +ENABLED/m);
    const json = cli(['list', '--json', ...flags()], {});
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
    for (const extra of [[], ['--json']]) {
      const bad = cli(['list', '--vault-name', 'no_such!', ...extra], {});
      expect([extra, bad.status, bad.stdout]).toEqual([extra, 1, '']);
      expect(bad.stderr).toMatch(/--vault-name: .* is not a valid vault name/);
    }
  });

  it('push --json keeps the outputs object, also for input problems (every secret failed)', () => {
    const bad = cli(['--vault-name', 'no_such!', '--secrets', 'A', '--json'], { A: 'a' });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ failed: ['A'], created: [] });
    const plain = cli(['--vault-name', 'no_such!', '--secrets', 'A'], { A: 'a' });
    expect(plain.stdout).toBe('');
  });
});
