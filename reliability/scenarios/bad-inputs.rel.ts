// Bad input at scale: every case of lib/bad-inputs.ts (generated from the input declaration: malformed booleans,
// choices, numbers, durations, dates, URLs, GUIDs, names, lines, JSON, tags, targets, suffixes) through the GitHub
// bundle, the Azure DevOps bundle and the CLI. Each must fail before any request to any service, with a message that
// names the input in the platform's spelling (and the line, for multi-line inputs), never echoing a pasted value.
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { badInputs, expectedLabel, type BadInput } from '../lib/bad-inputs.js';
import { bySize, scenario } from '../lib/figures.js';
import { targets, type Target } from '../lib/runs.js';
import { NAME_SHAPED } from '../lib/values.js';

const S = scenario(
  'bad-inputs',
  'Bad input at scale',
  'Every invalid value the input declaration implies, for every input each platform has (booleans, choices, numbers, durations, dates, URLs, GUIDs, vault, workspace and resource group names, secrets lines, JSON, tags, targets, readers lines, allowed suffixes, time limits; over 200 per platform), each in its own run of the GitHub bundle, the Azure DevOps bundle or the CLI. Rejected means: the step failed, sent zero requests to any service (vault, Entra, Resource Manager, OIDC), named the input in its platform spelling and, for a multi-line input, the line; and a case whose text could be a pasted value (among them values shaped like a name: lower-case tokens with _, all-caps ids, words with digits, in secrets lines, secrets-json keys and the CLI’s set --env) did not see it echoed, nor a 4-character piece of it in the message. Anything else counts as accepted. The small run takes every fourth case.',
  'process runs',
  30,
);

const TARGETS = ['github/node24', 'azdo/node20', 'cli/node24'];
const EVERY = bySize(4, 1);
// HF_TOKEN holds a name-shaped value that a case writes where a name belongs, as a pasted token is.
const VALUES = {
  V: 'value-for-v',
  A: 'value-for-a',
  EMPTY_VAR: '',
  BIG_VAR: 'x'.repeat(26_000),
  HF_TOKEN: NAME_SHAPED[1]!,
};

let emu: Emulator;
let all: Target[];
beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
  all = targets(emu.env, TARGETS);
});
afterAll(async () => {
  S.save();
  await emu?.stop();
});

function inputsOf(c: BadInput): Record<string, string> {
  return {
    ...(c.ownTarget ? {} : { 'vault-url': emu.vaultUrl }),
    ...(c.ownSecrets ? {} : { secrets: 'V' }),
    ...c.with,
    [c.key]: c.text,
  };
}

/** Whether `message` holds any 4-character piece of `text` (blanks aside: " is " is in any sentence), any case. */
function carriesPiece(message: string, text: string): boolean {
  const lower = message.toLowerCase();
  for (let i = 0; i + 4 <= text.length; i++) {
    const piece = text.slice(i, i + 4).toLowerCase();
    if (!/\s/.test(piece) && lower.includes(piece)) return true;
  }
  return false;
}

const cases = (): [string, number, BadInput][] =>
  TARGETS.flatMap((label) => {
    const platform = label.split('/')[0] as 'github' | 'azdo' | 'cli';
    return badInputs(platform)
      .filter((_, i) => i % EVERY === 0)
      .map((c, i): [string, number, BadInput] => [label, i, c]);
  });

test.each(cases())('%s case %i', async (label, _i, c) => {
  const target = all.find((t) => t.label === label)!;
  await emu.clearRequests();
  const run = await target.push({ inputs: inputsOf(c), values: VALUES, ...(c.command && { command: c.command }) });
  const requests = await emu.requests();
  const message = target.platform === 'cli' ? run.stderr : run.failure;
  const label_ = expectedLabel(c, target.platform);
  const problems: string[] = [];
  if (run.ok) problems.push('the step succeeded');
  if (requests.length > 0) problems.push(`${requests.length} request(s) sent`);
  if (!message.includes(label_)) problems.push(`the message does not name ${label_}`);
  if (c.line !== undefined && !new RegExp(`line ${c.line}\\b`).test(message))
    problems.push(`the message does not name line ${c.line}`);
  // Mask registrations may carry a value (that is their job): everything else may not.
  const unmasked = (text: string) =>
    text
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::') && !l.startsWith('##vso[task.setsecret]'))
      .join('\n');
  const seen = `${unmasked(run.stdout)}\n${unmasked(run.stderr)}\n${JSON.stringify(run.outputs)}`;
  if (c.secretLike !== undefined && seen.includes(c.secretLike)) problems.push('a pasted value was echoed');
  if (c.secretLike !== undefined && carriesPiece(message, c.secretLike))
    problems.push('the message carries a piece of it');
  S.fig.cases += 1;
  if (problems.length === 0) S.fig.badInputsRejected += 1;
  else {
    S.fig.badInputsAccepted += 1;
    S.note(`${label} ${c.key} (${c.why}): ${problems.join('; ')}`);
  }
  expect([c.key, c.why, problems]).toEqual([c.key, c.why, []]);
});
