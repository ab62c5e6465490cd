// Bad inputs at scale, from the input declaration: for every input a platform has, values its kind must refuse
// (malformed booleans, choices, numbers, durations, dates, URLs, GUIDs, names, lines, JSON, tags, targets, readers, suffixes),
// each with what the step must say: the input in the platform's spelling, and the line for multi-line inputs.
// Seeded: the same seed gives the same cases. Never a real secret: values that look like one are marked, and the
// scenario checks they are not echoed.
import { ALL_INPUTS, inputLabel, inputsOf, type AnyInputKey, type Platform } from '../../src/core/inputs/inputs.js';
import { NAME_SHAPED, sampleNameShaped } from './values.js';

export interface BadInput {
  key: AnyInputKey;
  /** The input's text. */
  text: string;
  /** Other inputs the case needs (e.g. secrets-json for include); they are valid. */
  with?: Record<string, string>;
  /** The case gives its own target, so the base vault-url is left out. */
  ownTarget?: boolean;
  /** The case gives its own secrets, so the base `secrets` is left out. */
  ownSecrets?: boolean;
  /** The line the message must name (multi-line inputs). */
  line?: number;
  /** Text that could be a pasted value: the message must not contain it. */
  secretLike?: string;
  /** What is wrong, for the report. */
  why: string;
  /** The CLI command and its NAME (e.g. set NAME), when the case is not a push. */
  command?: string[];
}

/** Values shaped like names (they pass the name check): the fixed ones, and seeded generated ones of each shape. */
const NAME_SHAPED_CASES = [...NAME_SHAPED, ...sampleNameShaped(18, 9)];

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const GUIDISH = [
  'not-a-guid',
  '1234',
  `{${SUB}}`,
  `${SUB}-1`,
  SUB.replaceAll('-', ''),
  `${SUB.slice(0, -1)}g`,
  `${SUB} ${SUB}`,
  SUB.slice(1),
];

/** Boolean inputs read true/false in any case; everything else is refused. */
const BOOLEANS = ['yes', 'no', '1', '0', 'on', 'off', 'tru', 'y', 'false false', 'TRUE!'];

function numbers(min: number, max: number): string[] {
  return [
    String(min - 1),
    String(max + 1),
    'abc',
    '1.5',
    '1e2',
    '0x10',
    '12 12',
    '-',
    '99999999999',
    '+-3',
    '３',
    'NaN',
    'Infinity',
  ];
}

const DURATIONS = [
  '90',
  'd90',
  '0d',
  '-5d',
  '90 days',
  '1y',
  '5s',
  '1.5d',
  '99999999999999w',
  'P90D',
  '90dd',
  '1h30m',
  'forever',
];
const DATES = [
  'yesterday',
  '2031-13-01',
  '2031-02-30',
  '31/12/2031',
  '2031-01-01T25:00:00Z',
  '20310101',
  'soon',
  '2031-1-1',
  '2031-01-01T10:00+25:00',
  '+275760-09-14T00:00:00Z',
];
const URLS = [
  'http://x.example',
  'ftp://x.example',
  'not a url',
  'https://user:pw@x.example',
  'https://x.example/?q=1',
  'https://x.example/#f',
  'https://',
  'javascript:alert(1)',
  '//x.example',
];

