// The workspace from a config file (MLClient.from_config()'s search) and from az's defaults, on real temp dirs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PARENT_LEVELS,
  findWorkspaceConfig,
  loadWorkspaceConfig,
  readWorkspaceConfig,
} from '../../../src/core/local-config/workspace-config.js';
import { azureConfigDir, parseIni, readAzDefaults } from '../../../src/core/local-config/az-defaults.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import { githubContext, NOW } from '../../helpers/parse.js';
import type { ParseContext } from '../../../src/core/inputs/parse-request.js';

const SUB = '5d8f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b';
const CONFIG = { subscription_id: SUB, resource_group: 'ml-rg', workspace_name: 'vision-ws' };
const WORKSPACE = { subscriptionId: SUB, resourceGroup: 'ml-rg', workspaceName: 'vision-ws' };

function tree(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aml-wsconfig-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

describe('findWorkspaceConfig: the search MLClient.from_config() does', () => {
  it('finds .azureml/config.json from a subdirectory', () => {
    const root = tree({ '.azureml/config.json': CONFIG, 'src/train/keep': '' });
    expect(findWorkspaceConfig(join(root, 'src/train'))).toBe(join(root, '.azureml/config.json'));
  });

  it('takes the candidates in order, each up through the parents: .azureml above beats config.json here', () => {
    const root = tree({
      '.azureml/config.json': CONFIG,
      'sub/config.json': CONFIG,
      'sub/aml_config/project.json': CONFIG,
    });
    expect(findWorkspaceConfig(join(root, 'sub'))).toBe(join(root, '.azureml/config.json'));
    const other = tree({ 'sub/config.json': CONFIG, 'sub/aml_config/project.json': CONFIG, 'project.json': CONFIG });
    expect(findWorkspaceConfig(join(other, 'sub'))).toBe(join(other, 'sub/aml_config/project.json'));
  });

  it(`looks in the start directory and ${PARENT_LEVELS} parents, no further`, () => {
    const deep = Array.from({ length: PARENT_LEVELS + 1 }, (_, i) => `d${i}`).join('/');
    const root = tree({ 'config.json': CONFIG, [`${deep}/keep`]: '' });
    expect(findWorkspaceConfig(join(root, deep))).toBeUndefined();
    expect(findWorkspaceConfig(join(root, deep, '..'))).toBe(join(root, 'config.json'));
  });

  it('finds nothing where there is nothing', () => {
    expect(findWorkspaceConfig(tree({ 'a/keep': '' }))).toBeUndefined();
  });
});

describe('readWorkspaceConfig', () => {
  it('reads the three keys (what the portal downloads and write_config() writes)', () => {
    const root = tree({ 'config.json': { ...CONFIG, subscription_id: SUB.toUpperCase() } });
    const file = join(root, 'config.json');
    expect(readWorkspaceConfig(file)).toEqual({
      file,
      workspace: WORKSPACE,
      // Messages name the keys of the file, not inputs the person did not set.
      naming: {
        subscriptionId: `the key subscription_id of ${file}`,
        resourceGroup: `the key resource_group of ${file}`,
        workspaceName: `the key workspace_name of ${file}`,
      },
    });
  });

  it('reads the Scope form', () => {
    const scope = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/vision-ws`;
    const root = tree({ 'project.json': { Scope: scope } });
    expect(readWorkspaceConfig(join(root, 'project.json'))).toMatchObject({ workspace: WORKSPACE });
  });

  it('refuses a Scope that is not a workspace id, naming the file and the key', () => {
    const root = tree({ 'config.json': { Scope: `/subscriptions/${SUB}/resourceGroups/ml-rg` } });
    const read = readWorkspaceConfig(join(root, 'config.json'));
    expect(read).toEqual({
      file: join(root, 'config.json'),
      problem: expect.stringMatching(/config\.json: key "Scope" is not a workspace resource id/),
    });
  });

  it('names the file and the missing key', () => {
    const root = tree({ '.azureml/config.json': { subscription_id: SUB, workspace_name: 'vision-ws' } });
    const file = join(root, '.azureml/config.json');
    expect(readWorkspaceConfig(file)).toEqual({
      file,
      problem: `${file}: key "resource_group" is missing (or give "Scope", the workspace's resource id)`,
    });
  });

  it('names the file and where bad JSON breaks, and a key of the wrong kind', () => {
    const root = tree({
      'config.json': '{"subscription_id": "x",\n  "resource_group": }',
      'project.json': { ...CONFIG, workspace_name: 7 },
    });
    expect(readWorkspaceConfig(join(root, 'config.json'))).toMatchObject({
      problem: `${join(root, 'config.json')} is not valid JSON: unexpected character at line 2, column 21`,
    });
    expect(readWorkspaceConfig(join(root, 'project.json'))).toMatchObject({
      problem: expect.stringContaining('key "workspace_name" must be a string'),
    });
  });

  it('checks the values like the inputs are checked', () => {
    const root = tree({ 'config.json': { ...CONFIG, subscription_id: 'not-a-guid' } });
    expect(readWorkspaceConfig(join(root, 'config.json'))).toMatchObject({
      problem: expect.stringContaining('key "subscription_id": not-a-guid is not a subscription id'),
    });
  });

  it('takes a file, or a directory to search from; names a path that does not exist', () => {
    const root = tree({ '.azureml/config.json': CONFIG, 'sub/keep': '' });
    expect(loadWorkspaceConfig('sub', root)).toMatchObject({ workspace: WORKSPACE });
    expect(loadWorkspaceConfig('.azureml/config.json', root)).toMatchObject({ workspace: WORKSPACE });
    expect(loadWorkspaceConfig('nope.json', root)).toEqual({
      file: join(root, 'nope.json'),
      problem: `${join(root, 'nope.json')} does not exist`,
    });
  });
});

