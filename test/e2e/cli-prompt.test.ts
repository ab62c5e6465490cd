// A real terminal: the CLI bundle's `set NAME` runs in a tmux pane, the test waits for the prompt on the screen,
// types (or pastes) the value, and the screen shows no part of it; the value then lands in the vault. The prompt
// comes only once the workspace's vault is found, and says where the value goes; a mistake exits before it, with no
// request. A bracketed paste of a PEM is stored whole; several lines without paste marks are refused. Everything the
// pane received is logged raw (tmux pipe-pane), so the paste mode switched on is seen switched off again.
// Needs tmux (.ci/run installs it); skipped, with the reason, without.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { vaultClient } from '../helpers/vault-client.js';
import { NODE_RUNTIMES, type NodeRuntime } from '../helpers/bundles.js';
import { itWhere } from '../helpers/skip.js';

const root = join(__dirname, '../..');
const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
const NO_TMUX = tmuxVersion.status === 0 ? undefined : 'tmux is not installed (apt-get install -y tmux)';
const SUB = '5d8f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b';
const WS = `${SUB}/ml-rg/vision-train`;

let emu: Emulator;
let vault: SecretClient;
let wsVault: SecretClient;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', WS]);
  vault = vaultClient(emu);
  wsVault = vaultClient(emu, emu.workspaces[WS]!.vaultUrl);
});
afterAll(async () => emu?.stop());

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** A project directory: its .azureml/config.json names the workspace (or holds `config`, when given). */
function project(
  config = JSON.stringify({ subscription_id: SUB, resource_group: 'ml-rg', workspace_name: 'vision-train' }),
) {
  const dir = mkdtempSync(join(tmpdir(), 'aml-tmux-'));
  mkdirSync(join(dir, '.azureml'));
  writeFileSync(join(dir, '.azureml/config.json'), config);
  return dir;
}

