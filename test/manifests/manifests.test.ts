// action.yml, task.json, the core's input list and package.json agree.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUT_KEYS } from '../../src/core/types.js';
import { azdoName } from '../../src/adapters/azdo/run.js';
import { AUTH_INPUTS } from '../../src/adapters/github/run.js';
import { CONNECTION_INPUT } from '../../src/adapters/azdo/sign-in.js';
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
  inputs: { name: string; defaultValue?: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  minimumAgentVersion: string;
};

describe('manifests', () => {
  it('action.yml declares exactly the inputs the core and the GitHub sign-in read', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_KEYS, ...AUTH_INPUTS].sort());
  });

  it('task.json declares the core inputs in camelCase, with the same defaults, plus the service connection', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual([...INPUT_KEYS.map(azdoName), CONNECTION_INPUT].sort());
    // The task's cloud defaults to the service connection's environment, so it has no fixed default.
    for (const key of INPUT_KEYS.filter((k) => k !== 'cloud')) {
      const input = task.inputs.find((i) => i.name === azdoName(key))!;
      expect([key, input.defaultValue]).toEqual([key, action.inputs[key]!.default]);
    }
    const connection = task.inputs.find((i) => i.name === CONNECTION_INPUT) as unknown as {
      type: string;
      aliases: string[];
    };
    expect(connection.type).toBe('connectedService:AzureRM');
    expect(connection.aliases).toEqual(['ConnectedServiceName']);
  });

  it('outputs agree', () => {
    expect(task.outputVariables.map((o) => o.name).sort()).toEqual(Object.keys(action.outputs).map(azdoName).sort());
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