describe('readAzDefaults: az configure --defaults and az account set', () => {
  const PROFILE = {
    installationId: 'x',
    subscriptions: [
      { id: '00000000-0000-4000-8000-000000000001', isDefault: false },
      { id: SUB, isDefault: true },
    ],
  };

  it('reads [defaults] group and workspace, and the isDefault subscription of azureProfile.json (with its BOM)', () => {
    const dir = tree({
      config: '[cloud]\nname = AzureCloud\n\n[defaults]\ngroup = ml-rg\nworkspace = vision-ws\n',
      'azureProfile.json': `\uFEFF${JSON.stringify(PROFILE)}`,
    });
    expect(readAzDefaults(dir)).toEqual({
      file: join(dir, 'config'),
      workspace: WORKSPACE,
      naming: {
        subscriptionId: `the default subscription in ${join(dir, 'azureProfile.json')} (az account set)`,
        resourceGroup: `"group" in [defaults] of ${join(dir, 'config')}`,
        workspaceName: `"workspace" in [defaults] of ${join(dir, 'config')}`,
      },
    });
  });

  it('names no workspace when there is no config or no workspace default', () => {
    expect(readAzDefaults(tree({ 'azureProfile.json': PROFILE }))).toBeUndefined();
    expect(readAzDefaults(tree({ config: '[defaults]\ngroup = ml-rg\n' }))).toBeUndefined();
  });

  it('AZURE_DEFAULTS_GROUP and AZURE_DEFAULTS_WORKSPACE override the file, as in az', () => {
    const dir = tree({ config: '[defaults]\ngroup = other\nworkspace = other-ws\n', 'azureProfile.json': PROFILE });
    expect(readAzDefaults(dir, { AZURE_DEFAULTS_GROUP: 'ml-rg', AZURE_DEFAULTS_WORKSPACE: 'vision-ws' })).toMatchObject(
      {
        workspace: WORKSPACE,
      },
    );
  });

  it('names the file and the key of what is missing or broken', () => {
    const noGroup = tree({ config: '[defaults]\nworkspace = vision-ws\n', 'azureProfile.json': PROFILE });
    expect(readAzDefaults(noGroup)).toMatchObject({
      problem: expect.stringMatching(/config: \[defaults\] has "workspace" but no "group"/),
    });
    const noProfile = tree({ config: '[defaults]\ngroup = ml-rg\nworkspace = vision-ws\n' });
    expect(readAzDefaults(noProfile)).toMatchObject({
      problem: expect.stringMatching(/azureProfile\.json does not exist: sign in with az login/),
    });
    const badProfile = tree({
      config: '[defaults]\ngroup = ml-rg\nworkspace = vision-ws\n',
      'azureProfile.json': '\uFEFF{"subscriptions": [',
    });
    expect(readAzDefaults(badProfile)).toMatchObject({
      problem: expect.stringMatching(/azureProfile\.json is not valid JSON: .* at line 1/),
    });
    const noDefault = tree({
      config: '[defaults]\ngroup = ml-rg\nworkspace = vision-ws\n',
      'azureProfile.json': { subscriptions: [{ id: SUB }] },
    });
    expect(readAzDefaults(noDefault)).toMatchObject({
      problem: expect.stringContaining('no subscription has "isDefault": true'),
    });
  });

  it("finds az's directory as az does", () => {
    expect(azureConfigDir({ AZURE_CONFIG_DIR: '/x/az' }, '/home/u')).toBe('/x/az');
    expect(azureConfigDir({}, '/home/u')).toBe(join('/home/u', '.azure'));
    expect(parseIni('[Defaults]\nGroup: rg\n# c\n; c\n')).toEqual({ defaults: { group: 'rg' } });
  });
});