/** One tmux server of its own (its own socket), with one pane running the CLI and then saying its exit code. */
class Terminal {
  private readonly socket = `aml-prompt-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly log: string;
  constructor(node: NodeRuntime, args: string[], dir = mkdtempSync(join(tmpdir(), 'aml-tmux-'))) {
    const env = { ...emu.env, HOME: dir, AZURE_CONFIG_DIR: dir, PATH: process.env.PATH ?? '' };
    const script = join(dir, 'run.sh');
    this.log = join(dir, 'pane.log');
    writeFileSync(this.log, '');
    writeFileSync(
      script,
      [
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
        `cd ${quote(dir)}`,
        // Waits until the pane's output is logged: nothing the CLI writes is missed.
        `while [ ! -e ${quote(`${this.log}.on`)} ]; do sleep 0.05; done`,
        `${quote(node.path)} ${quote(join(root, 'dist/cli/index.mjs'))} ${args.map(quote).join(' ')}`,
        'echo "EXIT=$?"',
        // Keeps the pane open for the last capture; the server is killed at the end.
        'exec cat > /dev/null',
      ].join('\n'),
    );
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'cli', '-x', '200', '-y', '50', `sh ${quote(script)}`);
    this.tmux('pipe-pane', '-o', '-t', 'cli', `cat >> ${quote(this.log)}`);
    writeFileSync(`${this.log}.on`, '');
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** The whole pane, scrollback included. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'cli');
  }

  /** Everything the pane received, escape sequences included. */
  raw(): string {
    return readFileSync(this.log, 'utf8');
  }

  /** Polls the screen until `pattern` shows, at most `ms`: bounded, never a fixed sleep. */
  async waitFor(pattern: RegExp, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline)
        throw new Error(`not on the screen within ${ms} ms: ${pattern}\n--- screen ---\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Types literally, as keys. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'cli', '-l', text);
  }

  key(name: string): void {
    this.tmux('send-keys', '-t', 'cli', name);
  }

  /** Pastes as a terminal does: bracketed (ESC[200~ … ESC[201~) when the program asked for it, newlines as CR. */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'clip', '--', text);
    this.tmux('paste-buffer', '-p', '-b', 'clip', '-t', 'cli');
  }

  /** Sends a signal to the CLI itself: the child of the pane's shell. */
  signalCli(signal: NodeJS.Signals): void {
    const shell = this.tmux('display-message', '-p', '-t', 'cli', '#{pane_pid}').trim();
    const child = spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.trim().split('\n')[0]!;
    process.kill(Number(child), signal);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** No three consecutive characters of the value anywhere on the screen. */
function expectNoPartOf(value: string, screen: string): void {
  for (let i = 0; i + 3 <= value.length; i++) expect([i, screen.includes(value.slice(i, i + 3))]).toEqual([i, false]);
}

const PROMPT = /Value for secret \S+ in vault \S+.*: /;
const PASTE_ON = '\u001b[?2004h';
const PASTE_OFF = '\u001b[?2004l';

/** Paste mode was switched on for the prompt, and is off again: the last switch is an off. */
function expectPasteModeOff(raw: string): void {
  expect(raw).toContain(PASTE_ON);
  expect(raw.lastIndexOf(PASTE_OFF)).toBeGreaterThan(raw.lastIndexOf(PASTE_ON));
}

async function withTerminal(term: Terminal, body: (term: Terminal) => Promise<void>): Promise<void> {
  try {
    await body(term);
  } finally {
    term.kill();
  }
}

describe.each(NODE_RUNTIMES)('the hidden prompt in a real terminal, $label', (node) => {
  const vaultFlags = () => ['--vault-url', emu.vaultUrl, '--owner', 'tmux/test'];
  const wsFlags = ['--resource-manager-endpoint', '', '--owner', 'tmux/test'];
  const inProject = () => wsFlags.map((f) => (f === '' ? emu.armUrl : f));

  itWhere(
    NO_TMUX,
    'shows the prompt, never what is typed (while typing or after), and the value lands',
    async () => {
      const name = `typed-${node.label}`;
      const value = 'Xq7Zv9Kp3Wj5#Rm2';
      await withTerminal(new Terminal(node, ['set', name, ...vaultFlags()]), async (term) => {
        await term.waitFor(PROMPT);
        term.type(value.slice(0, 8));
        // The keys were read (the terminal is in raw mode: nothing echoes); what the screen shows mid-typing:
        const midway = term.screen();
        expectNoPartOf(value, midway);
        expect(midway).not.toMatch(/\*{2,}/);
        term.type(value.slice(8));
        expectNoPartOf(value, term.screen());
        term.key('Enter');
        const after = await term.waitFor(/EXIT=\d+/);
        expect(after).toContain('EXIT=0');
        expect(after).toMatch(new RegExp(`^created +${name} +version [0-9a-f]{32}$`, 'm'));
        expectNoPartOf(value, after);
        expect((await vault.getSecret(name)).value).toBe(value);
        expectPasteModeOff(term.raw());
      });
    },
    60_000,
  );

  itWhere(
    NO_TMUX,
    'the prompt comes once the workspace vault is found, and names the secret, the vault, the workspace and the file',
    async () => {
      const name = `where-${node.label}`;
      await emu.clearRequests();
      await withTerminal(new Terminal(node, ['set', name, ...inProject()], project()), async (term) => {
        const screen = await term.waitFor(PROMPT);
        const host = new URL(emu.workspaces[WS]!.vaultUrl).host;
        expect(screen).toContain(
          `Value for secret ${name} in vault ${host} (workspace vision-train, from .azureml/config.json): `,
        );
        // Resource Manager answered before the prompt; the vault is not asked anything until the value is given.
        expect((await emu.requests('arm')).length).toBeGreaterThan(0);
        expect(await emu.requests('vault')).toEqual([]);
        term.type('where-value-1');
        term.key('Enter');
        expect(await term.waitFor(/EXIT=\d+/)).toContain('EXIT=0');
        expect((await wsVault.getSecret(name)).value).toBe('where-value-1');
      });
    },
    60_000,
  );

  itWhere(
    NO_TMUX,
    'a bad NAME, no target, a config file that is not JSON, a misspelt flag, a workspace not found: no prompt',
    async () => {
      const cases: { args: string[]; dir?: string; error: RegExp; asked?: 'arm' }[] = [
        { args: ['set', 'bad_name!', ...vaultFlags()], error: /NAME: not a valid Key Vault secret name/ },
        { args: ['set', `none-${node.label}`, '--owner', 'tmux/test'], error: /no target/ },
        { args: ['set', `json-${node.label}`, ...inProject()], dir: project('{ not json'), error: /is not valid JSON/ },
        { args: ['set', `flag-${node.label}`, ...vaultFlags(), '--dyr-run'], error: /did you mean --dry-run\?/ },
        // Valid inputs, but Resource Manager has no such workspace: asked, and nothing else.
        {
          args: ['set', `lost-${node.label}`, ...inProject()],
          dir: project(JSON.stringify({ subscription_id: SUB, resource_group: 'ml-rg', workspace_name: 'no-such-ws' })),
          error: /workspace 'no-such-ws'.*was not found/,
          asked: 'arm',
        },
      ];
      for (const c of cases) {
        await emu.clearRequests();
        await withTerminal(new Terminal(node, c.args, c.dir), async (term) => {
          const after = await term.waitFor(/EXIT=\d+/);
          expect(after).toMatch(c.error);
          expect(after).toMatch(/EXIT=[12]/);
          expect(after).not.toMatch(/Value for/);
          expect(term.raw()).not.toContain(PASTE_ON);
          const requests = await emu.requests();
          expect(requests.filter((r) => r.service !== c.asked)).toEqual([]);
        });
      }
    },
    90_000,
  );

  itWhere(
    NO_TMUX,
    'a bracketed paste of a 3-line PEM is stored whole; Enter after it submits',
    async () => {
      const name = `pem-${node.label}`;
      const pem =
        '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7\n-----END PRIVATE KEY-----';
      await withTerminal(new Terminal(node, ['set', name, ...vaultFlags()]), async (term) => {
        await term.waitFor(PROMPT);
        term.paste(`${pem}\n`);
        expectNoPartOf('MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7', term.screen());
        term.key('Enter');
        const after = await term.waitFor(/EXIT=\d+/);
        expect(after).toContain('EXIT=0');
        expect((await vault.getSecret(name)).value).toBe(pem);
        expectPasteModeOff(term.raw());
      });
    },
    60_000,
  );

  itWhere(
    NO_TMUX,
    'several lines at once without paste marks are refused: nothing written, nothing left for the shell',
    async () => {
      const name = `burst-${node.label}`;
      await withTerminal(new Terminal(node, ['set', name, ...vaultFlags()]), async (term) => {
        await term.waitFor(PROMPT);
        await emu.clearRequests();
        // A terminal that does not bracket pastes: the lines arrive as typed keys, Enter between them.
        term.type('burst-line-1\rburst-line-2\rburst-line-3\r');
        const after = await term.waitFor(/EXIT=\d+/);
        expect(after).toContain(
          'error: the value has more than one line; give it with --file PATH or a pipe (cat key.pem | aml-vault-push set NAME) (nothing was written)',
        );
        expect(after).toContain('EXIT=1');
        expect(after).not.toContain('burst-line');
        expect(await emu.requests('vault')).toEqual([]);
        await expect(vault.getSecret(name)).rejects.toMatchObject({ statusCode: 404 });
        expectPasteModeOff(term.raw());
      });
    },
    60_000,
  );

  // Ctrl-C is a key in raw mode; a signal comes from outside (kill, a closing terminal). Both give the terminal back.
  const STOPS: [string, (term: Terminal) => void][] = [
    ['Ctrl-C at the prompt', (term) => term.key('C-c')],
    ['a SIGTERM while the prompt waits', (term) => term.signalCli('SIGTERM')],
  ];
  for (const [how, stop] of STOPS) {
    itWhere(
      NO_TMUX,
      `${how} cancels: nothing is written, nothing is requested, paste mode is off`,
      async () => {
        const name = `cancelled-${node.label}`;
        await withTerminal(new Terminal(node, ['set', name, ...vaultFlags()]), async (term) => {
          await term.waitFor(PROMPT);
          await emu.clearRequests();
          term.type('Pz8Lq4Wt');
          stop(term);
          const after = await term.waitFor(/EXIT=\d+/);
          expect(after).toContain('EXIT=130');
          expect(after).toContain('Cancelled: nothing was written.');
          expectNoPartOf('Pz8Lq4Wt', after);
          expect(await emu.requests()).toEqual([]);
          await expect(vault.getSecret(name)).rejects.toMatchObject({ statusCode: 404 });
          expectPasteModeOff(term.raw());
        });
      },
      60_000,
    );
  }
});
