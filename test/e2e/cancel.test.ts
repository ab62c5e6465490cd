// A cancelled job: the runner or the agent signals the step mid-run. The bundles, started as the
// runner and the agent start them, must stop within a few seconds, say which secrets were written and which were
// not, and a rerun must complete the rest without a second version of anything.
import type { ChildProcess } from 'node:child_process';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runAzdoTask, runGitHubAction } from '../helpers/bundles.js';
import { vaultClient, versionCount } from '../helpers/vault-client.js';

const COUNT = 30;

describe.each(NODE_RUNTIMES)('cancelled on $label', (node) => {
  let emu: Emulator;
  beforeAll(async () => {
    // Slow calls and two at a time, so the run is still writing when the signal comes.
    emu = await startEmulator(['--latency-ms', '150']);
  });
  afterAll(async () => emu?.stop());

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s mid-run: stops promptly, names what was and was not written; a rerun completes the rest',
    async (signal) => {
      const prefix = `cancel-${signal.toLowerCase()}`;
      const names = Array.from({ length: COUNT }, (_, i) => `${prefix}-${i}`);
      const values = Object.fromEntries(names.map((n, i) => [`V_${i}`, `value of ${n}`]));
      const inputs = {
        'vault-url': emu.vaultUrl,
        secrets: names.map((n, i) => `${n}=V_${i}`).join('\n'),
        'max-concurrency': '2',
      };
      const env = { ...emu.env, ...values };
      await emu.clearRequests();

      let child: ChildProcess | undefined;
      const run = runGitHubAction({ node, inputs, env, onSpawn: (c) => (child = c) });
      // Signal once a few writes have landed (the emulator's log says so), as a cancel would come mid-run.
      for (;;) {
        const writes = (await emu.requests('vault')).filter((r) => r.method === 'PUT' && r.status === 200);
        if (writes.length >= 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const signalledAt = Date.now();
      child!.kill(signal);
      const first = await run;
      const stoppedAfterMs = Date.now() - signalledAt;

      expect(first.code).not.toBe(0);
      expect(stoppedAfterMs).toBeLessThan(5_000);
      const created = JSON.parse(first.outputs.created ?? '[]') as string[];
      const failedLines = first.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(failedLines.join('\n')).toMatch(new RegExp(`cancelled \\(${signal}\\)`));
      expect(first.stdout).toMatch(/Stopped: the job was cancelled .*secret\(s\) written/);
      // Some were written, not all; every one not written is named in the failure.
      expect(created.length).toBeGreaterThan(0);
      expect(created.length).toBeLessThan(COUNT);
      for (const n of names.filter((x) => !created.includes(x))) expect(failedLines.join('\n')).toContain(n);

      const rerun = await runGitHubAction({ node, inputs, env });
      expect(rerun.code).toBe(0);
      const again = JSON.parse(rerun.outputs.created ?? '[]') as string[];
      const unchanged = JSON.parse(rerun.outputs.unchanged ?? '[]') as string[];
      expect([...again, ...unchanged].sort()).toEqual([...names].sort());
      for (const n of created) expect(unchanged).toContain(n);
      await emu.configure({ latencyMs: 0 });
      try {
        const admin = vaultClient(emu);
        const seen = await Promise.all(
          names.map(async (n) => [(await admin.getSecret(n)).value, await versionCount(admin, n)]),
        );
        expect(seen).toEqual(names.map((_, i) => [values[`V_${i}`], 1]));
      } finally {
        await emu.configure({ latencyMs: 150 });
      }
    },
  );

  it('a run at full concurrency, signal wired, prints no listener-leak warning', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `no-leak-warning-${i}`);
    const values = Object.fromEntries(names.map((n, i) => [`W_${i}`, `value of ${n}`]));
    const run = await runGitHubAction({
      node,
      inputs: { 'vault-url': emu.vaultUrl, secrets: names.map((n, i) => `${n}=W_${i}`).join('\n') },
      env: { ...emu.env, ...values },
    });
    expect(run.code).toBe(0);
    // Node's warning when more than ten listeners wait on one AbortSignal.
    expect(run.stderr).not.toMatch(/MaxListenersExceeded|memory leak/);
  });

  it('Azure DevOps: SIGINT (what the agent sends first) mid-run stops the task, failed, naming the rest; a rerun completes it', async () => {
    const names = Array.from({ length: COUNT }, (_, i) => `azdo-cancel-${i}`);
    const secretVariables = Object.fromEntries(names.map((n, i) => [`A_${i}`, `value of ${n}`]));
    const inputs = {
      vaultUrl: emu.vaultUrl,
      secrets: names.map((n, i) => `${n}=A_${i}`).join('\n'),
      maxConcurrency: '2',
    };
    await emu.clearRequests();
    let child: ChildProcess | undefined;
    const run = runAzdoTask({ node, inputs, secretVariables, env: emu.env, onSpawn: (c) => (child = c) });
    for (;;) {
      const writes = (await emu.requests('vault')).filter((r) => r.method === 'PUT' && r.status === 200);
      if (writes.length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const signalledAt = Date.now();
    child!.kill('SIGINT');
    const first = await run;
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(first.result).toBe('Failed');
    const failure = first.commands
      .filter((c) => (c.command === 'task.issue' || c.command === 'task.logissue') && c.properties.type === 'error')
      .map((c) => c.data)
      .join('\n');
    expect(failure).toMatch(/cancelled \(SIGINT\)/);
    const created = JSON.parse(first.outputs.created ?? '[]') as string[];
    expect(created.length).toBeGreaterThan(0);
    for (const n of names.filter((x) => !created.includes(x))) expect(failure).toContain(n);

    const rerun = await runAzdoTask({ node, inputs, secretVariables, env: emu.env });
    expect(rerun.result).toBe('Succeeded');
    await emu.configure({ latencyMs: 0 });
    try {
      const admin = vaultClient(emu);
      const seen = await Promise.all(
        names.map(async (n) => [(await admin.getSecret(n)).value, await versionCount(admin, n)]),
      );
      expect(seen).toEqual(names.map((_, i) => [secretVariables[`A_${i}`], 1]));
    } finally {
      await emu.configure({ latencyMs: 150 });
    }
  });
});