describe('the target from a workspace config, through parseRequest', () => {
  const ctx = (extra: Partial<ParseContext>): ParseContext => ({ ...githubContext({ A: 'v' }), ...extra });

  it('workspace-config relative to the working directory, the file named in a note', () => {
    const root = tree({ '.azureml/config.json': CONFIG });
    const parsed = parseRequest(
      { secrets: 'A', 'workspace-config': '.azureml/config.json' },
      ctx({ workingDirectory: root }),
      NOW,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.targets).toEqual([
      {
        target: {
          kind: 'workspace',
          ...WORKSPACE,
          naming: expect.objectContaining({
            resourceGroup: expect.stringMatching(/^the key resource_group of .*config\.json$/),
          }),
        },
        display: `${SUB}/ml-rg/vision-ws`,
        source: join(root, '.azureml/config.json'),
      },
    ]);
    expect(parsed.notes).toEqual([expect.stringContaining(join(root, '.azureml/config.json'))]);
  });

  it('workspace-config with another target input is refused, naming both', () => {
    const root = tree({ 'config.json': CONFIG });
    const parsed = parseRequest(
      { secrets: 'A', 'workspace-config': 'config.json', 'vault-name': 'kv1' },
      ctx({ workingDirectory: root }),
      NOW,
    );
    expect(parsed.problems).toEqual(['workspace-config: set either workspace-config or vault-name, not both']);
  });

  it('a broken workspace-config names the input, the file and the key', () => {
    const root = tree({ 'config.json': { subscription_id: SUB } });
    const parsed = parseRequest(
      { secrets: 'A', 'workspace-config': 'config.json' },
      ctx({ workingDirectory: root }),
      NOW,
    );
    expect(parsed.problems).toEqual([
      expect.stringMatching(
        /^workspace-config: .*config\.json: key "resource_group" is missing.*key "workspace_name" is missing/,
      ),
    ]);
  });

  it('the pipelines never search: no target is still "no target"', () => {
    const root = tree({ '.azureml/config.json': CONFIG });
    const parsed = parseRequest({ secrets: 'A' }, ctx({ workingDirectory: root }), NOW);
    expect(parsed.problems).toEqual([expect.stringMatching(/^no target: .*or workspace-config PATH/)]);
  });

  it('the CLI searches from its directory, then az defaults; explicit targets win', () => {
    const root = tree({ '.azureml/config.json': CONFIG, 'src/keep': '' });
    const az = tree({
      config: '[defaults]\ngroup = az-rg\nworkspace = az-ws\n',
      'azureProfile.json': { subscriptions: [{ id: SUB, isDefault: true }] },
    });
    const discover = { discoverWorkspace: { azureConfigDir: az, env: {} } };
    const found = parseRequest({ secrets: 'A' }, ctx({ workingDirectory: join(root, 'src'), ...discover }), NOW);
    expect(found.request?.targets[0]?.display).toBe(`${SUB}/ml-rg/vision-ws`);
    const fromAz = parseRequest({ secrets: 'A' }, ctx({ workingDirectory: tree({}), ...discover }), NOW);
    expect(fromAz.request?.targets[0]?.display).toBe(`${SUB}/az-rg/az-ws`);
    expect(fromAz.notes).toEqual([expect.stringContaining(`az's defaults in ${join(az, 'config')}`)]);
    const explicit = parseRequest(
      { secrets: 'A', 'vault-name': 'kv1' },
      ctx({ workingDirectory: root, ...discover }),
      NOW,
    );
    expect(explicit.request?.targets[0]?.display).toBe('https://kv1.vault.azure.net');
    const none = parseRequest(
      { secrets: 'A' },
      ctx({ workingDirectory: tree({}), discoverWorkspace: { azureConfigDir: tree({}), env: {} } }),
      NOW,
    );
    expect(none.problems).toEqual([
      expect.stringMatching(
        /no target: .*\.azureml\/config\.json in this directory or a parent.*az configure --defaults/,
      ),
    ]);
  });

  it('a broken config found by the search is named with the file and key', () => {
    const root = tree({ 'config.json': '{ nope' });
    const parsed = parseRequest(
      { secrets: 'A' },
      ctx({ workingDirectory: root, discoverWorkspace: { azureConfigDir: tree({}), env: {} } }),
      NOW,
    );
    expect(parsed.problems).toEqual([
      expect.stringMatching(/^the workspace config found from .*: .*config\.json is not valid JSON/),
    ]);
  });
});
