// Leak hunting: generated values (lib/values.ts) through every entry point and every path — success,
// update, dry run, each vault failure (403, 409, 429/500/503 storms, connection resets), an invalid
// sibling entry, a bad sign-in — with every debug switch on. Scanned per lib/check.ts.
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { vaultClient } from '../../test/helpers/vault-client.js';
import { landing, piecesFor, readVault, scanRun } from '../lib/check.js';
import { bySize, scenario, SEED } from '../lib/figures.js';
import { targets, type Target } from '../lib/runs.js';
import { redact } from '../lib/scan.js';
import { sampleNameShaped, sampleValues } from '../lib/values.js';

const S = scenario(
  'leaks',
  'Leak hunting with generated values',
  'Seeded generated values (CR/LF/CRLF lines, %, %25, %AZP25, ;, ], ::, ##vso[, ##[, ::stop-commands::, quotes, backslashes, non-ASCII, emoji, 1-character lines, values equal to a name, values shaped like a name (lower-case tokens with _, all-caps ids, words with digits), values of 2 to 24 KB, JSON key documents) pushed through each bundle and the CLI, 20 (small) or 50 (full) per process run, on each path: success, update, dry run, 403 on some secrets, 409 soft-deleted with on-deleted fail, an invalid sibling entry (names carrying ##vso[, ::error::, ::stop-commands::, and a name-shaped value written where a variable’s name belongs), a bad sign-in, and in the full run 30 % storms of 429, 500, 503 and connection resets — with ACTIONS_STEP_DEBUG, RUNNER_DEBUG, System.Debug and AZURE_LOG_LEVEL=verbose on. stdout, stderr, outputs, summaries and every file under the run’s temp folders are scanned for each value, each line and their JSON, URL, command-escaped and base64 (3 offsets) forms; a value may appear only in mask registrations, which must come first and cover every line. Any logging command the tool did not mean to issue counts as a leak. The secrets that land are read back: a wrong one counts.',
  'process runs',
  10,
);

type Path =
  | 'success'
  | 'update'
  | 'dry-run'
  | '403'
  | '409'
  | '429'
  | '500'
  | '503'
  | 'reset'
  | 'invalid-sibling'
  | 'bad-sign-in';
const ALL_PATHS: Path[] = [
  'success',
  'update',
  'dry-run',
  '403',
  '409',
  '429',
  '500',
  '503',
  'reset',
  'invalid-sibling',
  'bad-sign-in',
];
const PATHS: Path[] = process.env.REL_PATHS
  ? (process.env.REL_PATHS.split(',') as Path[])
  : bySize(['success', 'update', 'dry-run', '403', '409', 'invalid-sibling', 'bad-sign-in'], ALL_PATHS);
const BATCH = bySize(20, 50);
const TARGETS = bySize(['github/node24', 'azdo/node20', 'cli/node24'], undefined);
const FAULT: Partial<Record<Path, number | 'reset'>> = { '429': 429, '500': 500, '503': 503, reset: 'reset' };

let emu: Emulator;
let client: SecretClient;
let all: Target[];
let runNo = 0;

beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
  client = vaultClient(emu);
  all = targets(emu.env, TARGETS);
});
let skippedPieces = 0;
let scannedPieces = 0;
afterAll(async () => {
  S.note(
    `${scannedPieces} pieces (values, lines and their encodings) searched for; ${skippedPieces} too short or too common to search for (see “What the columns mean”), each still registered as a mask`,
  );
  S.save();
  await emu?.stop();
});

const cases = (): [string, Path][] =>
  (TARGETS ?? ['github/node20', 'github/node24', 'azdo/node20', 'azdo/node24', 'cli/node20', 'cli/node24']).flatMap(
    (t) => PATHS.map((p): [string, Path] => [t, p]),
  );

