// action.yml, task.json, the core's input list and package.json agree.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_INPUTS,
  INPUT_KEYS,
  OUTPUT_NAMES,
  PLATFORMS,
  camelCase,
  describeInput,
  inputsOf,
  type AnyInputKey,
} from '../../src/core/inputs/inputs.js';
import { CONNECTION_INPUT } from '../../src/adapters/azdo/sign-in.js';
import { usage } from '../../src/adapters/cli/usage.js';
import { actionManifest, taskManifest } from '../helpers/bundles.js';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const action = actionManifest as unknown as {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};
const task = taskManifest as unknown as {
  name: string;
  version: { Major: number; Minor: number; Patch: number };
  inputs: { name: string; defaultValue?: string; groupName?: string; visibleRule?: string }[];
  groups: { name: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  minimumAgentVersion: string;
};

describe('manifests', () => {
  it('action.yml, task.json and the README are what npm run build generates from the input declaration', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--check', '--only', 'manifests'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('match the input declaration');
    expect(r.status).toBe(0);
  });

  it('the check fails and names the command when a generated file is stale', () => {
    const readme = join(root, 'README.md');
    const original = readFileSync(readme, 'utf8');
    try {
      writeFileSync(readme, original.replace('[`max-concurrency`]', '[`max-concurency`]'));
      const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--check', '--only', 'manifests'], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/README\.md differ.*npm run build/);
    } finally {
      writeFileSync(readme, original);
    }
  });

  it('action.yml declares exactly the GitHub inputs of the declaration, with its defaults', () => {
    const github = inputsOf('github');
    expect(Object.keys(action.inputs)).toEqual(github);
    for (const key of github) expect([key, action.inputs[key]!.default]).toEqual([key, ALL_INPUTS[key].default]);
    expect(github).toEqual(expect.arrayContaining([...INPUT_KEYS, 'auth', 'client-id', 'tenant-id', 'audience']));
  });

  it('task.json declares the core inputs in camelCase plus the service connection, each in a declared group', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual([...INPUT_KEYS.map(camelCase), CONNECTION_INPUT].sort());
    const groups = new Set(task.groups.map((g) => g.name));
    for (const input of task.inputs.filter((i) => i.name !== CONNECTION_INPUT)) {
      expect([input.name, groups.has(input.groupName ?? '')]).toEqual([input.name, true]);
    }
    // The task's cloud defaults to the service connection's environment, so it has no fixed default.
    for (const key of INPUT_KEYS.filter((k) => k !== 'cloud')) {
      const input = task.inputs.find((i) => i.name === camelCase(key))!;
      expect([key, input.defaultValue]).toEqual([key, action.inputs[key]!.default]);
    }
    const connection = task.inputs.find((i) => i.name === CONNECTION_INPUT) as unknown as {
      type: string;
      aliases: string[];
    };
    expect(connection.type).toBe('connectedService:AzureRM');
    expect(connection.aliases).toEqual(['ConnectedServiceName']);
  });

  it('visible rules name inputs that exist', () => {
    const names = new Set(task.inputs.map((i) => i.name));
    for (const input of task.inputs.filter((i) => i.visibleRule)) {
      const referenced = input.visibleRule!.match(/[A-Za-z]+(?=\s*(?:==|!=|=))/g) ?? [];
      for (const name of referenced) expect([input.name, name, names.has(name)]).toEqual([input.name, name, true]);
    }
  });

  it('outputs agree, and are the declared ones', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUT_NAMES);
    expect(task.outputVariables.map((o) => o.name).sort()).toEqual(Object.keys(action.outputs).map(camelCase).sort());
  });

  it('every description renders on every platform, naming only declared inputs', () => {
    for (const platform of PLATFORMS) {
      for (const key of Object.keys(ALL_INPUTS) as AnyInputKey[]) {
        expect(describeInput(key, platform).length).toBeGreaterThan(10);
      }
    }
  });

  it('the CLI help lists a flag for every CLI input, and the CLI parses each of them', () => {
    const help = usage();
    for (const key of inputsOf('cli')) {
      const flag = key === 'secrets-json' ? '--secrets-json-file' : `--${key}`;
      expect([key, help.includes(`  ${flag}`) || help.includes(`  -h, ${flag}`)]).toEqual([key, true]);
    }
  });

  it('runtimes: node24 for the action; Node20_1 and Node24 for the task, on the same committed bundle', () => {
    expect(action.runs.using).toBe('node24');
    expect(action.runs.main).toBe('dist/github/index.mjs');
    expect(Object.keys(task.execution).sort()).toEqual(['Node20_1', 'Node24']);
    expect(new Set(Object.values(task.execution).map((e) => e.target))).toEqual(new Set(['dist/azdo/index.mjs']));
    expect(task.minimumAgentVersion).toBe('4.248.0');
  });

  it('task.json version is package.json version', () => {
    expect(`${task.version.Major}.${task.version.Minor}.${task.version.Patch}`).toBe(pkg.version);
  });

  it('vss-extension.json: package.json version, and one task contribution naming the task folder it ships', () => {
    const extension = JSON.parse(readFileSync(join(root, 'vss-extension.json'), 'utf8')) as {
      version: string;
      files: { path: string }[];
      contributions: { type: string; targets: string[]; properties: { name: string } }[];
    };
    expect(extension.version).toBe(pkg.version);
    expect(extension.contributions.map((c) => [c.type, c.targets, c.properties.name])).toEqual([
      ['ms.vss-distributed-task.task', ['ms.vss-distributed-task.tasks'], `${task.name}V${task.version.Major}`],
    ]);
    expect(extension.files).toEqual([{ path: `${task.name}V${task.version.Major}` }]);
  });

  it('the committed icons are what scripts/make-icons.mjs draws', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/make-icons.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