/** Cases for one input, by its kind, plus the input's own rules. */
function casesFor(key: AnyInputKey, platform: Platform): BadInput[] {
  const kind = ALL_INPUTS[key].kind;
  const simple = (texts: string[], why: string, extra: Partial<BadInput> = {}): BadInput[] =>
    texts.map((text) => ({ key, text, why, ...extra }));

  switch (key) {
    case 'secrets':
      return [
        { key, text: 'bad_name!=V', line: 1, why: 'invalid secret name before =' },
        { key, text: '=V', line: 1, why: 'nothing before =' },
        { key, text: 'V\nname=', line: 2, why: 'nothing after =' },
        { key, text: 'p@ss w0rd!', line: 1, secretLike: 'p@ss w0rd!', why: 'a value pasted where a variable belongs' },
        {
          key,
          text: 'V\nhunter2 is my password',
          line: 2,
          secretLike: 'hunter2 is my password',
          why: 'a pasted value',
        },
        { key, text: '1VAR', line: 1, why: 'variable name starting with a digit' },
        { key, text: 'MISSING_VARIABLE_X', line: 1, why: 'variable not set' },
        { key, text: `${'n'.repeat(128)}=V`, line: 1, why: 'name over 127 characters' },
        { key, text: 'V\nv=V', line: 2, why: 'two lines become one name (case-insensitive)' },
        { key, text: 'EMPTY_VAR', line: 1, why: 'empty value without allow-empty' },
        { key, text: 'BIG_VAR', line: 1, why: 'value over 25 KB' },
        { key, text: 'A=B=C', line: 1, why: 'a second = in the variable' },
        { key, text: 'VAR-WITH-DASH', line: 1, why: 'a variable name with a dash' },
        { key, text: '$(V)', line: 1, why: 'a macro where a variable name belongs' },
        { key, text: 'V\n${{ secrets.X }}', line: 2, why: 'an expression where a variable name belongs' },
        ...NAME_SHAPED_CASES.flatMap((v) => [
          { key, text: v, line: 1, secretLike: v, why: 'a name-shaped value as the line' },
          { key, text: `V\npasted=${v}`, line: 2, secretLike: v, why: "a name-shaped value after '='" },
        ]),
      ].map((c) => ({ ...c, ownSecrets: true }));
    case 'secrets-json': {
      const json = (text: string, why: string, secretLike?: string): BadInput => ({
        key,
        text,
        why,
        ownSecrets: true,
        ...(secretLike && { secretLike }),
      });
      // The pasted-value texts share no 4-letter word with a message ("value", "string", "quote" would match any).
      return [
        json('{"A": "s3cr3t-v4lu3-x", ', 'truncated JSON', 's3cr3t-v4lu3-x'),
        json('[]', 'an array'),
        json('{"A": 1}', 'a number value'),
        json('"ju5t-4-5tr1ng"', 'a string', 'ju5t-4-5tr1ng'),
        json('null', 'null'),
        json('{"A": {"b": "c"}}', 'an object value'),
        json('{"a b": "v"}', 'a key that is no secret name'),
        json('{"A": "v", "a": "w"}', 'two keys become one name'),
        json("{'A': 's1ngl3-qu0t3d-v4l'}", 'single quotes', 's1ngl3-qu0t3d-v4l'),
        json('{"A": ""}', 'empty value'),
        json('{"A": "v", "hf_AbCd 1234x": "B"}', 'a key that is no name, shaped like a value', 'hf_AbCd 1234x'),
      ];
    }
    case 'include':
    case 'exclude':
      return [
        { key, text: '*', ownSecrets: true, with: { secrets: 'V' }, why: 'a filter without secrets-json' },
        {
          key,
          text: key === 'include' ? 'NOTHING_MATCHES_*' : '*',
          ownSecrets: true,
          with: { 'secrets-json': '{"A":"v"}' },
          why: 'a filter that leaves no secret',
        },
      ];
    case 'tags':
      return [
        { key, text: 'noequals', line: 1, why: 'no =' },
        { key, text: 'a=1\n=v', line: 2, why: 'no name' },
        { key, text: 'managed-by=x', line: 1, why: 'the ownership tag' },
        { key, text: 'aml-vault-push-owner=x', line: 1, why: 'the owner tag' },
        { key, text: 'k=v\nK=w', line: 2, why: 'a tag twice' },
        { key, text: Array.from({ length: 14 }, (_, i) => `t${i}=v`).join('\n'), why: 'more than 13 tags' },
        { key, text: `${'k'.repeat(513)}=v`, line: 1, why: 'tag name over 512' },
        { key, text: `k=${'v'.repeat(513)}`, line: 1, why: 'tag value over 512' },
        { key, text: 'a=1, b', line: 1, why: 'a comma-separated item without =' },
        { key, text: 'a=1\nb=2\n = ', line: 3, why: 'a blank name' },
      ];
    case 'targets':
      return [
        { key, text: 'a/b/c/d', line: 1, why: 'four parts' },
        { key, text: 'vault-name:', line: 1, why: 'no vault name' },
        { key, text: 'vault-name:ab', line: 1, why: 'vault name too short' },
        { key, text: 'http://kv.vault.azure.net', line: 1, why: 'http' },
        { key, text: 'https://evil.example', line: 1, why: 'a foreign vault host' },
        { key, text: 'rg-1/ws-1', line: 1, why: 'no subscription for RG/WS' },
        { key, text: 'vault-name:kv-one\nvault-name:kv-one', line: 2, why: 'a duplicate target' },
        { key, text: `not-a-guid/rg-1/ws-1`, line: 1, why: 'subscription is no GUID' },
        { key, text: `${SUB}/rg./ws-1`, line: 1, why: 'resource group ends with .' },
        { key, text: `${SUB}/rg-1/w`, line: 1, why: 'workspace name too short' },
      ].map((c) => ({ ...c, ownTarget: true }));
    case 'readers': {
      const uai = `/subscriptions/${SUB}/resourceGroups/rg-1/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
      const ws = {
        ownTarget: true,
        with: { 'workspace-name': 'ws-1', 'resource-group': 'rg-1', 'subscription-id': SUB },
      };
      return [
        { key, text: 'cluster:gpu', line: 1, ...ws, why: 'none of the four forms' },
        { key, text: 'workspace\nserverles', line: 2, ...ws, why: 'a bare word' },
        { key, text: 'compute:', line: 1, ...ws, why: 'an empty compute name' },
        { key, text: 'principal:', line: 1, why: 'an empty object id' },
        { key, text: 'compute:9gpu', line: 1, ...ws, why: 'a compute name starting with a digit' },
        { key, text: 'compute:gpu-', line: 1, ...ws, why: "a compute name ending with '-'" },
        { key, text: `compute:${'g'.repeat(25)}`, line: 1, ...ws, why: 'a compute name over 24' },
        { key, text: 'compute:gpu_1', line: 1, ...ws, why: "a compute name with '_'" },
        { key, text: 'principal:not-a-guid', line: 1, why: 'an object id that is no GUID' },
        { key, text: `principal:${SUB}-1`, line: 1, why: 'an object id too long' },
        { key, text: 'identity:uai-train', line: 1, why: 'an identity name, not its resource id' },
        {
          key,
          text: `identity:${uai.replace('ManagedIdentity', 'Compute')}/x`,
          line: 1,
          why: 'not a user-assigned identity id',
        },
        { key, text: `identity:${uai}/`, line: 1, why: 'an identity id without a name' },
        { key, text: 'compute:gpu', line: 1, why: 'compute: with a vault target' },
        { key, text: `principal:${SUB}\nworkspace`, line: 2, why: 'workspace with a vault target' },
        { key, text: 'compute:gpu\ncompute:GPU', line: 2, ...ws, why: 'a reader twice' },
        { key, text: 'endpoint:', line: 1, ...ws, why: 'an endpoint with no name' },
        { key, text: 'endpoint:ab', line: 1, ...ws, why: 'an endpoint name under 3' },
        { key, text: `endpoint:${'e'.repeat(33)}`, line: 1, ...ws, why: 'an endpoint name over 32' },
        { key, text: 'endpoint:1score', line: 1, ...ws, why: 'an endpoint name starting with a digit' },
        { key, text: 'endpoint:score_v1', line: 1, ...ws, why: "an endpoint name with '_'" },
        { key, text: 'endpoint:score\nendpoint:SCORE', line: 2, ...ws, why: 'an endpoint twice' },
        { key, text: 'endpoint:score', line: 1, why: 'endpoint: with a vault target' },
        { key, text: `principal:${SUB}\nserverless`, line: 2, why: 'serverless with a vault target' },
      ];
    }
    case 'allowed-vault-suffixes':
      return simple(
        ['local', '10.0.0.1', 'a..b', 'https://x.example', 'x.example/y', '-a.b', 'a b.c', '*.'],
        'not a DNS suffix',
        {
          line: 1,
        },
      );
    case 'vault-url':
      return simple(
        [
          'http://kv.vault.azure.net',
          'https://evil.example',
          'https://kv.vault.azure.net.evil.example',
          'https://kv.vault.azure.net/secrets',
          'https://u:p@kv.vault.azure.net',
          'kv.vault.azure.net',
          'https://10.0.0.1',
          'https://kv.vault.azure.net?x=1',
        ],
        'not a vault URL of this cloud',
        { ownTarget: true },
      );
    case 'vault-name':
      return simple(
        ['ab', '1kv', 'kv-', 'a--b', 'k'.repeat(25), 'kv_1', 'kv.one', 'kv one', 'kv/x'],
        'not a vault name',
        {
          ownTarget: true,
        },
      );
    case 'workspace-name':
      return simple(['ab', '-ws', 'w'.repeat(34), 'ws!', 'ws name', '_ws', 'ws/x'], 'not a workspace name', {
        ownTarget: true,
        with: { 'resource-group': 'rg-1', 'subscription-id': SUB },
      });
    case 'resource-group':
      return [
        ...simple(['rg.', 'r'.repeat(91), 'rg/x', 'rg#1'], 'not a resource group', {
          ownTarget: true,
          with: { 'workspace-name': 'ws-1', 'subscription-id': SUB },
        }),
        { key, text: 'rg-1', why: 'without a workspace' },
      ];
    case 'subscription-id':
      return [
        ...simple(GUIDISH, 'not a GUID', {
          ownTarget: true,
          with: { 'workspace-name': 'ws-1', 'resource-group': 'rg-1' },
        }),
        ...(platform === 'azdo' ? [] : [{ key, text: SUB, why: 'without a workspace' }]),
      ];
    case 'workspace-config':
      return [
        { key, text: 'no/such/.azureml/config.json', ownTarget: true, why: 'a config file that does not exist' },
        { key, text: 'no-such-dir', ownTarget: true, why: 'a directory that does not exist' },
        { key, text: '.azureml/config.json', why: 'with another target input (vault-url)' },
      ];
    case 'file':
      // `set` only: given to a push, the flag is refused by name.
      return simple(['x'], 'a set-only flag on push');
    case 'env':
      return [
        ...simple(['x'], 'a set-only flag on push'),
        ...NAME_SHAPED_CASES.map((v) => ({
          key,
          text: v,
          command: ['set', 'pasted'],
          ownSecrets: true,
          secretLike: v,
          why: 'a name-shaped value given to set --env',
        })),
      ];
    case 'content-type':
      return simple(['x'.repeat(256), 'é'.repeat(256)], 'over 255 characters');
    case 'owner-scope':
      return simple(['Has Space', 'UPPER', '-x', 'x'.repeat(33), 'a/b', 'ß'], 'not a short name');
    case 'expires-on':
      return [
        ...simple([...DATES, '2001-01-01'], 'not a future ISO 8601 date'),
        { key, text: '2031-01-01', with: { 'expires-in': '90d' }, why: 'with expires-in' },
      ];
    case 'not-before':
      return [
        ...simple(DATES, 'not an ISO 8601 date'),
        { key, text: '2032-01-01', with: { 'expires-on': '2031-01-01' }, why: 'after expires-on' },
      ];
    case 'call-timeout':
      return simple(
        ['0s', '11m', '90', '30 seconds', '1d', '-5s', '30S', 'forever', '1.5m', '500ms'],
        'not a time limit from 1 s to 10 min',
      );
    case 'run-deadline':
      return simple(
        ['30s', '7h', '0m', '1d', '15', 'P15M', '15 min', '1w', '-1h', 'never'],
        'not a deadline from 1 min to 6 h',
      );
    case 'client-id':
      return simple(GUIDISH, 'not a client id');
    case 'tenant-id':
      return simple(['not a tenant', 'x', 'tenant!', '-contoso.com'], 'not a tenant');
    default:
      break;
  }
  switch (kind.type) {
    case 'boolean':
      return simple(BOOLEANS, 'not true or false');
    case 'choice':
      return simple(
        ['x', `${kind.values[0]}-x`, kind.values.join(','), '*', `${kind.values[0]} x`, `${kind.values[0]}s`, '0'],
        'not a choice',
      );
    case 'number':
      return simple(numbers(kind.min, kind.max), `not a whole number from ${kind.min} to ${kind.max}`);
    case 'duration':
      return simple(DURATIONS, 'not a duration');
    case 'url':
      return simple(URLS, 'not an https base URL');
    default:
      return [];
  }
}

/** Inputs a platform cannot be given a bad value for (a CLI boolean is a flag without a value). */
function applicable(key: AnyInputKey, platform: Platform): boolean {
  const spec = ALL_INPUTS[key];
  if (platform === 'cli' && spec.kind.type === 'boolean') return false;
  // The CLI reads secrets-json from a file and names the flag; its own flags (owner, verbose, help, version) take anything.
  return !['owner', 'verbose', 'help', 'version', 'audience', 'azureSubscription'].includes(key);
}

/** Every bad-input case for one platform, in declaration order. */
export function badInputs(platform: Platform): BadInput[] {
  return inputsOf(platform)
    .filter((k) => applicable(k, platform))
    .flatMap((k) => casesFor(k, platform));
}

/** How the message must name the case's input. */
export function expectedLabel(c: BadInput, platform: Platform): string {
  return inputLabel(c.key, platform);
}
