// Each failure is stated once per platform. The bundles as the runner, the agent and a terminal run them, against
// the emulator: a 403 on one secret, a secret blocked because someone else owns it, and a target of a fleet whose
// workspace does not exist. The failure's text appears exactly once in the log (GitHub: stdout with its ::error::
// and ::warning:: commands; Azure DevOps: stdout with its task.issue and task.complete commands; the CLI: stderr);
// the plan line and the progress lines only point at it. The job summary is a document of its own and may hold it.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runCli } from '../helpers/bundles.js';
import { HARNESSES } from '../helpers/harness.js';
import { vaultClient } from '../helpers/vault-client.js';

const SUB = '11111111-2222-4333-8444-555555555501';
const WS = `${SUB}/rg/ws1`;
const MISSING = `${SUB}/rg/no-such-ws`;
const VALUES = { V: 'failure-once-value-1' };

const count = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * The log as a person reads it without the debug switch: not the agent's debug lines, nor the commands that set
 * output variables (outputs, like the summary, are documents of their own; `results` holds each target's error).
 */
const shownLog = (stdout: string) =>
  stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('##vso[task.debug]') && !l.startsWith('##vso[task.setvariable'))
    .join('\n');

interface Scenario {
  title: string;
  /** The failure's own words: in the log once. */
  needle: string;
  setUp(emu: Emulator): Promise<void>;
  /** Inputs by their GitHub names. */
  inputs(emu: Emulator): Record<string, string>;
  tearDown(emu: Emulator): Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    title: 'a 403 from the vault',
    needle: 'ForbiddenByRbac',
    setUp: (emu) => emu.configure({ secretRoles: { 'locked-down': 'reader' } }),
    inputs: (emu) => ({ 'vault-url': emu.workspaces[WS]!.vaultUrl, secrets: 'locked-down=V\nopen-one=V' }),
    tearDown: (emu) => emu.configure({ secretRoles: {} }),
  },
  {
    title: 'a secret someone else owns (blocked)',
    needle: 'not overwriting it',
    setUp: async (emu) => {
      await vaultClient(emu, emu.workspaces[WS]!.vaultUrl).setSecret('made-by-hand', 'by-hand');
    },
    inputs: (emu) => ({ 'vault-url': emu.workspaces[WS]!.vaultUrl, secrets: 'made-by-hand=V' }),
    tearDown: async () => undefined,
  },
  {
    title: 'a fleet target whose workspace does not exist',
    needle: 'was not found: check',
    setUp: async () => undefined,
    inputs: (emu) => ({
      targets: `${WS}\n${MISSING}`,
      'resource-manager-endpoint': emu.armUrl,
      secrets: 'fleet-one=V',
    }),
    tearDown: async () => undefined,
  },
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', WS]);
});
afterAll(async () => emu?.stop());

describe.each(HARNESSES)('$label', ({ make }) => {
  it.each(SCENARIOS)('$title: stated once in the log', async (s) => {
    await s.setUp(emu);
    try {
      const run = await make(emu.env).push({ inputs: s.inputs(emu), values: VALUES });
      expect(run.ok).toBe(false);
      expect(run.failure).toContain(s.needle);
      expect(count(shownLog(run.stdout), s.needle)).toBe(1);
    } finally {
      await s.tearDown(emu);
    }
  });
});

describe.each(NODE_RUNTIMES)('the CLI on $label', (node) => {
  it.each(SCENARIOS)('$title: stated once on standard error', async (s) => {
    await s.setUp(emu);
    try {
      const args = Object.entries(s.inputs(emu)).flatMap(([k, v]) => v.split('\n').flatMap((line) => [`--${k}`, line]));
      const run = await runCli(node.path, args, {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...emu.env,
        ...VALUES,
      });
      expect(run.code).toBe(1);
      // A terminal shows both streams: the line on standard output points at the error, never repeats it.
      expect(count(`${run.stdout}\n${run.stderr}`, s.needle)).toBe(1);
      // In the error at the end (its lines after the first name the other failures).
      expect(run.stderr).toMatch(new RegExp(`^error: [\\s\\S]*${s.needle}`, 'm'));
    } finally {
      await s.tearDown(emu);
    }
  });
});
