// A real terminal: the CLI bundle's `set NAME` runs in a tmux pane, the test waits for the prompt on the screen,
// types the value key by key, and the screen shows no part of it, while typing or after; the value then lands in
// the vault. Ctrl-C at the prompt writes nothing. Needs tmux (.ci/run installs it); skipped, with the reason, without.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

let emu: Emulator;
let vault: SecretClient;
beforeAll(async () => {
  emu = await startEmulator();
  vault = vaultClient(emu);
});
afterAll(async () => emu?.stop());

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** One tmux server of its own (its own socket), with one pane running `set NAME` and then saying its exit code. */
class Terminal {
  private readonly socket = `aml-prompt-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(node: NodeRuntime, name: string) {
    const dir = mkdtempSync(join(tmpdir(), 'aml-tmux-'));
    const env = { ...emu.env, HOME: dir, PATH: process.env.PATH ?? '' };
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      [
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
        `cd ${quote(dir)}`,
        // stdout (the JSON) to a file; the prompt and the plan on the terminal.
        `${quote(node.path)} ${quote(join(root, 'dist/cli/index.mjs'))} set ${name} --vault-url ${quote(emu.vaultUrl)} --owner tmux/test > out.json`,
        'echo "EXIT=$?"',
        // Keeps the pane open for the last capture; the server is killed at the end.
        'exec cat > /dev/null',
      ].join('\n'),
    );
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'cli', '-x', '160', '-y', '40', `sh ${quote(script)}`);
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

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** No three consecutive characters of the value anywhere on the screen. */
function expectNoPartOf(value: string, screen: string): void {
  for (let i = 0; i + 3 <= value.length; i++) expect([i, screen.includes(value.slice(i, i + 3))]).toEqual([i, false]);
}

const PROMPT = /Value for \S+ \(not shown as you type; Enter to finish, Ctrl-C to cancel\): /;

describe.each(NODE_RUNTIMES)('the hidden prompt in a real terminal, $label', (node) => {
  itWhere(
    NO_TMUX,
    'shows the prompt, never what is typed (while typing or after), and the value lands',
    async () => {
      const name = `typed-${node.label}`;
      const value = 'Xq7Zv9Kp3Wj5#Rm2';
      const term = new Terminal(node, name);
      try {
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
        expect(after).toMatch(new RegExp(`${name}: create`));
        expectNoPartOf(value, after);
        expect((await vault.getSecret(name)).value).toBe(value);
      } finally {
        term.kill();
      }
    },
    60_000,
  );

  itWhere(
    NO_TMUX,
    'Ctrl-C at the prompt cancels: nothing is written, nothing is requested',
    async () => {
      const name = `cancelled-${node.label}`;
      const term = new Terminal(node, name);
      try {
        await term.waitFor(PROMPT);
        await emu.clearRequests();
        term.type('Pz8Lq4Wt');
        term.key('C-c');
        const after = await term.waitFor(/EXIT=\d+/);
        expect(after).toContain('EXIT=130');
        expect(after).toContain('Cancelled: nothing was written.');
        expectNoPartOf('Pz8Lq4Wt', after);
        expect(await emu.requests()).toEqual([]);
        await expect(vault.getSecret(name)).rejects.toMatchObject({ statusCode: 404 });
      } finally {
        term.kill();
      }
    },
    60_000,
  );
});