test.each(cases())('%s, path %s', async (label, path) => {
  const target = all.find((t) => t.label === label)!;
  const n = ++runNo;
  const values = sampleValues(SEED + n * 7919, BATCH);
  const names = values.map((_, i) => `lk${n}-${path.replace(/[^a-z0-9]/g, '')}-${i}`);
  values[1] = names[2]!; // a value equal to another secret's name
  // A value shaped like a name (hf_…, AKIA…, hunter7), which the invalid sibling also writes where a name belongs.
  if (path === 'invalid-sibling') values[3] = sampleNameShaped(SEED + n, 1)[0]!;
  const secrets = Object.fromEntries(names.map((name, i) => [name, { variable: `LKV${i}`, value: values[i]! }]));
  const pushed = Object.fromEntries(names.map((name, i) => [name, values[i]!]));
  const before: Record<string, string | undefined> = {};
  const inputs: Record<string, string> = {
    'vault-url': emu.vaultUrl,
    secrets: names.map((name, i) => `${name}=LKV${i}`).join('\n'),
  };
  const env: Record<string, string> = {};
  const third = names.filter((_, i) => i % 3 === 0);
  let badInput = false;

  switch (path) {
    case 'update':
      inputs['adopt-unowned'] = 'true';
      await Promise.all(
        names.map(async (name) => {
          before[name] = `previous ${name}`;
          await client.setSecret(name, before[name]!);
        }),
      );
      break;
    case 'dry-run':
      inputs['dry-run'] = 'true';
      break;
    case '403':
      await emu.configure({ secretRoles: Object.fromEntries(third.map((name) => [name, 'none'])) });
      break;
    case '409':
      inputs['on-deleted'] = 'fail';
      await Promise.all(
        third.map(async (name) => {
          await client.setSecret(name, `deleted ${name}`);
          await (await client.beginDeleteSecret(name, { intervalInMs: 50 })).pollUntilDone();
        }),
      );
      break;
    case 'invalid-sibling':
      badInput = true;
      inputs.secrets +=
        '\nbad_name!=LKV0\n##vso[task.setvariable variable=pwn]x=LKV1\n::error::pwn=LKV2\n::stop-commands::tok=LKV3' +
        `\npasted=${values[3]!}\n${values[3]!}`;
      break;
    case 'bad-sign-in':
      env.IDENTITY_HEADER = 'not-the-header';
      break;
    default:
      break;
  }
  const fault = FAULT[path];
  if (fault !== undefined) await emu.configure({ faultRate: 0.3, faultStatus: fault, seed: SEED + n });
  await emu.clearRequests();

  const run = await target.push({
    inputs,
    values: Object.fromEntries(names.map((_, i) => [`LKV${i}`, values[i]!])),
    debug: true,
    env,
  });
  const log = await emu.requests();
  await emu.configure({ faultRate: 0, secretRoles: {} });

  const pieces = piecesFor(secrets);
  const report = scanRun(target, run, pieces);
  skippedPieces += report.skipped;
  for (const p of pieces.values()) scannedPieces += p.pieces.length;
  S.fig.cases++;
  S.fig.values += values.length;
  S.fig.leaks += report.findings.length;
  for (const f of report.findings.slice(0, 5)) S.note(`${label} ${path}: ${f.where}: ${f.what}`);

  const problems: string[] = [];
  if (badInput) {
    const clean = !run.ok && log.length === 0;
    if (clean) S.fig.badInputsRejected++;
    else S.fig.badInputsAccepted++;
    if (!clean) problems.push(`bad input: ok=${run.ok}, ${log.length} requests`);
  } else if (path === 'bad-sign-in') {
    if (run.ok) problems.push('a failed sign-in succeeded');
    const written = log.filter((r) => r.service === 'vault' && r.method === 'PUT' && r.status === 200);
    if (written.length > 0) problems.push(`${written.length} writes without a valid sign-in`);
  } else {
    const after = await readVault(client, names);
    if (path === 'dry-run') {
      const landed = names.filter((name) => after.get(name) !== undefined);
      S.fig.wrong += landed.length;
      if (!run.ok || landed.length > 0) problems.push(`dry run: ok=${run.ok}, ${landed.length} written`);
    } else {
      const l = landing(run, pushed, before, after);
      S.fig.lost += l.lost.length;
      S.fig.wrong += l.wrong.length;
      if (l.lost.length + l.wrong.length > 0) problems.push(`lost ${l.lost.length}, wrong ${l.wrong.length}`);
      if (fault !== undefined) {
        S.fig.faultsInjected += log.filter((r) => [429, 500, 503, 0].includes(r.status)).length;
        if (l.lost.length + l.wrong.length === 0) S.fig.faultsSurvived++;
        if (l.failedButLanded.length)
          S.note(`${label} ${path}: ${l.failedButLanded.length} reported failed but landed`);
        if (!run.ok) S.note(`${label} ${path}: step failed, naming ${l.notLanded.length} secrets that did not land`);
      }
      const expectFail = path === '403' || path === '409';
      if (expectFail && run.ok) problems.push('a denied secret did not fail the step');
      if (path === 'success' || path === 'update')
        if (!run.ok) problems.push(`step failed: ${run.failure.slice(0, 300)}`);
    }
  }
  for (const p of problems) S.note(`${label} ${path}: ${p}`);
  if (problems.length > 0 && process.env.RELIABILITY_DIAGNOSE)
    console.log(`${label} ${path}\n${redact(`${run.failure}\n---\n${run.stderr.slice(-3000)}`, pieces)}`);
  expect(report.findings).toEqual([]);
  expect(problems).toEqual([]);
});
