// A vault that stops answering, and a cancelled job: the step must end in bounded time. The
// figures are what was measured — when the step did not end by itself, the suite's own cut-off
// ended it, and the report says so.
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { bySize, scenario } from '../lib/figures.js';
import { nodeRuntime, runGitHubControlled } from '../lib/runs.js';
import { suffix } from '../lib/plain.js';
import { startProxy } from '../../test/helpers/proxy.js';

const S = scenario(
  'stop',
  'A silent vault and a cancelled job',
  'The vault reads every request and never answers (emulator fault "hang"). Silent vault: the GitHub bundle must end by itself (the small run sets call-timeout 2s; the full run keeps the default 30 s, so its figure is the default bound); the suite cuts off only a hang (60 s small, 300 s full). Cancel: the runner’s SIGTERM arrives 2 s into a run against the silent vault; the figure ("time to stop") is from the signal to the exit. Stalled proxy: an HTTPS proxy accepts the tunnel and then says nothing; measured like the silent vault. None may report success, and no value may appear outside the mask registrations.',
  'process runs',
  30,
);

// The step must end by itself: with the default call timeout (30 s, full run) the vault is given up after three
// silent timeouts, about 2.5 min; the small run sets call-timeout 2s to keep CI short. The cut-off is generous:
// it only catches a hang.
const CUT_OFF_MS = bySize(60_000, 300_000);
const CALL_TIMEOUT: Record<string, string> = bySize<Record<string, string>>({ 'call-timeout': '2s' }, {});
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--quiet', '--fault-rate', '1', '--fault-status', 'hang']);
});
afterAll(async () => {
  S.save();
  await emu?.stop();
});

const inputs = () => {
  const tag = `st${suffix()}`;
  return { 'vault-url': emu.vaultUrl, secrets: `${tag}-a=SA\n${tag}-b=SB`, ...CALL_TIMEOUT };
};
const unmasked = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const values = { SA: 'silent-vault-value-a', SB: 'silent-vault-value-b' };

test('silent vault: the step ends (by itself, or is cut off — reported)', async () => {
  const r = await runGitHubControlled(
    nodeRuntime('node24'),
    inputs(),
    { ...emu.env, ...values },
    { cutOffMs: CUT_OFF_MS },
  );
  S.fig.cases++;
  S.note(
    r.cutOff
      ? `silent vault: the step had not ended after ${Math.round(r.ms / 1000)} s; the suite cut it off`
      : `silent vault (call-timeout ${CALL_TIMEOUT['call-timeout'] ?? 'default 30s'}): the step ended by itself after ${(r.ms / 1000).toFixed(1)} s with exit code ${r.code}, ${/has not answered/.test(r.stdout) ? 'saying the vault has not answered' : 'without saying why'}`,
  );
  expect(unmasked(r.stdout + r.stderr)).not.toContain(values.SA);
  expect(r.code === 0).toBe(false); // nothing can have been written: it must not report success
  expect(r.cutOff).toBe(false); // bounded time: it ends by itself
});

test('cancel: SIGTERM 2 s into a run against the silent vault; time from the signal to the exit', async () => {
  const r = await runGitHubControlled(
    nodeRuntime('node24'),
    inputs(),
    { ...emu.env, ...values },
    {
      signalAfterMs: 2_000,
      cutOffMs: 60_000,
    },
  );
  S.fig.cases++;
  S.fig.stopMs = r.stopMs ?? null;
  S.note(
    `cancel: exited ${r.cutOff ? 'only when the suite killed it' : `by itself`} ${((r.stopMs ?? 0) / 1000).toFixed(1)} s after SIGTERM` +
      ` (code ${r.code}, signal ${r.signal ?? 'none'}); it reported ${/::error::/.test(r.stdout) ? 'an error' : 'no error'}` +
      ` and ${r.outputs.includes('failed') ? 'its outputs' : 'no outputs'}`,
  );
  expect(unmasked(r.stdout + r.stderr)).not.toContain(values.SA);
  expect(r.code === 0).toBe(false);
});

test('a proxy that accepts the tunnel and then says nothing: the step ends (or is cut off — reported)', async () => {
  const proxy = await startProxy('stall');
  try {
    const env = {
      ...emu.env,
      IDENTITY_ENDPOINT: emu.env.IDENTITY_ENDPOINT.replace('//localhost:', '//127.0.0.1:'),
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      NO_PROXY: '127.0.0.1',
      ...values,
    };
    const r = await runGitHubControlled(nodeRuntime('node24'), inputs(), env, { cutOffMs: CUT_OFF_MS });
    S.fig.cases++;
    const named = /::error::.*the HTTPS proxy http:\/\/127\.0\.0\.1/.test(r.stdout);
    S.note(
      r.cutOff
        ? `stalled proxy: the step had not ended after ${Math.round(r.ms / 1000)} s; the suite cut it off`
        : `stalled proxy: the step ended by itself after ${(r.ms / 1000).toFixed(1)} s (code ${r.code}), ${named ? 'naming the proxy' : 'without naming the proxy'}`,
    );
    expect(unmasked(r.stdout + r.stderr)).not.toContain(values.SA);
    expect(r.code === 0).toBe(false);
    expect(r.cutOff).toBe(false);
  } finally {
    await proxy.stop();
  }
});
