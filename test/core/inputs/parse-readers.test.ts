// The readers input: six forms, each bad line named by input (platform spelling) and line before any request;
// compute: and workspace refused with a vault target; grant-readers and readers-missing read alongside.
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { azdoContext, githubContext } from '../../helpers/parse.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const WS = { 'workspace-name': 'ws1', 'resource-group': 'rg', 'subscription-id': SUB };
const UAI = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/train-id`;
const OID = '7e57c0de-0000-4000-8000-0000000000a1';
const parse = (raw: RawInputs, ctx = githubContext({ A: 'v' })) => parseRequest({ secrets: 'A', ...raw }, ctx);

describe('readers', () => {
  it('reads the six forms, in order, with the line as given', () => {
    const parsed = parse({
      ...WS,
      readers: `compute:gpu-cluster\n# comment\n\nendpoint:Score-1\nworkspace\nServerless\nidentity:${UAI}\nprincipal:${OID.toUpperCase()}`,
      'grant-readers': 'true',
      'readers-missing': 'warn',
      'stale-references': 'fail',
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.readers).toEqual({
      grant: true,
      missing: 'warn',
      stale: 'fail',
      lines: [
        { kind: 'compute', name: 'gpu-cluster', line: 'compute:gpu-cluster' },
        { kind: 'endpoint', name: 'Score-1', line: 'endpoint:Score-1' },
        { kind: 'workspace', line: 'workspace' },
        { kind: 'serverless', line: 'Serverless' },
        { kind: 'identity', resourceId: UAI, line: `identity:${UAI}` },
        { kind: 'principal', objectId: OID, line: `principal:${OID.toUpperCase()}` },
      ],
    });
  });

  it('without readers there is no check, and the defaults are fail and no grant', () => {
    expect(parse(WS).request?.readers).toBeUndefined();
    expect(parse({ ...WS, readers: 'workspace' }).request?.readers).toMatchObject({
      grant: false,
      missing: 'fail',
      stale: 'warn',
    });
  });

  it.each<[string, RawInputs, string]>([
    ['none of the four forms', { ...WS, readers: 'cluster:gpu' }, 'readers line 1: "cluster:gpu" is not a reader'],
    ['a bare word', { ...WS, readers: 'workspace\ngpu' }, 'readers line 2: gpu is not a reader'],
    ['an empty name', { ...WS, readers: 'compute:' }, 'readers line 1: compute: names nothing'],
    [
      'a compute name Azure ML refuses',
      { ...WS, readers: 'compute:9gpu' },
      'readers line 1: 9gpu is not an Azure ML compute name',
    ],
    ['a compute name too long', { ...WS, readers: `compute:${'a'.repeat(25)}` }, 'is not an Azure ML compute name'],
    [
      'an object id that is not a GUID',
      { ...WS, readers: 'principal:alice@contoso.com' },
      'readers line 1: "alice@contoso.com" is not an object id',
    ],
    [
      'an identity id that is not a user-assigned identity',
      {
        ...WS,
        readers: `identity:/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm`,
      },
      'is not the resource id of a user-assigned managed identity',
    ],
    ['a repeated reader', { ...WS, readers: 'compute:GPU\ncompute:gpu' }, 'readers line 2: the same reader as line 1'],
    [
      'compute: with a vault target',
      { 'vault-name': 'kv1', readers: 'compute:gpu' },
      'readers line 1: "compute:gpu" needs a workspace to look in, and the target https://kv1.vault.azure.net is a vault',
    ],
    [
      'workspace with a vault line among the targets',
      { targets: `${SUB}/rg/ws1\nvault-name:kv1`, readers: `principal:${OID}\nworkspace` },
      'readers line 2: workspace needs a workspace to look in',
    ],
    ['endpoint: with no name', { ...WS, readers: 'endpoint:' }, 'readers line 1: endpoint: names nothing'],
    ...['ab', 'e'.repeat(33), '1score', 'score_v1', 'score.v1', '-score'].map((name): [string, RawInputs, string] => [
      `the endpoint name ${name}`,
      { ...WS, readers: `workspace\nendpoint:${name}` },
      "is not an online endpoint name (3–32 characters of letters, digits and '-', starting with a letter)",
    ]),
    [
      'an endpoint twice',
      { ...WS, readers: 'endpoint:score\nendpoint:SCORE' },
      'readers line 2: the same reader as line 1',
    ],
    [
      'endpoint: with a vault target',
      { 'vault-name': 'kv1', readers: 'endpoint:score' },
      'readers line 1: "endpoint:score" needs a workspace to look in, and the target https://kv1.vault.azure.net is a vault',
    ],
    [
      'serverless with a vault target',
      { 'vault-url': 'https://kv1.vault.azure.net', readers: `principal:${OID}\nserverless` },
      'readers line 2: serverless needs a workspace to look in',
    ],
    [
      'stale-references not a choice',
      { ...WS, readers: 'endpoint:score', 'stale-references': 'error' },
      'stale-references: error is not one of warn, fail, ignore',
    ],
    ['grant-readers without readers', { ...WS, 'grant-readers': 'true' }, 'grant-readers: is used only with readers'],
    [
      'readers-missing not a choice',
      { ...WS, readers: 'workspace', 'readers-missing': 'ignore' },
      'readers-missing: ignore is not one of fail, warn',
    ],
  ])('%s is a problem naming readers and the line', (_, raw, problem) => {
    const parsed = parse(raw);
    expect(parsed.request).toBeUndefined();
    expect(parsed.problems.join('\n')).toContain(problem);
  });

  it('identity: and principal: are fine with a vault target', () => {
    const parsed = parse({ 'vault-url': 'https://kv1.vault.azure.net', readers: `identity:${UAI}\nprincipal:${OID}` });
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.readers?.lines).toHaveLength(2);
  });

  it('Azure DevOps spells the inputs its own way', () => {
    const parsed = parse(
      { 'vault-name': 'kv1', readers: 'workspace', 'grant-readers': 'maybe' },
      azdoContext({ A: 'v' }),
    );
    expect(parsed.problems).toEqual([
      'grantReaders: maybe is not a boolean; use true or false',
      'readers line 1: workspace needs a workspace to look in, and the target https://kv1.vault.azure.net is a vault: name the identity with identity:RESOURCE_ID or principal:OBJECT_ID, or target the workspace',
    ]);
  });
});
